// tinygpt's training harness (protected): runs train.ts under the time budget, kills it when it overruns, and checks
// that it saved a model for the evaluator. The budget rule lives here and in harness.ts, nowhere else.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetSeconds, outputPath } from './harness.js';

/** Training may overrun the budget by this share plus the start-up allowance before the child is killed. */
const OVERRUN_SHARE = 0.25;
/** Seconds allowed for train.ts to start (load data, build the model), finish its last step and save the model. */
const STARTUP_SECONDS = 30;

const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function fail(reason: string): never {
  say(`harness: FAILED: ${reason}`);
  process.exit(1);
}

let budget: number;
try {
  budget = budgetSeconds();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
say(`harness: budget ${budget} s, seed ${process.env.BILEVEL_SEED ?? '(train.ts default)'}`);
const child = spawn(process.execPath, [...process.execArgv, 'train.ts'], {
  cwd: here,
  env: { ...process.env, BILEVEL_BUDGET_SECONDS: String(budget) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.on('SIGTERM', () => {
  child.kill('SIGKILL');
  fail('harness stopped (SIGTERM)');
});
const limit = budget * (1 + OVERRUN_SHARE) + STARTUP_SECONDS;
const deadline = setTimeout(() => {
  child.kill('SIGKILL');
  fail(`train.ts ran past ${limit.toFixed(0)} s (budget ${budget} s)`);
}, limit * 1000);
const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
  child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
);
clearTimeout(deadline);
if (code !== 0) fail(`train.ts exited (${signal ?? `code ${code}`})`);
if (!existsSync(outputPath('model.bin'))) fail(`train.ts saved no model (${outputPath('model.bin')})`);
say(`harness: training done; model saved for the evaluator`);
