// Malformed HTTP 200 replies and refused requests end to end through the real binary (a local fake OpenAI-compatible
// server): a malformed reply is a recorded outcome and the run goes on at every level; a key refused on every call
// stops the run at once with a clear error.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import type { ScriptedReply } from './fakes/scripted-http-server.js';
import { runCli } from './helpers/cli.js';

const malformed: ScriptedReply<{ text: string }>[] = [
  { raw: '{"choices":[]}' },
  { raw: JSON.stringify({ id: 'x', created: 1, model: 'm', choices: [{ index: 0, message: { content: 123 } }] }) },
  { raw: 'Internal proxy page: everything is fine', contentType: 'text/html' },
  { raw: 'data: {"choices":[{"delta":{"content":"{"}}]}\n\ndata: [DONE]\n\n', contentType: 'text/event-stream' },
  { raw: '[]' },
];

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Status {
  state: string;
  trials: { index: number; status: string; reason?: string }[];
}

async function statusOf(stateDir: string, runId: string): Promise<Status> {
  return JSON.parse((await runCli(['status', runId, '--json', '--state-dir', stateDir])).stdout) as Status;
}

const runFlags = (url: string, stateDir: string) => [
  'run',
  '--task',
  'synthetic',
  '--llm',
  'openai-compatible:fake',
  '--llm-base-url',
  url,
  '--llm-retry-delay',
  '0',
  '--llm-patience',
  '0',
  '--state-dir',
  stateDir,
];

describe('malformed replies and refusals through the CLI (local fake OpenAI-compatible server)', () => {
  it('malformed 200s on every call: every trial is rejected with the reason, Level 1.5 and 2 skip and say so, the run finishes', async () => {
    server = await startFakeOpenAiServer();
    let calls = 0;
    server.setFallback(() => malformed[calls++ % malformed.length] as ScriptedReply<{ text: string }>);
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-malformed-'));
    const result = await runCli([
      ...runFlags(server.baseUrl, stateDir),
      '--levels',
      '1,1.5,2',
      '--trials',
      '4',
      '--outer-every',
      '2',
      '--meta-every',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.stdout).toMatch(/level 1\.5 cycle 1 skipped, the settings stay as they were: .*unusable/);
    expect(result.stdout).toMatch(/level 2 session \S+ \(llm, [^)]+\): failed — the explore round failed/);
    const runId = /run (\S+) finished/.exec(result.stdout)?.[1] as string;
    const status = await statusOf(stateDir, runId);
    expect(status.state).toBe('finished');
    expect(status.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4]);
    for (const trial of status.trials.slice(1)) {
      expect(trial.status).toBe('rejected');
      expect(trial.reason).toMatch(/unusable/);
    }
  }, 180_000);

  it('a 401 on every call stops the run at once (exit 1, failed) with the provider’s message, before any trial', async () => {
    server = await startFakeOpenAiServer();
    server.setFallback(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }));
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-refused-'));
    const result = await runCli([...runFlags(server.baseUrl, stateDir), '--levels', '1', '--trials', '5']);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toMatch(/error \[LLM_CALL_FAILED\]: .*HTTP 401: .*Incorrect API key provided/);
    expect(result.stderr).toMatch(/API key was refused/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const runId = /run (\S+) on synthetic/.exec(result.stdout)?.[1] as string;
    const status = await statusOf(stateDir, runId);
    expect(status.state).toBe('failed');
    expect(status.trials.map((trial) => trial.index)).toEqual([0]);
    // One call, not one per trial or per retry.
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);
  }, 120_000);
});
