// Screens and applies a proposal to the working copy: checks values, writes literals or edits, asks mechanisms.
import type { MechanismContext, ProposalView } from '../mechanisms/mechanism.js';
import type { Proposal } from '../records/proposal.js';
import { applyParamValues, readParamValues } from '../task/param-files.js';
import type { ParamValue } from '../task/task-definition.js';
import { validateParamValues } from '../task/validate-values.js';
import { applyCodeEdits } from './apply-code-edits.js';
import type { RunSession } from './run-session.js';

export type ScreenResult =
  | { ok: true; values: Record<string, ParamValue>; changed: Record<string, [ParamValue, ParamValue]> }
  | {
      ok: false;
      reason: string;
      values?: Record<string, ParamValue>;
      changed?: Record<string, [ParamValue, ParamValue]>;
    };

/**
 * Applies `proposal` on top of the parent's working copy (`workDir`, a slot's) and screens it. On any rejection the
 * working copy may be dirty: the caller resets it to the parent.
 */
export async function screenAndApply(
  session: Pick<RunSession, 'task' | 'settings' | 'mechanisms'>,
  workDir: string,
  context: MechanismContext,
  proposal: Proposal,
  parentValues: Record<string, ParamValue>,
  options: { readonly askMechanisms?: boolean } = {},
): Promise<ScreenResult> {
  const { task } = session;
  if (proposal.kind === 'params') {
    const checked = validateParamValues(task.params, proposal.values, session.settings.frozen);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    const applied = await applyParamValues(workDir, task, checked.values);
    if (!applied.ok) return { ok: false, reason: applied.reason };
  } else {
    const applied = await applyCodeEdits(workDir, task.definition, proposal.edits);
    if (!applied.ok) return { ok: false, reason: applied.reason };
  }

  let values: Record<string, ParamValue>;
  try {
    values = await readParamValues(workDir, task);
  } catch (error) {
    return { ok: false, reason: `after the edit the tunable constants cannot be read: ${(error as Error).message}` };
  }
  const changed = diffValues(parentValues, values);
  const frozenMoved = Object.keys(changed).filter((name) => session.settings.frozen.includes(name));
  if (frozenMoved.length > 0) {
    return { ok: false, reason: `frozen param(s) may not change: ${frozenMoved.join(', ')}`, values, changed };
  }
  if (proposal.kind === 'params' && Object.keys(changed).length === 0) {
    return { ok: false, reason: 'the proposal changes nothing: every value equals the current one', values, changed };
  }

  const view: ProposalView = {
    kind: proposal.kind,
    values,
    changed,
    summary: proposal.summary,
    files: proposal.kind === 'code' ? [...new Set(proposal.edits.map((edit) => edit.file))] : [],
  };
  if (options.askMechanisms === false) return { ok: true, values, changed };
  const decision = await session.mechanisms.screenProposal(context, view);
  if (!decision.accept) {
    const by = decision.by ? ` by ${decision.by}` : '';
    return { ok: false, reason: `rejected${by}: ${decision.reason}`, values, changed };
  }
  return { ok: true, values, changed };
}

/** Params whose value differs: name → [before, after]. */
export function diffValues(
  before: Record<string, ParamValue>,
  after: Record<string, ParamValue>,
): Record<string, [ParamValue, ParamValue]> {
  const changed: Record<string, [ParamValue, ParamValue]> = {};
  for (const [name, value] of Object.entries(after)) {
    const previous = before[name];
    if (previous !== undefined && previous !== value) changed[name] = [previous, value];
  }
  return changed;
}
