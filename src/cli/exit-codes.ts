// Process exit codes of the `bilevel` command.

export const exitCodes = {
  /** Done as asked. */
  success: 0,
  /** The run failed (an unexpected error; the run is marked failed). */
  failed: 1,
  /** Bad flags or configuration: the message says what to do. */
  usage: 2,
  /** Stopped before the plan was done (an LLM cap, or an LLM outage past --llm-patience): resumable with `bilevel resume`. */
  stopped: 3,
  /** Interrupted with Ctrl-C: resumable with `bilevel resume`. */
  interrupted: 130,
} as const;
