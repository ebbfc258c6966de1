import { describe, expect, it } from 'vitest';
import type { MetaSessionRecord } from '../storage/meta-tables.js';
import { fenced, renderSessionTranscript, sessionTranscriptPath } from './session-transcript.js';

const session: MetaSessionRecord = {
  id: 'm10',
  runId: 'run-1',
  afterTrial: 10,
  mode: 'llm',
  trigger: 'cadence',
  diagnosis: { symptoms: ['repetition'], plateauLength: 4 },
  rounds: [
    {
      round: 'explore',
      promptSha256: 'a'.repeat(64),
      prompt: 'Here is the loop:\n```ts\nconst x = 1;\n```\nand a ````quad```` fence.',
      reply: { candidates: [{ name: 'tabu-lite' }] },
    },
    { round: 'critique', promptSha256: 'b'.repeat(64), prompt: 'Score them.', reply: null, error: 'not JSON' },
  ],
  chosen: { name: 'tabu-lite' },
  attempts: [{ attempt: 0, sourceSha256: 'c'.repeat(64), source: 'export default 1;', gate: { ok: false } }],
  outcome: 'failed',
  mechanism: null,
  detail: 'no usable critique',
  createdAt: '2026-11-27T00:00:00.000Z',
};

describe('renderSessionTranscript', () => {
  it('keeps every prompt, reply, source and gate report whole, with the round errors', () => {
    const markdown = renderSessionTranscript(session);
    expect(markdown).toMatch(/^# Meta session m10 of run run-1\n/);
    expect(markdown).toContain(session.rounds[0]?.prompt);
    expect(markdown).toContain('"name": "tabu-lite"');
    expect(markdown).toContain('## Round: critique');
    expect(markdown).toContain('No usable reply: not JSON');
    expect(markdown).toContain('export default 1;');
    expect(markdown).toContain('## Gate attempt 1');
    expect(markdown).toContain(`sha256 ${'a'.repeat(64)}`);
  });

  it('fences text with a fence longer than any backtick run inside it, so a prompt cannot close it', () => {
    const text = 'a ```` b';
    const block = fenced(text, 'text');
    expect(block.startsWith('`````text\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
    expect(fenced('plain', 'ts')).toBe('```ts\nplain\n```');
  });

  it('names files from session ids with only safe characters', () => {
    expect(sessionTranscriptPath('m10')).toBe('sessions/m10.md');
    expect(sessionTranscriptPath('../x')).toBe('sessions/___x.md');
  });
});
