// Runs the real harness (prepare.ts) as a subprocess on a copy of the task, as the loop does, with tiny budgets.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const taskDir = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(taskDir, '..', '..');
const tsxLoader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const scratch = mkdtempSync(join(tmpdir(), 'tinygpt-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Copies the task folder outside the package (as a run's working copy), optionally replacing train.ts, and runs it. */
function runHarness(name: string, trainSource?: string, budget = 1): Promise<Run> {
  const work = join(scratch, name);
  cpSync(taskDir, work, { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  if (trainSource !== undefined) writeFileSync(join(work, 'train.ts'), trainSource);
  const started = performance.now();
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      ['--import', tsxLoader, 'prepare.ts'],
      {
        cwd: work,
        timeout: 50_000,
        env: {
          ...process.env,
          BILEVEL_BUDGET_SECONDS: String(budget),
          BILEVEL_SEED: '3',
          BILEVEL_CACHE_DIR: join(scratch, 'cache'),
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

/** The value the loop reads: the last line that starts exactly with `val_bpb:`. */
function metric(stdout: string): string | undefined {
  return [...stdout.matchAll(/^val_bpb:\s*(\S+)/gm)].at(-1)?.[1];
}

const uniformModel = `{ contextLength: 64, logits: (tokens: Uint8Array, windows: number, length: number) => new Float32Array(windows * length * 256) }`;

describe('tinygpt harness (prepare.ts as a subprocess)', () => {
  it('trains the real train.ts for a 1 s budget and prints val_bpb with the reference lines', async () => {
    const run = await runHarness('real');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const value = Number(metric(run.stdout));
    expect(value).toBeGreaterThan(2);
    expect(value).toBeLessThan(8.5);
    expect(run.stdout).toMatch(/^unigram_bpb:\s+4\.\d+$/m);
    expect(run.stdout).toMatch(/^bigram_bpb:\s+3\.\d+$/m);
    expect(run.stdout).toMatch(/^causal_check:\s+passed/m);
    // train.ts's own summary is forwarded with a prefix and agrees with the harness
    expect(run.stdout).toContain(`train| val_bpb:          ${value.toFixed(6)}`);
    expect(run.stdout).toMatch(/^train\| num_steps: +\d+$/m);
  });

  it('ignores a fake val_bpb printed by train.ts: the metric comes from the harness (uniform model = 8 bits)', async () => {
    const fake = [
      "import { evaluateBpb } from './harness.js';",
      "console.log('val_bpb: 0.001');",
      `const value = await evaluateBpb(${uniformModel});`,
      "console.log('val_bpb: 0.001');",
      "process.stdout.write('\\nval_bpb: 0.002\\n');",
      "console.error('val_bpb: 0.003');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of an edited train.ts, not a template
      'console.log(`harness said ${value}`);',
    ].join('\n');
    const run = await runHarness('fake', fake);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(metric(run.stdout)).toBe('8.000000');
    expect(run.stdout).toContain('train| harness said 8');
    expect(run.stdout).toContain('train| val_bpb: 0.001');
  });

  it('turns a syntax error in train.ts into a quick failure (exit 1, no metric)', async () => {
    const run = await runHarness('syntax', 'const x = ;\n');
    expect(run.code).toBe(1);
    expect(metric(run.stdout)).toBeUndefined();
    expect(run.stdout).toMatch(/harness: FAILED: train\.ts exited \(code 1\)/);
    expect(run.seconds).toBeLessThan(20);
  });

  it('turns a diverging train.ts (NaN loss) into a failure', async () => {
    const source = readFileSync(join(taskDir, 'train.ts'), 'utf8');
    const edited = source.replace('const SEED = 42;', 'const SEED = 42;\nMath.exp = () => Number.NaN;');
    expect(edited).not.toBe(source);
    const run = await runHarness('nan-loss', edited);
    expect(run.code).toBe(1);
    expect(metric(run.stdout)).toBeUndefined();
    expect(run.stderr).toMatch(/training diverged: loss is NaN/);
  });

  it('prints val_bpb: nan and exits 1 when the model gives NaN logits', async () => {
    const model = uniformModel.replace(
      'new Float32Array(windows * length * 256)',
      'new Float32Array(windows * length * 256).fill(Number.NaN)',
    );
    const run = await runHarness(
      'nan-logits',
      `import { evaluateBpb } from './harness.js';\nawait evaluateBpb(${model});\n`,
    );
    expect(run.code).toBe(1);
    expect(metric(run.stdout)).toBe('nan');
  });

  it('fails fast with the reason when the settings do not fit together (WIDTH not divisible by HEADS)', async () => {
    const source = readFileSync(join(taskDir, 'train.ts'), 'utf8').replace(/^const WIDTH = \d+;/m, 'const WIDTH = 66;');
    const run = await runHarness('bad-width', source);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/WIDTH \(66\) must be divisible by HEADS/);
    expect(run.seconds).toBeLessThan(20);
  });

  it('rejects a model that reads ahead (non-causal logits)', async () => {
    const cheat = `{ contextLength: 64, logits: (tokens: Uint8Array, windows: number, length: number) => {
      const logits = new Float32Array(windows * length * 256);
      for (let w = 0; w < windows; w++) for (let t = 0; t + 1 < length; t++) logits[(w * length + t) * 256 + tokens[w * length + t + 1]!] = 30;
      return logits;
    } }`;
    const run = await runHarness(
      'cheat',
      `import { evaluateBpb } from './harness.js';\nawait evaluateBpb(${cheat});\n`,
    );
    expect(run.code).toBe(1);
    expect(metric(run.stdout)).toBeUndefined();
    expect(run.stdout).toMatch(/the model reads ahead/);
  });
});
