import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../library/library.js';
import type { TraceDiagnosis } from './diagnose-trace.js';
import { selectOffline } from './offline-selector.js';

const diagnosis = (symptoms: TraceDiagnosis['symptoms']): TraceDiagnosis => ({
  trials: 30,
  keepRate: 0.1,
  crashRate: 0,
  rejectRate: 0,
  repetitionRate: 0.5,
  plateauLength: 12,
  bestTrial: 3,
  neverMoved: [],
  paramPayoffs: [],
  marginalKeeps: 0,
  keeps: 3,
  mechanisms: [],
  symptoms,
});

const libraryEntry = (name: string, targets: string[], inert = false): LibraryEntry => ({
  name,
  description: '',
  hooks: ['screenProposal'],
  inert,
  directory: `/library/${name}`,
  provenance: {
    origin: 'generated',
    addedAt: '2026-01-01T00:00:00.000Z',
    sourceSha256: '0'.repeat(64),
    compiledSha256: '0'.repeat(64),
    source: { runId: 'r', sessionId: 'm10' },
    evidence: { targets },
  },
});

describe('selectOffline', () => {
  it('matches the most pressing symptom to the built-in that targets it', () => {
    expect(selectOffline(diagnosis(['repetition', 'plateau']), [], new Set())).toMatchObject({
      name: 'tabu',
      origin: 'builtin',
      symptom: 'repetition',
    });
    expect(selectOffline(diagnosis(['unmoved-params']), [], new Set())?.name).toBe('one-factor-sweep');
    expect(selectOffline(diagnosis(['marginal-keeps']), [], new Set())?.name).toBe('confirm-marginal');
    expect(selectOffline(diagnosis(['uneven-payoffs']), [], new Set())?.name).toBe('bandit');
  });

  it('skips what the run already used, then falls back to library entries whose targets match', () => {
    const library = [libraryEntry('quiet', ['plateau'], true), libraryEntry('restart-wide', ['plateau'])];
    expect(selectOffline(diagnosis(['repetition', 'plateau']), library, new Set(['tabu']))?.name).toBe(
      'plateau-restart',
    );
    expect(selectOffline(diagnosis(['plateau']), library, new Set(['plateau-restart']))).toMatchObject({
      name: 'restart-wide',
      origin: 'library',
    });
    expect(
      selectOffline(diagnosis(['plateau']), library, new Set(['plateau-restart', 'restart-wide'])),
    ).toBeUndefined();
    expect(selectOffline(diagnosis([]), library, new Set())).toBeUndefined();
  });
});
