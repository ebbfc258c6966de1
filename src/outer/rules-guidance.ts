// The rules analyst's guidance: a short, deterministic summary of which moves were kept and which crashed.
import type { ParamValue } from '../task/task-definition.js';
import type { ParamRow, ParamTable } from './param-table.js';

/** Guidance is appended to every proposal prompt; it is cut to this many characters. */
export const maxGuidanceLength = 600;

function describeKept(row: ParamRow, current: ParamValue | undefined): string {
  const times = row.kept === 1 ? 'once' : row.kept === 2 ? 'twice' : `${row.kept} times`;
  const now = current === undefined ? '' : ` (now ${JSON.stringify(current)})`;
  if (row.keptDown > 0 && row.keptUp === 0) return `moves of ${row.name} downward were kept ${times}${now}`;
  if (row.keptUp > 0 && row.keptDown === 0) return `moves of ${row.name} upward were kept ${times}${now}`;
  return `changes to ${row.name} were kept ${times}${now}`;
}

/**
 * One to three sentences: what was kept (most keeps first, at most three params), which params
 * crash often (at least two crashes making at least a third of their moves), or that nothing was kept yet.
 */
export function rulesGuidance(table: ParamTable, incumbentValues: Record<string, ParamValue>): string {
  const sentences: string[] = [];
  const kept = table
    .filter((row) => row.kept > 0)
    .sort((left, right) => right.kept - left.kept || (right.bestGain ?? 0) - (left.bestGain ?? 0))
    .slice(0, 3);
  if (kept.length > 0) {
    const parts = kept.map((row) => describeKept(row, incumbentValues[row.name]));
    sentences.push(`What worked: ${parts.join('; ')}.`);
  } else if (table.some((row) => row.moved > 0)) {
    sentences.push('No move has been kept yet: try larger changes, one param at a time.');
  }
  const crashy = table.filter((row) => row.crashes >= 2 && row.crashes * 3 >= row.moved);
  if (crashy.length > 0) {
    const parts = crashy.map((row) => `${row.name} (${row.crashes} of ${row.moved} moves)`);
    sentences.push(`Moves that often crashed: ${parts.join(', ')}; stay closer to the incumbent's values there.`);
  }
  const text = sentences.join(' ');
  return text.length <= maxGuidanceLength ? text : `${text.slice(0, maxGuidanceLength - 1)}…`;
}
