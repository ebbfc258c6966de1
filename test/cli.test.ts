// The command line end to end: the real binary, the synthetic task, the documented JSON and exit codes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

const statuses = ['keep', 'discard', 'crash', 'timeout', 'rejected'];

describe('bilevel CLI (real binary)', () => {
  it('runs 50 random trials on the synthetic task; status --json lists 51 trials; results.tsv has 51 rows', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-cli-'));
    const run = await runCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--trials',
      '50',
      '--state-dir',
      stateDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const runId = /run (\S+) finished/.exec(run.stdout)?.[1] as string;
    expect(runId).toBeTruthy();

    const status = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ id: runId, task: 'synthetic', state: 'finished', levels: ['1'] });
    expect(parsed.trials.map((trial: { index: number }) => trial.index)).toEqual([...Array(51).keys()]);
    for (const trial of parsed.trials) expect(statuses).toContain(trial.status);
    expect(parsed.baseline).toBeCloseTo(1.1, 1);
    expect(parsed.best.metric).toBeLessThanOrEqual(parsed.baseline);
    expect(parsed.llm).toMatchObject({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(Array.isArray(parsed.mechanisms)).toBe(true);

    const rows = readFileSync(join(stateDir, 'runs', runId, 'results.tsv'), 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('commit\tval_bpb\tmemory_gb\tstatus\tdescription');
    expect(rows).toHaveLength(52);
    for (const row of rows.slice(1)) expect(row.split('\t')).toHaveLength(5);
    // Every row names its trial's commit; the description is the proposal's, the judge's reason is not in it.
    const work = join(stateDir, 'runs', runId, 'work');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8' });
    rows.slice(1).forEach((row, index) => {
      const [commit, , , status, description] = row.split('\t');
      const trial = parsed.trials[index];
      expect(commit).toMatch(/^[0-9a-f]{7}$/);
      expect(trial.commit.startsWith(commit)).toBe(true);
      expect([status, description]).toEqual([trial.status, trial.summary]);
    });
    // A discarded trial's code is one `git show` away, and the run's branch holds only the kept trials.
    const discarded = parsed.trials.find((trial: { status: string }) => trial.status === 'discard');
    const patch = readFileSync(
      join(stateDir, 'runs', runId, 'trials', String(discarded.index).padStart(4, '0'), 'diff.patch'),
      'utf8',
    );
    expect(git('show', '--format=', discarded.commit)).toBe(patch);
    const kept = parsed.trials.filter((trial: { status: string }) => trial.status === 'keep');
    expect(git('log', '--format=%H', `bilevel/${runId}`).trim().split('\n').sort()).toEqual(
      kept.map((trial: { commit: string }) => trial.commit).sort(),
    );

    const list = await runCli(['status', '--json', '--state-dir', stateDir]);
    expect(JSON.parse(list.stdout).runs).toEqual([
      expect.objectContaining({ id: runId, trials: 51, state: 'finished' }),
    ]);
  }, 240_000);

  it('exits 2 with the ways to configure an LLM when none is configured', async () => {
    const result = await runCli(
      ['run', '--task', 'synthetic', '--trials', '1', '--state-dir', join(tmpdir(), 'unused')],
      {
        env: {
          OPENAI_API_KEY: '',
          ANTHROPIC_API_KEY: '',
          DEEPSEEK_API_KEY: '',
          BILEVEL_MODEL_DIR: join(tmpdir(), 'no-models'),
        },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LLM_NOT_CONFIGURED/);
    expect(result.stderr).toMatch(/--proposer random/);
  });

  it('exits 2 on bad flags and unknown tasks, saying what to pass', async () => {
    const bad = await runCli(['run', '--task', 'synthetic', '--proposer', 'random', '--trials', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--trials expects a number/);
    const unknown = await runCli(['run', '--task', 'no-such-task', '--proposer', 'random']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/TASK_NOT_FOUND.*synthetic/);
    const missing = await runCli([
      'status',
      'no-such-run',
      '--state-dir',
      await mkdtemp(join(tmpdir(), 'bilevel-empty-')),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/RUN_NOT_FOUND/);
  });

  it('prints its version; an unknown or repeated --mechanisms name exits 2 before any run exists', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(version.stdout.trim()).toBe(manifest.version);

    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-mechanism-typo-'));
    const base = ['run', '--task', 'synthetic', '--proposer', 'random', '--trials', '1', '--state-dir', stateDir];
    const unknown = await runCli([...base, '--mechanisms', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/MECHANISM_NOT_FOUND.*"nosuch"/);
    expect(unknown.stderr).toMatch(/Built-in: .*tabu/);
    const repeated = await runCli([...base, '--mechanisms', 'tabu,tabu']);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toMatch(/USAGE.*"tabu" is listed twice/);
    const status = await runCli(['status', '--json', '--state-dir', stateDir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).runs).toEqual([]);
  });

  it('lists the built-in tasks', async () => {
    const result = await runCli(['tasks', 'list', '--json']);
    expect(result.code).toBe(0);
    const names = JSON.parse(result.stdout).tasks.map((task: { name: string }) => task.name);
    expect(names).toEqual(expect.arrayContaining(['synthetic', 'tinygpt']));
  });

  it('shows a task as a run sees it (params discovered from a Python file), and lists every problem of a bad one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-task-show-'));
    const good = join(root, 'good');
    await mkdir(good);
    await writeFile(
      join(good, 'train.py'),
      'import math\nLR = 0.01\nDEPTH = 8\nWINDOW = "SSSL"\nprint("val_bpb: 1.0")\n',
    );
    await writeFile(
      join(good, 'task.json'),
      JSON.stringify({
        name: 'good',
        description: 'a Python task',
        editable: ['train.py'],
        command: ['python3', 'train.py'],
        metric: { name: 'val_bpb', direction: 'minimize' },
        budgetSeconds: 5,
        timeoutSeconds: 10,
      }),
    );
    const shown = await runCli(['tasks', 'show', good, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const task = JSON.parse(shown.stdout) as { params: { name: string; type: string }[]; defaults: object };
    expect(task.params.map((param) => [param.name, param.type])).toEqual([
      ['LR', 'number'],
      ['DEPTH', 'number'],
      ['WINDOW', 'choice'],
    ]);
    expect(task.defaults).toEqual({ LR: 0.01, DEPTH: 8, WINDOW: 'SSSL' });
    const text = await runCli(['tasks', 'show', good]);
    expect(text.stdout).toMatch(/3 tunable params \(discovered from UPPER_CASE constants\)/);
    expect(text.stdout).toMatch(/^LR +0\.01 +number in \[/m);

    const bad = join(root, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'task.json'), JSON.stringify({ name: 'Bad Name', editable: [], command: 'python x.py' }));
    const refused = await runCli(['tasks', 'show', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/TASK_INVALID.*7 problems/);
    expect(refused.stderr).toMatch(/- name: expected lowercase/);
    expect(refused.stderr).toMatch(/- timeoutSeconds: missing/);
  });

  it('finishes quietly with exit 0 when its reader goes away (bilevel … | head)', async () => {
    const child = startCli(['mechanisms', 'list']);
    child.stdout?.destroy();
    const result = await collect(child);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.code).toBe(0);
  });

  it('says what is counted and which mechanisms run, and after a Ctrl-C during the baseline that nothing was measured', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-early-stop-'));
    const taskDir = join(root, 'toy');
    await cp(fileURLToPath(new URL('./fixtures/toy-task', import.meta.url)), taskDir, { recursive: true });
    const train = join(taskDir, 'train.mjs');
    await writeFile(train, (await readFile(train, 'utf8')).replace("BEHAVIOUR = 'normal'", "BEHAVIOUR = 'hang'"));
    const stateDir = join(root, 'state');
    const args = ['run', '--task', taskDir, '--proposer', 'random', '--trials', '4', '--mechanisms', 'tabu,bandit'];
    const child = startCli([...args, '--state-dir', stateDir]);
    const done = collect(child);
    const header = await waitForOutput(child, /^run (\S+) on toy \((.*)\)$/m);
    expect(header[2]).toBe(
      'levels 1, proposer random, baseline + 4 trials, budget 1 s, seed 0, mechanisms: tabu, bandit',
    );
    child.kill('SIGINT');
    const ended = await done;
    expect(ended.code).toBe(130);
    const runId = header[1] as string;
    expect(ended.stdout).toContain(
      'score: nothing measured yet (the run stopped before the baseline, trial 0, finished)',
    );
    expect(ended.stdout).toContain('trials: 0 recorded of 5 planned (baseline + 4)\n');
    expect(ended.stdout).toContain(`continue: bilevel resume ${runId}`);
    expect(ended.stdout).not.toMatch(/baseline —|best none/);
    const status = await runCli(['status', runId, '--state-dir', stateDir]);
    expect(status.stdout).toMatch(/^trials 0 recorded of 5 planned \(baseline \+ 4\)$/m);
  }, 60_000);

  it('warns at the start when Level 2 cannot run within the trials, and the flag it names makes it run', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-reach-'));
    const args = ['run', '--task', 'synthetic', '--proposer', 'random', '--levels', '1,1.5,2', '--trials', '6'];
    const short = await runCli([...args, '--outer-every', '3', '--json', '--state-dir', stateDir]);
    expect(short.code, short.stderr).toBe(0);
    const warning = /^warning: Level 2 cannot run in this run: .*To let it run: (.*)\.$/m.exec(short.stderr);
    expect(warning?.[1]).toBe('--trials 7 or more, or --meta-every 1 (a session after trial 3)');
    expect(JSON.parse(short.stdout).metaSessions).toEqual([]);

    const fixed = await runCli([...args, '--outer-every', '3', '--meta-every', '1', '--json', '--state-dir', stateDir]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).not.toContain('warning: Level 2');
    expect(JSON.parse(fixed.stdout).metaSessions.map((session: { afterTrial: number }) => session.afterTrial)).toEqual([
      3,
    ]);
  }, 120_000);
});
