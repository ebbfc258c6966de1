// Typed errors: every unexpected failure carries a code and a next step for the user.

/** Stable error codes; listed in AGENTS.md. */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'TASK_INVALID'
  | 'TASK_NOT_FOUND'
  | 'TASK_BROKEN'
  | 'RUN_NOT_FOUND'
  | 'RUN_LOCKED'
  | 'STATE_CORRUPT'
  | 'LLM_NOT_CONFIGURED'
  | 'LLM_PROVIDER_UNKNOWN'
  | 'LLM_KEY_MISSING'
  | 'LLM_CALL_FAILED'
  | 'LLM_BUDGET_EXHAUSTED'
  | 'LLM_LOCAL_UNAVAILABLE'
  | 'LLM_MODEL_FILE_INVALID'
  | 'MODEL_UNKNOWN'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'LLM_REPLAY_MISS'
  | 'MECHANISM_NOT_FOUND'
  | 'MECHANISM_REJECTED'
  | 'MECHANISM_EXISTS'
  | 'JAIL_UNAVAILABLE'
  | 'GIT_FAILED'
  | 'OPTIMIZER_UNAVAILABLE'
  | 'OPTIMIZER_FAILED'
  | 'INTERNAL';

/** Codes that are the user's to fix (exit 2); the rest are run failures (exit 1). */
const userCodes = new Set<ErrorCode>([
  'USAGE',
  'CONFIG',
  'TASK_INVALID',
  'TASK_NOT_FOUND',
  'RUN_NOT_FOUND',
  'RUN_LOCKED',
  'LLM_NOT_CONFIGURED',
  'LLM_PROVIDER_UNKNOWN',
  'LLM_KEY_MISSING',
  'LLM_REPLAY_MISS',
  'LLM_LOCAL_UNAVAILABLE',
  'LLM_MODEL_FILE_INVALID',
  'MODEL_UNKNOWN',
  'MECHANISM_NOT_FOUND',
  'MECHANISM_REJECTED',
  'MECHANISM_EXISTS',
  'JAIL_UNAVAILABLE',
  'OPTIMIZER_UNAVAILABLE',
]);

export class BilevelError extends Error {
  override readonly name: string = 'BilevelError';
  readonly code: ErrorCode;
  /** What the user should do next, in one sentence. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  /** True when the user can fix it (bad flag, bad task file, missing key); false for bugs and run failures. */
  get isUserError(): boolean {
    return userCodes.has(this.code);
  }
}

export function isBilevelError(value: unknown): value is BilevelError {
  return value instanceof BilevelError;
}

/** Formats an error for a terminal: message, then the hint on its own line. */
export function formatError(error: unknown): string {
  if (isBilevelError(error)) {
    return error.hint
      ? `error [${error.code}]: ${error.message}\n  → ${error.hint}`
      : `error [${error.code}]: ${error.message}`;
  }
  if (error instanceof Error) return `internal error: ${error.stack ?? error.message}`;
  return `internal error: ${String(error)}`;
}
