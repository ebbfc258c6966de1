// A failed LLM call, with what the retry wrapper needs to decide: kind, HTTP status, retryable, Retry-After.
import { APICallError } from 'ai';
import { BilevelError } from '../core/errors.js';
import { redactSecrets, secretValues } from './redact-secrets.js';

/**
 * `http`: the server answered with an error status. `network`, `timeout`: no answer. `invalid-response`: an answer
 * that is not a usable reply (a 200 with no choices, a non-JSON body, content of the wrong type, an event stream to
 * a plain request). `empty`: a reply with no text. `aborted`: the caller stopped it. `unexpected`: anything else.
 */
export type LlmCallErrorKind = 'http' | 'network' | 'timeout' | 'empty' | 'aborted' | 'invalid-response' | 'unexpected';

export class LlmCallError extends BilevelError {
  override readonly name = 'LlmCallError';
  readonly kind: LlmCallErrorKind;
  /** HTTP status for `http` failures (and the 2xx of an `invalid-response`). */
  readonly status: number | undefined;
  /**
   * An outage (408/409/429/5xx, network, timeout): retried with backoff for as long as the run's patience allows,
   * and past it the run stops, resumable.
   */
  readonly outage: boolean;
  /**
   * Worth another call: every outage, and a malformed or empty reply (retried a few times, never for the whole
   * patience: a model that answers garbage deterministically is not an outage).
   */
  readonly retryable: boolean;
  /** The request itself is refused on every call (bad key, unknown model): a run stops at once, failed. */
  readonly configuration: boolean;
  /** Milliseconds the server asked us to wait (Retry-After / retry-after-ms), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: LlmCallErrorKind,
    message: string,
    options: {
      status?: number;
      retryable?: boolean;
      outage?: boolean;
      configuration?: boolean;
      retryAfterMs?: number;
      hint?: string;
      cause?: unknown;
    } = {},
  ) {
    super('LLM_CALL_FAILED', message, {
      hint: options.hint ?? 'Check the model id, the server and your network; the call is retried before this appears.',
      cause: options.cause,
    });
    this.kind = kind;
    this.status = options.status;
    this.outage = options.outage ?? (kind === 'network' || kind === 'timeout');
    this.retryable = options.retryable ?? (this.outage || kind === 'empty' || kind === 'invalid-response');
    this.configuration = options.configuration ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isLlmCallError(value: unknown): value is LlmCallError {
  return value instanceof LlmCallError;
}

/** Longest slice of a server's error body kept in a message, in characters. */
const maxBodyInMessage = 300;

/**
 * Turns whatever a provider call threw into an LlmCallError. Only the status, the URL's host and a clipped
 * response body are kept: request headers never reach the message, and `secrets` (default: credential-looking
 * environment variables) plus key-shaped strings a server may echo back are redacted.
 */
export function toLlmCallError(
  error: unknown,
  signal: AbortSignal | undefined,
  secrets: readonly string[] = secretValues(),
): LlmCallError {
  if (error instanceof LlmCallError) return error;
  const clean = (text: string) => redactSecrets(text, secrets);
  if (signal?.aborted)
    return new LlmCallError('aborted', 'the LLM call was aborted', { retryable: false, cause: error });
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const body = clean((error.responseBody ?? '').slice(0, maxBodyInMessage));
    const where = safeHost(error.url);
    if (status === undefined) {
      return new LlmCallError('network', `LLM call to ${where} failed: ${clean(error.message)}`, { cause: error });
    }
    if (status >= 200 && status < 300) {
      // The server said OK: a body cut off mid-way is a dropped connection, anything else a malformed reply.
      if (error.isRetryable) {
        return new LlmCallError('network', `LLM call to ${where}: the reply was cut off (${clean(error.message)})`, {
          status,
          cause: error,
        });
      }
      return malformed(
        `LLM call to ${where} returned an unusable HTTP ${status} reply: ${body || clean(error.message)}`,
        error,
        status,
      );
    }
    const outage = status === 408 || status === 409 || status === 429 || status >= 500;
    return new LlmCallError(
      'http',
      `LLM call to ${where} failed with HTTP ${status}: ${body || clean(error.message)}`,
      {
        status,
        outage,
        retryable: outage,
        retryAfterMs: parseRetryAfter(error.responseHeaders),
        hint: hintForStatus(status),
        cause: error,
      },
    );
  }
  const message = clean(error instanceof Error ? error.message : String(error));
  if (error instanceof Error && malformedReplyErrors.has(error.name)) {
    return malformed(`LLM call returned an unusable reply: ${message}`, error);
  }
  if (error instanceof TypeError || /ECONN|ETIMEDOUT|EAI_AGAIN|socket|fetch failed|network|terminated/i.test(message)) {
    return new LlmCallError('network', `LLM call failed: ${message}`, { cause: error });
  }
  return new LlmCallError('unexpected', `LLM call failed: ${message}`, { retryable: false, cause: error });
}

/** The AI SDK's errors for an answer that is not a usable reply (the call itself went through). */
const malformedReplyErrors = new Set([
  'AI_InvalidResponseDataError',
  'AI_TypeValidationError',
  'AI_JSONParseError',
  'AI_EmptyResponseBodyError',
  'AI_NoContentGeneratedError',
  'AI_InvalidStreamPartError',
]);

function malformed(message: string, cause: unknown, status?: number): LlmCallError {
  return new LlmCallError('invalid-response', message, {
    ...(status === undefined ? {} : { status }),
    hint: 'The server answered, but not with a usable reply: the trial records it and the run goes on; check the server if it persists.',
    cause,
  });
}

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date); undefined when absent. */
export function parseRetryAfter(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  const milliseconds = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function hintForStatus(status: number): string {
  if (status === 401 || status === 403) return 'The API key was refused: check the key in your environment.';
  if (status === 404) return 'The model or endpoint was not found: check the model id and --llm-base-url.';
  if (status === 429) return 'Rate limited: wait, lower the request rate, or raise your quota.';
  if (status >= 500) return 'The provider had a server error: try again later.';
  return 'Check the model id and the request limits of the provider.';
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}
