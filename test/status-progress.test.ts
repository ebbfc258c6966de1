// `bilevel status` on a run in flight (real binary, synthetic task): the trial running, the time left; and, once
// the driving process is SIGKILLed, that the process is gone and how to resume.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

interface Progress {
  driverAlive: boolean | null;
  remainingTrials: number;
  meanTrialSeconds: number | null;
  etaSeconds: number | null;
}

describe('status of a run in flight, and of one whose process was killed', () => {
  it('shows the trial running and the time left, then "process gone" with the resume command', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-progress-'));
    const args = ['--task', 'synthetic', '--proposer', 'random', '--trials', '400', '--state-dir', stateDir];
    const child = startCli(['run', ...args]);
    try {
      const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
      await waitForOutput(child, /trial +3\/400/);

      const live = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
      const progress = (JSON.parse(live.stdout) as { progress: Progress }).progress;
      expect(progress.driverAlive).toBe(true);
      expect(progress.meanTrialSeconds).toBeGreaterThan(0);
      expect(progress.remainingTrials).toBeGreaterThan(0);
      expect(progress.remainingTrials).toBeLessThanOrEqual(398);
      expect(progress.etaSeconds).toBeCloseTo(progress.remainingTrials * (progress.meanTrialSeconds as number), 6);
      const text = await runCli(['status', runId, '--state-dir', stateDir]);
      expect(text.stdout).toMatch(/^trial \d+ running for .*; about .* left \(\d+ trials at .* each\)$/m);

      child.kill('SIGKILL');
      await collect(child);
      const dead = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
      const after = JSON.parse(dead.stdout) as { state: string; progress: Progress };
      expect(after.state).toBe('running');
      expect(after.progress).toMatchObject({ driverAlive: false, etaSeconds: null });
      const gone = await runCli(['status', runId, '--state-dir', stateDir]);
      expect(gone.stdout).toContain(
        `the process driving this run is gone (killed, or the machine restarted): \`bilevel resume ${runId}\``,
      );
      const list = await runCli(['status', '--state-dir', stateDir]);
      expect(list.stdout).toMatch(new RegExp(`^${runId} +synthetic +running, process gone `, 'm'));
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
