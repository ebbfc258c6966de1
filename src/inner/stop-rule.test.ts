import { describe, expect, it } from 'vitest';
import { BilevelError } from '../core/errors.js';
import { LlmCallError } from '../llm/llm-call-error.js';
import { isProposalFailure, isRunStop, RunInterrupted, runEndOf } from './stop-rule.js';

describe('the stop rule', () => {
  const cap = new BilevelError('LLM_BUDGET_EXHAUSTED', 'the next call would pass --max-llm-calls 4', {
    hint: 'raise it',
  });
  const outage = new LlmCallError('http', 'HTTP 503', { status: 503, outage: true });
  const badKey = new LlmCallError('http', 'HTTP 401', { status: 401, retryable: false, configuration: true });
  const oddRefusal = new LlmCallError('http', 'HTTP 400', { status: 400, retryable: false });
  const malformed = new LlmCallError('invalid-response', 'HTTP 200 with no choices', { status: 200 });

  it('stops the run for Ctrl-C and the LLM caps, wherever they are raised', () => {
    expect(isRunStop(new RunInterrupted('x'))).toBe(true);
    expect(isRunStop(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
    expect(isRunStop(new LlmCallError('aborted', 'aborted'))).toBe(true);
    expect(isRunStop(cap)).toBe(true);
    const controller = new AbortController();
    controller.abort();
    expect(isRunStop(outage, controller.signal)).toBe(true);
  });

  it('lets a Level 1.5 or Level 2 cycle absorb a failed call (an outage, an odd refusal, a malformed reply)', () => {
    expect(isRunStop(outage)).toBe(false);
    expect(isRunStop(oddRefusal)).toBe(false);
    expect(isRunStop(malformed)).toBe(false);
    expect(isRunStop(new Error('anything else'))).toBe(false);
  });

  it('stops the run for a refused configuration (bad key, unknown model) from any level', () => {
    expect(isRunStop(badKey)).toBe(true);
    expect(runEndOf(badKey)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^\[LLM_CALL_FAILED\] HTTP 401; fix/),
    });
  });

  it('a malformed reply or an odd refusal costs the proposal only; outages, configuration and surprises do not', () => {
    expect(isProposalFailure(malformed)).toBe(true);
    expect(isProposalFailure(new LlmCallError('empty', 'empty reply'))).toBe(true);
    expect(isProposalFailure(oddRefusal)).toBe(true);
    expect(isProposalFailure(outage)).toBe(false);
    expect(isProposalFailure(badKey)).toBe(false);
    expect(isProposalFailure(new LlmCallError('unexpected', 'a bug'))).toBe(false);
    expect(isProposalFailure(new Error('not a call'))).toBe(false);
  });

  it('ends the loop interrupted (resumable) for stops and an outage past the patience, failed otherwise', () => {
    expect(runEndOf(new RunInterrupted('x')).state).toBe('interrupted');
    expect(runEndOf(cap)).toEqual({
      state: 'interrupted',
      reason: 'the next call would pass --max-llm-calls 4; raise the cap and `bilevel resume`',
    });
    expect(runEndOf(outage).reason).toMatch(/stayed unreachable/);
    expect(runEndOf(oddRefusal)).toEqual({ state: 'failed', reason: '[LLM_CALL_FAILED] HTTP 400' });
    expect(runEndOf(new Error('boom'))).toEqual({ state: 'failed', reason: 'Error: boom' });
  });
});
