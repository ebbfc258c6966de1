// What a proposer returns: new param values, or search/replace edits to editable files.
import type { ParamValue } from '../task/task-definition.js';

/** One search/replace edit; `search` must occur exactly once in `file`. */
export interface CodeEdit {
  /** Path relative to the task folder; must be an editable file. */
  file: string;
  /** Exact text to find (must match once). */
  search: string;
  /** Text to put in its place. */
  replace: string;
}

export type Proposal =
  | {
      kind: 'params';
      /** Param name → new value; names not listed keep their current value. */
      values: Record<string, ParamValue>;
      /** One line for results.tsv and the history. */
      summary: string;
      /** Why the proposer expects this to help (free text, optional). */
      rationale?: string;
    }
  | {
      kind: 'code';
      edits: CodeEdit[];
      summary: string;
      rationale?: string;
    };
