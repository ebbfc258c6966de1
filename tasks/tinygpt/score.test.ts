// Runs tinygpt's protected programs as the loop does, as subprocesses on a copy of the task with tiny budgets: the
// data preparation, the training harness (run-training.ts) and the evaluator (score.ts, serving train.ts itself).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const taskDir = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(taskDir, '..', '..');
const tsxLoader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const scratch = mkdtempSync(join(tmpdir(), 'tinygpt-test-'));
const data = join(scratch, 'data');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function runScript(work: string, script: string, budget = 1): Promise<Run> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      ['--import', tsxLoader, script],
      {
        cwd: work,
        timeout: 50_000,
        env: {
          ...process.env,
          BILEVEL_BUDGET_SECONDS: String(budget),
          BILEVEL_SEED: '3',
          BILEVEL_DATA_DIR: data,
          BILEVEL_OUTPUT_DIR: join(work, '..', `${work.split('/').at(-1)}-output`),
          BILEVEL_PACKAGE_ROOT: packageRoot,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolvePromise({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

/** A copy of the task outside the package (as a run's working copy), optionally with another train.ts, and its output folder. */
function workingCopy(name: string, trainSource?: string): string {
  const work = join(scratch, name);
  cpSync(taskDir, work, { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  mkdirSync(`${work}-output`, { recursive: true });
  if (trainSource !== undefined) writeFileSync(join(work, 'train.ts'), trainSource);
  return work;
}

/** The value the loop reads: the last line that starts exactly with `val_bpb:`. */
function metric(stdout: string): string | undefined {
  return [...stdout.matchAll(/^val_bpb:\s*(\S+)/gm)].at(-1)?.[1];
}

/** An edited train.ts that saves an empty "model" and serves `logits` (a function body over tokens, windows, length). */
function servingTrain(logits: string, extra = ''): string {
  return [
    "import { writeFileSync } from 'node:fs';",
    "import { outputPath, serveModel } from './harness.js';",
    "if (process.argv.includes('--serve')) {",
    `  await serveModel({ contextLength: 64, logits: (tokens: Uint8Array, windows: number, length: number) => { ${logits} } });`,
    '} else {',
    `  ${extra}`,
    "  writeFileSync(outputPath('model.bin'), '');",
    '}',
  ].join('\n');
}
const uniform = 'return new Float32Array(windows * length * 256);';

beforeAll(async () => {
  const prepared = await runScript(workingCopy('prepare'), 'prepare.ts');
  expect(prepared.code, prepared.stdout + prepared.stderr).toBe(0);
});

describe('tinygpt protected programs as subprocesses', () => {
  it('trains the real train.ts for a 1 s budget, saves it, and the evaluator prints val_bpb with the reference lines', async () => {
    const work = workingCopy('real');
    const training = await runScript(work, 'run-training.ts');
    expect(training.code, training.stdout + training.stderr).toBe(0);
    expect(training.stdout).toMatch(/^num_steps: +\d+$/m);
    expect(metric(training.stdout)).toBeUndefined();
    const scored = await runScript(work, 'score.ts');
    expect(scored.code, scored.stdout + scored.stderr).toBe(0);
    const value = Number(metric(scored.stdout));
    expect(value).toBeGreaterThan(2);
    expect(value).toBeLessThan(8.5);
    expect(scored.stdout).toMatch(/^unigram_bpb:\s+4\.\d+$/m);
    expect(scored.stdout).toMatch(/^bigram_bpb:\s+3\.\d+$/m);
    expect(scored.stdout).toMatch(/^causal_check:\s+passed/m);
  });

  it('scores what the served model answers, whatever train.ts printed (uniform model = 8 bits)', async () => {
    const fake = servingTrain(uniform, "console.log('val_bpb: 0.001'); console.error('val_bpb: 0.003');");
    const work = workingCopy('fake', fake);
    const training = await runScript(work, 'run-training.ts');
    expect(training.code, training.stdout + training.stderr).toBe(0);
    expect(training.stdout).toContain('val_bpb: 0.001');
    const scored = await runScript(work, 'score.ts');
    expect(scored.code, scored.stdout + scored.stderr).toBe(0);
    expect(metric(scored.stdout)).toBe('8.000000');
  });

  it('turns a syntax error in train.ts into a quick training failure (exit 1)', async () => {
    const run = await runScript(workingCopy('syntax', 'const x = ;\n'), 'run-training.ts');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/harness: FAILED: train\.ts exited \(code 1\)/);
    expect(run.seconds).toBeLessThan(20);
  });

  it('fails training that saves no model', async () => {
    const run = await runScript(workingCopy('no-model', "console.log('val_bpb: 0.001');\n"), 'run-training.ts');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/harness: FAILED: train\.ts saved no model/);
  });

  it('turns a diverging train.ts (NaN loss) into a failure', async () => {
    const source = readFileSync(join(taskDir, 'train.ts'), 'utf8');
    const edited = source.replace('const SEED = 42;', 'const SEED = 42;\nMath.exp = () => Number.NaN;');
    expect(edited).not.toBe(source);
    const run = await runScript(workingCopy('nan-loss', edited), 'run-training.ts');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/training diverged: loss is NaN/);
  });

  it('fails fast with the reason when the settings do not fit together (WIDTH not divisible by HEADS)', async () => {
    const source = readFileSync(join(taskDir, 'train.ts'), 'utf8').replace(/^const WIDTH = \d+;/m, 'const WIDTH = 66;');
    const run = await runScript(workingCopy('bad-width', source), 'run-training.ts');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/WIDTH \(66\) must be divisible by HEADS/);
    expect(run.seconds).toBeLessThan(20);
  });

  it('prints val_bpb: nan and exits 1 when the served model gives NaN logits', async () => {
    const work = workingCopy(
      'nan-logits',
      servingTrain('return new Float32Array(windows * length * 256).fill(Number.NaN);'),
    );
    const scored = await runScript(work, 'score.ts');
    expect(scored.code).toBe(1);
    expect(metric(scored.stdout)).toBe('nan');
  });

  it('rejects a model that reads ahead (non-causal logits)', async () => {
    const cheat = `const logits = new Float32Array(windows * length * 256);
      for (let w = 0; w < windows; w++) for (let t = 0; t + 1 < length; t++) logits[(w * length + t) * 256 + tokens[w * length + t + 1]!] = 30;
      return logits;`;
    const scored = await runScript(workingCopy('cheat', servingTrain(cheat)), 'score.ts');
    expect(scored.code).toBe(1);
    expect(metric(scored.stdout)).toBeUndefined();
    expect(scored.stdout).toMatch(/the model reads ahead/);
  });
});
