import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startFakeOpenAiServer } from '../../test/fakes/fake-openai-server.js';
import type { BilevelError } from '../core/errors.js';
import { readCassette, requestHash } from './cassette.js';
import { createLanguageModel } from './create-language-model.js';
import type { GenerateRequest } from './language-model.js';
import { redactSecrets } from './redact-secrets.js';

const key = 'sk-live-SECRETKEY0123456789abcdef';
const token = 'tok-9f8e7d6c5b4a39281706';
const env = { OPENAI_COMPATIBLE_API_KEY: key, HF_TOKEN: token };

function ask(content: string, seed = 1): GenerateRequest {
  return { role: 'propose', system: 'sys', messages: [{ role: 'user', content }], seed, temperature: 0.5 };
}

describe('cassettes: record through the fake OpenAI-compatible server, replay offline', () => {
  test('replay answers the same requests in the recorded order, with the server gone', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cassette-'));
    const cassette = join(directory, 'nested', 'run.jsonl');
    const server = await startFakeOpenAiServer();
    server.enqueue(
      { text: 'first' },
      { text: '' },
      { text: 'second' },
      { status: 503 },
      { text: 'third (same request again)' },
    );
    const recorder = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      record: cassette,
      retry: { initialDelayMs: 5 },
    });
    const recorded = [
      await recorder.generate(ask('a')),
      await recorder.generate(ask('b')),
      await recorder.generate(ask('a')),
    ].map((response) => response.text);
    await server.close();
    expect(recorded).toEqual(['first', 'second', 'third (same request again)']);

    const replay = await createLanguageModel(`replay:${cassette}`, { env: {} });
    expect(replay.provider).toBe('replay');
    expect(replay.supportsJsonSchema).toBe(true);
    const replayed = [
      await replay.generate(ask('a')),
      await replay.generate(ask('b')),
      await replay.generate(ask('a')),
    ].map((response) => response.text);
    expect(replayed).toEqual(recorded);

    const entries = readCassette(cassette);
    // The empty reply was recorded and retried: the replay retries it too, to the same answer.
    expect(entries.map((entry) => [entry.occurrence, entry.response.text])).toEqual([
      [0, 'first'],
      [0, ''],
      [1, 'second'],
      [1, 'third (same request again)'],
    ]);
    expect(entries[0]?.hash).toBe(requestHash(ask('a')));
  });

  test('a request that was not recorded is LLM_REPLAY_MISS naming its hash', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cassette-'));
    const cassette = join(directory, 'run.jsonl');
    const server = await startFakeOpenAiServer({ replies: [{ text: 'only one' }] });
    const recorder = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      record: cassette,
    });
    await recorder.generate(ask('a'));
    await server.close();
    const replay = await createLanguageModel(`replay:${cassette}`);
    const changed = (await replay.generate(ask('a', 2)).catch((caught: unknown) => caught)) as BilevelError;
    expect(changed.code).toBe('LLM_REPLAY_MISS');
    expect(changed.message).toContain(requestHash(ask('a', 2)).slice(0, 16));
    expect(changed.hint).toContain('--record');
    await replay.generate(ask('a'));
    const again = (await replay.generate(ask('a')).catch((caught: unknown) => caught)) as BilevelError;
    expect(again.message).toMatch(/call 2; recorded 1 time\)/);
  });

  test('keys, Authorization headers and tokens never reach the cassette, even when a prompt quotes them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cassette-'));
    const cassette = join(directory, 'run.jsonl');
    const server = await startFakeOpenAiServer({ replies: [{ text: `echo Bearer ${key} and ${token}` }] });
    const recorder = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      record: cassette,
    });
    await recorder.generate(ask(`my key is ${key}, token ${token}, header Authorization: Bearer abcdefgh12345678`));
    await server.close();
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    const text = readFileSync(cassette, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(token);
    expect(text).not.toContain('abcdefgh12345678');
    expect(text.toLowerCase()).not.toContain('"authorization"');
    expect(text).toContain('[REDACTED]');
  });

  test('a malformed cassette line is STATE_CORRUPT naming the line; a missing file is CONFIG', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cassette-'));
    const cassette = join(directory, 'bad.jsonl');
    writeFileSync(cassette, '\n{"version":1}\n');
    expect(() => readCassette(cassette)).toThrow(/line 2/);
    const missing = (await createLanguageModel(`replay:${join(directory, 'none.jsonl')}`).catch(
      (caught: unknown) => caught,
    )) as BilevelError;
    expect(missing.code).toBe('CONFIG');
  });
});

test('redactSecrets removes given values, bearer tokens, sk- keys and key-named JSON fields', () => {
  const text = JSON.stringify({
    note: 'Bearer abcdefghijkl sk-abcdefghijklmnopqrstu X',
    'x-api-key': 'plain',
    other: 'SECRET1234',
  });
  const redacted = redactSecrets(text, ['SECRET1234']);
  expect(redacted).not.toMatch(/abcdefghijkl|plain|SECRET1234/);
});
