// `bilevel serve` end to end through the real binary: its first line, a real run (synthetic task) followed live
// over the event stream while it is driven, the token, and the usage errors.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

/** Reads the event stream until `predicate` holds for a `change` event's data, or the time is up. */
async function waitForChange(url: string, predicate: (data: { runs: string[] }) => boolean, timeoutMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += decoder.decode(value, { stream: true });
      for (const match of buffer.matchAll(/event: change\ndata: (.*)\n/g)) {
        if (predicate(JSON.parse(match[1] as string))) return true;
      }
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') return false;
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('bilevel serve (real binary)', () => {
  it('prints its URL first, follows a run being driven, and stops on Ctrl-C', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-serve-cli-'));
    const serve = startCli(['serve', '--state-dir', stateDir, '--port', '0']);
    const served = collect(serve);
    try {
      const url = (await waitForOutput(serve, /^serving (http:\/\/127\.0\.0\.1:\d+\/)\n/))[1] as string;
      expect(await (await fetch(`${url}api/overview`)).json()).toEqual({ runs: [], studies: [], waiting: true });

      const run = startCli([
        'run',
        '--task',
        'synthetic',
        '--proposer',
        'random',
        '--trials',
        '3',
        '--state-dir',
        stateDir,
      ]);
      const runId = (await waitForOutput(run, /run (\S+) on synthetic/))[1] as string;
      const sawTrial = waitForChange(`${url}api/events`, (data) => data.runs.includes(runId), 60_000);
      const ran = await collect(run);
      expect(ran.code, ran.stderr).toBe(0);
      expect(await sawTrial).toBe(true);

      const view = (await (await fetch(`${url}api/runs/${runId}`)).json()) as { chart: { index: number[] } };
      expect(view).toMatchObject({ id: runId, task: 'synthetic', state: 'finished', trials: 4 });
      expect(view.chart.index).toEqual([0, 1, 2, 3]);
      const overview = (await (await fetch(`${url}api/overview`)).json()) as { runs: { id: string }[] };
      expect(overview.runs.map((entry: { id: string }) => entry.id)).toEqual([runId]);
      const status = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
      expect(JSON.parse(status.stdout).trials).toHaveLength(4);

      serve.kill('SIGINT');
      const stopped = await served;
      expect(stopped.code).toBe(0);
      expect(stopped.stdout.split('\n')[1]).toBe(`state dir ${stateDir} (read-only)`);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 120_000);

  it('with --token, puts it in the URL and refuses requests without it', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-serve-token-'));
    const serve = startCli(['serve', '--state-dir', stateDir, '--port', '0', '--token', 'abc123']);
    try {
      const url = (await waitForOutput(serve, /^serving (\S+)\n/))[1] as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=abc123$/);
      const origin = new URL(url).origin;
      expect((await fetch(`${origin}/api/overview`)).status).toBe(401);
      expect((await fetch(`${origin}/api/overview?token=abc123`)).status).toBe(200);
    } finally {
      serve.kill('SIGKILL');
      await collect(serve);
    }
  }, 60_000);

  it('refuses a bad port and a port in use with exit 2 and what to do', async () => {
    const bad = await runCli(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a port number');
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-serve-busy-'));
    const first = startCli(['serve', '--state-dir', stateDir, '--port', '0']);
    try {
      const port = (await waitForOutput(first, /^serving http:\/\/127\.0\.0\.1:(\d+)\//))[1] as string;
      const second = await runCli(['serve', '--state-dir', stateDir, '--port', port]);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('EADDRINUSE');
      expect(second.stderr).toContain('--port 0');
    } finally {
      first.kill('SIGKILL');
      await collect(first);
    }
  }, 60_000);
});
