// `bilevel report` end to end: a real short run through the binary, then its report, chart and PNG checked.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatParamValue } from '../src/report/markdown-table.js';
import { type CliResult, runCli } from './helpers/cli.js';
import { readPng } from './helpers/read-png.js';
import { xmlProblems } from './helpers/xml-problems.js';

function runReport(args: readonly string[]): Promise<CliResult> {
  return runCli(['report', ...args]);
}

function polyline(svg: string, className: string): { x: number; y: number }[] {
  const points = new RegExp(`<polyline class="${className}" points="([^"]*)"`).exec(svg)?.[1] ?? '';
  return points
    .split(' ')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      return { x: x!, y: y! };
    });
}

interface StatusJson {
  id: string;
  baseline: number;
  best: { trial: number; metric: number; changed: Record<string, [number | string, number | string]> };
  trials: { index: number; status: string; metric: number | null }[];
  mechanisms: { name: string; origin: string; status: string; hookCalls: number; decisionsChanged: number }[];
  settingsHistory: { cycle: number; afterTrial: number; settings: { strategy: string } }[];
}

let stateDir: string;
let runId: string;
let status: StatusJson;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'bilevel-report-'));
  const run = await runCli([
    'run',
    '--task',
    'synthetic',
    '--proposer',
    'random',
    '--levels',
    '1,1.5',
    '--mechanisms',
    'tabu',
    '--trials',
    '12',
    '--state-dir',
    stateDir,
  ]);
  expect(run.code, run.stderr).toBe(0);
  runId = /run (\S+) finished/.exec(run.stdout)?.[1] as string;
  const printed = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(printed.code, printed.stderr).toBe(0);
  status = JSON.parse(printed.stdout) as StatusJson;
}, 240_000);

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('bilevel report (real run of 12 random trials, Levels 1 and 1.5, tabu)', () => {
  it('writes report.md, convergence.svg and convergence.png into --out and prints their paths as JSON', async () => {
    const out = join(stateDir, 'out');
    const result = await runReport([runId, '--state-dir', stateDir, '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const paths = JSON.parse(result.stdout) as Record<string, string>;
    expect(paths).toEqual({
      runId,
      directory: out,
      markdown: join(out, 'report.md'),
      svg: join(out, 'convergence.svg'),
      png: join(out, 'convergence.png'),
      bestPatch: join(out, 'best.patch'),
      transcripts: [],
    });
    // The run beat its baseline (seed 0 keeps at trial 2), so the whole change is there as a patch git can apply.
    expect(status.best?.trial).toBeGreaterThan(0);
    const patch = readFileSync(paths.bestPatch!, 'utf8');
    expect(patch).toMatch(/^diff --git a\/train\.ts b\/train\.ts$/m);
    const taskCopy = join(stateDir, 'task-copy');
    await cp(fileURLToPath(new URL('../tasks/synthetic', import.meta.url)), taskCopy, { recursive: true });
    execFileSync('git', ['apply', paths.bestPatch!], { cwd: taskCopy });
    const applied = readFileSync(join(taskCopy, 'train.ts'), 'utf8');
    const kept = readFileSync(join(stateDir, 'runs', runId, 'work', 'train.ts'), 'utf8');
    expect(applied).toBe(kept);
    const markdown = readFileSync(paths.markdown!, 'utf8');
    expect(markdown).toContain('## What changed: baseline → best');
    expect(markdown).toContain(`Best: trial ${status.best?.trial}, val_bpb`);
    // status --json names the same params as the report's table, with the same values.
    const changed = Object.entries(status.best.changed);
    expect(changed.length).toBeGreaterThan(0);
    for (const [name, [before, after]] of changed) {
      expect(markdown).toContain(`| ${name} | ${formatParamValue(before)} | ${formatParamValue(after)} |`);
    }
    const text = await runCli(['status', runId, '--state-dir', stateDir]);
    expect(text.stdout).toMatch(/^best vs baseline: [A-Z_]+ \S+ → \S+/m);
    for (const path of [paths.markdown!, paths.svg!, paths.png!]) expect(existsSync(path), path).toBe(true);

    const svg = readFileSync(paths.svg!, 'utf8');
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    // One mark per trial, titled with its status; the best so far as a step line from trial 0 to trial 12, never
    // getting worse (y grows downwards, lower is better); a dashed line per Level 1.5 cycle.
    expect(status.trials).toHaveLength(13);
    const marks = [...svg.matchAll(/<polygon class="trial ([a-z]+)[^"]*" [^>]*><title>trial (\d+): ([a-z]+),/g)];
    expect(marks.map((mark) => [Number(mark[2]), mark[3]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
      status.trials.map((trial) => [trial.index, trial.status]),
    );
    const best = polyline(svg, 'best-so-far');
    for (let index = 1; index < best.length; index += 1) {
      expect(best[index]!.x).toBeGreaterThanOrEqual(best[index - 1]!.x);
      expect(best[index]!.y).toBeGreaterThanOrEqual(best[index - 1]!.y);
    }
    expect(best[best.length - 1]!.x - best[0]!.x).toBeGreaterThan(300);
    expect([...svg.matchAll(/<polyline class="event level-1\.5"/g)]).toHaveLength(status.settingsHistory.length);

    const png = readPng(readFileSync(paths.png!));
    expect([png.width, png.height]).toEqual([800, 480]);
  }, 60_000);

  it('fills every section with the values `status --json` reports', async () => {
    const out = join(stateDir, 'out');
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    const headings = markdown.split('\n').filter((line) => /^#{1,3} /.test(line));
    expect(headings).toEqual([
      `# Run ${runId}`,
      '## Convergence',
      '## What changed: baseline → best',
      '## Trials',
      '## Level 1.5: search settings history',
      '## Level 2: meta sessions',
      '## Mechanisms',
      '### tabu',
    ]);
    expect(markdown).toContain('- **Task:** synthetic (params mode)');
    expect(markdown).toContain(
      `baseline ${status.baseline.toFixed(6)} → best ${status.best.metric.toFixed(6)} at trial ${status.best.trial}`,
    );
    expect(markdown).toContain('- **Levels:** 1, 1.5');
    expect(markdown).toContain('![Best val_bpb so far by trial](convergence.svg)');

    const rows = markdown
      .split('\n')
      .filter((line) => /^\| \d+ \| (\*\*keep\*\*|discard|crash|timeout|rejected) /.test(line));
    expect(rows).toHaveLength(status.trials.length);
    status.trials.forEach((trial, position) => {
      const cells = rows[position]!.split(' | ');
      expect(cells[0]).toBe(`| ${trial.index}`);
      expect(cells[1]!.replace(/\*/g, '')).toBe(trial.status);
      expect(cells[2]).toBe(trial.metric === null ? '—' : trial.metric.toFixed(6));
    });

    expect(status.settingsHistory.map((snapshot) => snapshot.afterTrial)).toEqual([5, 10]);
    for (const snapshot of status.settingsHistory) {
      expect(markdown).toMatch(
        new RegExp(
          `\\n\\| ${snapshot.cycle} \\| ${snapshot.afterTrial} \\| [^\\n]*\\| ${snapshot.settings.strategy} \\|`,
        ),
      );
    }
    expect(markdown).toContain('No meta sessions in this run.');
    const [tabu] = status.mechanisms;
    expect(tabu).toMatchObject({ name: 'tabu', origin: 'builtin', status: 'active' });
    expect(markdown).toContain(
      `| tabu | builtin | active | ${tabu!.hookCalls} (screenProposal ${tabu!.hookCalls}) | ${tabu!.decisionsChanged} | 0 | — |`,
    );
  });

  it('writes to <state-dir>/runs/<id>/report by default and prints the paths', async () => {
    const result = await runReport([runId, '--state-dir', stateDir]);
    expect(result.code, result.stderr).toBe(0);
    const folder = join(stateDir, 'runs', runId, 'report');
    expect(result.stdout).toBe(
      `report ${join(folder, 'report.md')}\nchart ${join(folder, 'convergence.svg')}\nchart ${join(folder, 'convergence.png')}\npatch ${join(folder, 'best.patch')}\n`,
    );
    expect(existsSync(join(folder, 'convergence.png'))).toBe(true);
  }, 60_000);

  it('exits 2 with RUN_NOT_FOUND for an unknown run or an empty state dir', async () => {
    const unknown = await runReport(['no-such-run', '--state-dir', stateDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/RUN_NOT_FOUND/);
    const empty = await runReport(['no-such-run', '--state-dir', join(stateDir, 'empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/RUN_NOT_FOUND.*no runs in/);
    expect(existsSync(join(stateDir, 'empty'))).toBe(false);
  }, 60_000);
});

describe('bilevel report on a run with Level 2 (offline meta sessions, random proposer)', () => {
  it('includes the meta sessions and names the mechanisms Level 2 added', async () => {
    const level2Dir = join(stateDir, 'level2');
    const run = await runCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--levels',
      '1,1.5,2',
      '--trials',
      '12',
      '--state-dir',
      level2Dir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const id = /run (\S+) finished/.exec(run.stdout)?.[1] as string;
    const printed = await runCli(['status', id, '--json', '--state-dir', level2Dir]);
    const added = (JSON.parse(printed.stdout) as StatusJson).mechanisms.map((mechanism) => mechanism.name);
    expect(added.length).toBeGreaterThan(0);

    const out = join(level2Dir, 'out');
    const result = await runReport([id, '--state-dir', level2Dir, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('## Level 2: meta sessions');
    expect(markdown).not.toContain('No meta sessions in this run.');
    expect(markdown).toContain(`- **Mechanisms:** none at start; ${added.join(', ')} added during the run`);
    for (const name of added) expect(markdown).toContain(`### ${name}`);
    // The chart marks each mechanism Level 2 activated, between the trials where it joined, with a legend entry.
    const svg = readFileSync(join(out, 'convergence.svg'), 'utf8');
    for (const name of added) expect(svg).toContain(`>+${name}</text>`);
    expect([...svg.matchAll(/<polyline class="event activated"/g)]).toHaveLength(added.length);
    expect(svg).toContain('>mechanism joins (+name)</text>');
    // Each meta session has its transcript file, linked from the report.
    const sessions = (JSON.parse(printed.stdout) as { metaSessions: { id: string }[] }).metaSessions;
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      const transcript = readFileSync(join(out, 'sessions', `${session.id}.md`), 'utf8');
      expect(transcript).toMatch(new RegExp(`^# Meta session ${session.id} of run ${id}`));
      expect(transcript).toContain('## Diagnosis of the trace');
      expect(markdown).toContain(`](sessions/${session.id}.md)`);
    }
  }, 240_000);
});

describe('bilevel report on a task folder inside a git repository (real run, synthetic task)', () => {
  it('gives a command that adopts best.patch there, where a plain `git apply` silently skips the files', async () => {
    const root = join(stateDir, 'user-repo');
    const taskDir = join(root, 'tasks', 'mine');
    await cp(fileURLToPath(new URL('../tasks/synthetic', import.meta.url)), taskDir, { recursive: true });
    const git = (cwd: string, ...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd, encoding: 'utf8' });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'my task');
    const repoState = join(stateDir, 'repo-state');
    const run = await runCli([
      'run',
      '--task',
      taskDir,
      '--proposer',
      'random',
      '--trials',
      '3',
      '--state-dir',
      repoState,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const id = /run (\S+) finished/.exec(run.stdout)?.[1] as string;
    const out = join(repoState, 'out');
    const result = await runReport([id, '--state-dir', repoState, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('it sits at `tasks/mine/` in a git repository');
    expect(markdown).toContain('Checked now with `git apply --check`: it applies cleanly.');
    const command = /```sh\n(.*)\n```/.exec(markdown)?.[1] as string;
    expect(command).toBe(`cd ${taskDir} && git apply --directory=tasks/mine/ ${join(out, 'best.patch')}`);

    const before = readFileSync(join(taskDir, 'train.ts'), 'utf8');
    execFileSync('git', ['apply', join(out, 'best.patch')], { cwd: taskDir });
    expect(readFileSync(join(taskDir, 'train.ts'), 'utf8')).toBe(before);
    execFileSync('sh', ['-c', command], { cwd: stateDir });
    const kept = readFileSync(join(repoState, 'runs', id, 'work', 'train.ts'), 'utf8');
    expect(readFileSync(join(taskDir, 'train.ts'), 'utf8')).toBe(kept);
    expect(kept).not.toBe(before);
  }, 120_000);
});
