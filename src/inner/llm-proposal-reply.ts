// The LLM proposer's reply schemas, and their checking into a Proposal (unknown params, bad values, bad edits).
import { z } from 'zod';
import type { CodeEdit, Proposal } from '../records/proposal.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import { validateParamValues } from '../task/validate-values.js';
import type { ProposerResult } from './proposer.js';

/** Params mode: a list of {name, value} (a list, not a map, so strict JSON-schema servers accept it). */
export const paramsReplySchema = z.strictObject({
  summary: z.string().describe('one line, at most 100 characters'),
  rationale: z.string().describe('why this should improve the metric, one to three sentences'),
  values: z
    .array(z.strictObject({ name: z.string(), value: z.union([z.number(), z.string(), z.boolean()]) }))
    .describe('only the parameters to change'),
});

/** Code mode and crash fixes: search/replace edits. */
export const codeReplySchema = z.strictObject({
  summary: z.string().describe('one line, at most 100 characters'),
  rationale: z.string().describe('why, one to three sentences'),
  edits: z
    .array(z.strictObject({ file: z.string(), search: z.string(), replace: z.string() }))
    .describe('search must occur exactly once in the file'),
});

export type ParamsReply = z.infer<typeof paramsReplySchema>;
export type CodeReply = z.infer<typeof codeReplySchema>;

/** Longest summary kept (it becomes a results.tsv cell), in characters. */
const maxSummary = 200;

/** One line, no tabs, bounded: safe for results.tsv and the history table. */
export function oneLine(text: string, limit = maxSummary): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

/**
 * Checks a params reply against the tunables, the frozen list and the current values: unknown names, values out
 * of range or not among the choices, frozen params, and replies that change nothing become `{ ok: false }`.
 */
export function paramsProposalFrom(
  reply: ParamsReply,
  params: readonly ParamSpec[],
  current: Record<string, ParamValue>,
  frozen: readonly string[],
): ProposerResult {
  if (reply.values.length === 0) return { ok: false, reason: 'the reply lists no parameter values to change' };
  const proposed: Record<string, unknown> = {};
  for (const { name, value } of reply.values) proposed[name] = coerceNumeric(params, name, value);
  const checked = validateParamValues([...params], proposed, frozen);
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const changed = Object.entries(checked.values).filter(([name, value]) => !Object.is(current[name], value));
  if (changed.length === 0) {
    return { ok: false, reason: 'every proposed value equals the current value: the proposal changes nothing' };
  }
  const values = Object.fromEntries(changed) as Record<string, ParamValue>;
  const proposal: Proposal = { kind: 'params', values, summary: oneLine(reply.summary || describeValues(values)) };
  if (reply.rationale.trim() !== '') proposal.rationale = reply.rationale.trim();
  return { ok: true, proposal };
}

/**
 * Checks code edits against the editable files given (path → text): each file must be one of them and each
 * `search` must occur exactly once in the file as it stands after the earlier edits of the same reply.
 */
export function codeProposalFrom(reply: CodeReply, files: Record<string, string>): ProposerResult {
  if (reply.edits.length === 0) return { ok: false, reason: 'the reply contains no edits' };
  const working = { ...files };
  const problems: string[] = [];
  reply.edits.forEach((edit, index) => {
    const label = `edit ${index + 1} (${edit.file})`;
    const text = working[edit.file];
    if (text === undefined) {
      problems.push(`${label}: not an editable file (editable: ${Object.keys(files).join(', ')})`);
      return;
    }
    if (edit.search === '') {
      problems.push(`${label}: search text is empty`);
      return;
    }
    const count = text.split(edit.search).length - 1;
    if (count !== 1) {
      problems.push(
        `${label}: search text occurs ${count} times in the file, it must occur exactly once` +
          (count === 0 ? ' (copy it exactly from the file, whitespace included)' : ' (include more context)'),
      );
      return;
    }
    if (edit.search === edit.replace) {
      problems.push(`${label}: replace equals search, nothing changes`);
      return;
    }
    working[edit.file] = text.replace(edit.search, () => edit.replace);
  });
  if (problems.length > 0) return { ok: false, reason: `${problems.join('; ')}.` };
  const edits: CodeEdit[] = reply.edits.map(({ file, search, replace }) => ({ file, search, replace }));
  const proposal: Proposal = { kind: 'code', edits, summary: oneLine(reply.summary || `edit ${edits[0]?.file}`) };
  if (reply.rationale.trim() !== '') proposal.rationale = reply.rationale.trim();
  return { ok: true, proposal };
}

/** A plain decimal literal: an optional minus, digits, and an optional fraction ("0.01", "-3", "256"). */
const plainDecimal = /^-?\d+(?:\.\d+)?$/;

/**
 * A number param written as a string is read as the number only when the string is a plain decimal literal
 * ("0.01"); "0x1", "1e-999", "Infinity", " 2" and the like are left as strings, so validation rejects them.
 */
function coerceNumeric(params: readonly ParamSpec[], name: string, value: ParamValue): unknown {
  const param = params.find((candidate) => candidate.name === name);
  if (param?.type !== 'number' || typeof value !== 'string' || !plainDecimal.test(value)) return value;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : value;
}

function describeValues(values: Record<string, ParamValue>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(', ');
}
