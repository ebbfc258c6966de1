// The report's Level 1.5 section: the search settings each outer cycle decided, and why.
import type { SettingsSnapshot } from '../records/settings-snapshot.js';
import { markdownCell, markdownTable } from './markdown-table.js';

/**
 * One row per outer cycle (after trial, frozen params, strategy, guidance, changes, analyst and
 * whether its analysis succeeded), then each cycle's rationale.
 */
export function renderSettingsSection(
  snapshots: readonly SettingsSnapshot[],
  options: { levels: readonly string[]; outerEvery: number },
): string {
  const lines = ['## Level 1.5: search settings history', ''];
  if (!options.levels.includes('1.5')) {
    return [...lines, 'Level 1.5 was not enabled in this run.'].join('\n');
  }
  if (snapshots.length === 0) {
    return [...lines, `No outer cycle yet (the first runs after trial ${options.outerEvery}).`].join('\n');
  }
  const rows = snapshots.map((snapshot) => [
    String(snapshot.cycle),
    String(snapshot.afterTrial),
    markdownCell(snapshot.settings.frozen.length === 0 ? 'none' : snapshot.settings.frozen.join(', ')),
    snapshot.settings.strategy,
    markdownCell(snapshot.settings.guidance || '—', 240),
    markdownCell(snapshot.changes.length === 0 ? 'no change' : snapshot.changes.join('; '), 300),
    markdownCell(snapshot.analyst),
    snapshot.ok ? 'ok' : markdownCell(`failed: ${snapshot.error ?? 'no reason recorded'} (settings kept)`, 200),
  ]);
  lines.push(
    `An outer cycle every ${options.outerEvery} trials; each row's settings apply from the trial after "after trial".`,
    '',
    markdownTable(['cycle', 'after trial', 'frozen', 'strategy', 'guidance', 'changes', 'analyst', 'analysis'], rows),
    '',
    'Rationale by cycle:',
    '',
    ...snapshots.map((snapshot) => `- cycle ${snapshot.cycle}: ${markdownCell(snapshot.rationale || '—', 600)}`),
  );
  return lines.join('\n');
}
