// Retries with exponential backoff and jitter: outages (429, 5xx, network, timeouts) through the patience, bad replies a few times.
import { isBilevelError } from '../core/errors.js';
import type { LanguageModel } from './language-model.js';
import { isLlmCallError, type LlmCallError, toLlmCallError } from './llm-call-error.js';
import { wrapModel } from './wrap-model.js';

export interface RetryOptions {
  /** Retries after the first try (so up to maxRetries + 1 calls). Default 3. */
  maxRetries?: number;
  /** First backoff, in milliseconds; doubles each retry. Default 1000. */
  initialDelayMs?: number;
  /** Longest backoff, in milliseconds, also the cap on a server's Retry-After. Default 60000. */
  maxDelayMs?: number;
  /**
   * Past `maxRetries`, go on retrying an outage (429, 5xx, network, timeout) while no more than this many
   * milliseconds have passed since the call's first failure (a provider outage in the middle of an overnight run).
   * A malformed or empty reply is retried `maxRetries` times only. Default 0.
   */
  patienceMs?: number;
  /** Uniform [0, 1) source for jitter (injectable for tests). */
  random?: () => number;
  /** Called before each wait, e.g. to log "retrying in 2 s (HTTP 429)". */
  onRetry?: (event: { retry: number; delayMs: number; error: LlmCallError }) => void;
}

/**
 * Retries retryable failures `maxRetries` times, outages then for as long as `patienceMs` allows; gives up with the
 * last error. A Retry-After from the server is honoured.
 */
export function withRetry(model: LanguageModel, options: RetryOptions = {}): LanguageModel {
  const maxRetries = options.maxRetries ?? 3;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const patienceMs = options.patienceMs ?? 0;
  const random = options.random ?? Math.random;
  return wrapModel(model, async (request) => {
    let firstFailureAt: number | undefined;
    for (let retry = 0; ; retry++) {
      try {
        return await model.generate(request);
      } catch (thrown) {
        // Our own errors (budget, replay miss) are not call failures: never retried.
        if (isBilevelError(thrown) && !isLlmCallError(thrown)) throw thrown;
        const error = toLlmCallError(thrown, request.signal);
        if (!error.retryable || request.signal?.aborted) throw error;
        firstFailureAt ??= performance.now();
        const backoff = initialDelayMs * 2 ** Math.min(retry, 30);
        const jittered = backoff / 2 + (random() * backoff) / 2;
        const delayMs = Math.round(Math.min(maxDelayMs, Math.max(jittered, error.retryAfterMs ?? 0)));
        const patient = error.outage && performance.now() - firstFailureAt + delayMs <= patienceMs;
        if (retry >= maxRetries && !patient) throw error;
        options.onRetry?.({ retry: retry + 1, delayMs, error });
        await sleep(delayMs, request.signal);
      }
    }
  });
}

/** Waits `milliseconds`, or rejects early when `signal` aborts. */
function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(toLlmCallError(signal.reason, signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(toLlmCallError(signal?.reason, signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
