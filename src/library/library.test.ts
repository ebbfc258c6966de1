import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBilevelError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { type GateReport, runGate } from '../gate/run-gate.js';
import { contextFor } from '../mechanisms/replay.js';
import { makeSyntheticTrace } from '../mechanisms/synthetic-trace.js';
import { addToLibrary, getLibraryMechanism, listLibrary } from './library.js';
import { loadLibraryRuntime, loadMechanismRuntimes } from './library-runtime.js';

const source = readFileSync(new URL('../gate/__fixtures__/hostile/legitimate.ts', import.meta.url), 'utf8').replace(
  /^\/\/ @ts-nocheck\n\/\/ Hostile fixture[^\n]*\n/,
  '',
);
const inertSource = `import { defineMechanism } from 'bilevel/mechanism';
export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'never-stops',
  description: 'Declines every stop decision, so it never changes anything.',
  shouldStop: () => undefined,
});
`;

let stateDir: string;
let report: GateReport;
beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'bilevel-library-'));
  report = await runGate(source, { fileName: 'legitimate.ts', origin: 'library' });
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (isBilevelError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('mechanism library (real gate, files in a temp state dir)', () => {
  it('stores module, compiled script, gate report and provenance, then lists and reads them back', () => {
    expect(report.ok).toBe(true);
    const result = addToLibrary(stateDir, source, report, { now: new Date('2026-01-02T03:04:05Z') });
    expect(result.status).toBe('added');
    const directory = join(stateDir, 'mechanisms', 'tabu-repeats');
    for (const file of ['module.ts', 'compiled.js', 'gate-report.json', 'provenance.json']) {
      expect(existsSync(join(directory, file)), file).toBe(true);
    }
    expect(listLibrary(stateDir).map((entry) => entry.name)).toEqual(['tabu-repeats']);
    const stored = getLibraryMechanism(stateDir, 'tabu-repeats');
    expect(stored.provenance).toMatchObject({
      origin: 'library',
      source: 'cli-add',
      addedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(stored.provenance.sourceSha256).toBe(report.sourceSha256);
    expect(stored.source).toBe(source);
    expect(stored.gateReport.replay?.decisionsChanged).toBeGreaterThan(0);
  });

  it('treats the same source again as a no-op and a different source under the name as an error', () => {
    expect(addToLibrary(stateDir, source, report).status).toBe('unchanged');
    const changed = source.replace('change something else', 'try other values');
    const otherReport = { ...report, sourceSha256: sha256(changed) };
    expect(codeOf(() => addToLibrary(stateDir, changed, otherReport))).toBe('MECHANISM_EXISTS');
  });

  it('refuses a report that did not pass, and a built-in name', () => {
    const refused = { ...report, ok: false, problems: ['mechanism.ts:1:1 static-scan: nope'] };
    expect(codeOf(() => addToLibrary(stateDir, source, refused))).toBe('MECHANISM_REJECTED');
    const tabuName = { ...report, mechanism: { ...report.mechanism!, name: 'tabu' } };
    expect(codeOf(() => addToLibrary(stateDir, source, tabuName))).toBe('MECHANISM_EXISTS');
  });

  it('stores an inert mechanism only when allowed, and marks it inert', async () => {
    const inertReport = await runGate(inertSource, { fileName: 'never-stops.ts' });
    expect(inertReport.problems).toEqual(['inert: would change 0 decisions on the recorded trace']);
    expect(codeOf(() => addToLibrary(stateDir, inertSource, inertReport))).toBe('MECHANISM_REJECTED');
    const result = addToLibrary(stateDir, inertSource, inertReport, { allowInert: true });
    expect(result.entry.inert).toBe(true);
  });

  it('runs a stored mechanism in the sandbox, and resolves built-in and library names together', async () => {
    const trace = makeSyntheticTrace('repeats');
    const runtime = await loadLibraryRuntime(stateDir, 'tabu-repeats');
    try {
      expect(runtime.origin).toBe('library');
      await runtime.init(trace.seed, { memory: 500 });
      await runtime.call('onTrialEnd', [contextFor(trace, 1, 0), trace.trials[0]]);
      const repeat = { ...trace.trials[1]!.proposal!, values: trace.trials[0]!.values, changed: { DEPTH: [4, 4] } };
      expect(await runtime.call('screenProposal', [contextFor(trace, 1, 1), repeat])).toMatchObject({ accept: false });
    } finally {
      await runtime.dispose();
    }
    const runtimes = await loadMechanismRuntimes(['tabu', 'tabu-repeats'], stateDir);
    expect(runtimes.map((entry) => [entry.name, entry.origin])).toEqual([
      ['tabu', 'builtin'],
      ['tabu-repeats', 'library'],
    ]);
    await Promise.all(runtimes.map((entry) => entry.dispose()));
    await expect(loadMechanismRuntimes(['no-such-thing'], stateDir)).rejects.toMatchObject({
      code: 'MECHANISM_NOT_FOUND',
    });
  });

  it('refuses to load a stored mechanism whose compiled script was edited after the gate', () => {
    const copy = mkdtempSync(join(tmpdir(), 'bilevel-library-tamper-'));
    try {
      addToLibrary(copy, source, report);
      writeFileSync(join(copy, 'mechanisms', 'tabu-repeats', 'compiled.js'), '(() => ({}))()');
      expect(codeOf(() => getLibraryMechanism(copy, 'tabu-repeats'))).toBe('STATE_CORRUPT');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
