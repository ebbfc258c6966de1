// The report's mechanisms section: each mechanism's activity counters and the evidence of what it changed.
import { markdownCell, markdownTable } from './markdown-table.js';
import type { MechanismStatus } from './run-status.js';

export interface ReportMechanismEvent {
  trialIndex: number;
  mechanism: string;
  /** `decision-changed`, `strike` or `retired`. */
  kind: string;
  hook?: string | undefined;
  /** The combined decision without this mechanism's answer (decision-changed only). */
  before?: unknown;
  /** The combined decision with it. */
  after?: unknown;
  detail?: string | undefined;
}

/** Examples listed per mechanism and event kind. */
export const examplesPerKind = 3;

/**
 * A summary table (origin, status, hook calls per hook, decisions changed, strikes, retired
 * reason), then per mechanism: changed decisions counted by hook with the first few examples
 * (before → after), and its strikes and retirement.
 */
export function renderMechanismsSection(
  mechanisms: readonly MechanismStatus[],
  events: readonly ReportMechanismEvent[],
): string {
  const lines = ['## Mechanisms', ''];
  if (mechanisms.length === 0) return [...lines, 'No mechanism was active in this run.'].join('\n');
  const rows = mechanisms.map((mechanism) => {
    const calls = Object.entries(mechanism.hookCallsByHook)
      .filter(([, count]) => count > 0)
      .map(([hook, count]) => `${hook} ${count}`)
      .join(', ');
    return [
      markdownCell(mechanism.name),
      markdownCell(mechanism.origin),
      mechanism.status,
      `${mechanism.hookCalls}${calls ? ` (${calls})` : ''}`,
      String(mechanism.decisionsChanged),
      String(mechanism.strikes),
      markdownCell(mechanism.retiredReason ?? '—', 200),
    ];
  });
  lines.push(
    markdownTable(
      ['mechanism', 'origin', 'status', 'hook calls', 'decisions changed', 'strikes', 'retired because'],
      rows,
    ),
  );
  for (const mechanism of mechanisms) {
    lines.push('', `### ${markdownCell(mechanism.name)}`, '', ...mechanismEvidence(mechanism, events));
  }
  return lines.join('\n');
}

function mechanismEvidence(mechanism: MechanismStatus, events: readonly ReportMechanismEvent[]): string[] {
  const own = events.filter((event) => event.mechanism === mechanism.name);
  const changed = own.filter((event) => event.kind === 'decision-changed');
  const strikes = own.filter((event) => event.kind === 'strike');
  const retired = own.filter((event) => event.kind === 'retired');
  const lines: string[] = [];
  if (changed.length === 0) {
    const calls = mechanism.hookCalls;
    lines.push(
      calls === 0
        ? 'Never called: none of its hooks ran in this run.'
        : `Changed no decision in ${calls} hook call${calls === 1 ? '' : 's'}.`,
    );
  } else {
    const byHook = new Map<string, number>();
    for (const event of changed) byHook.set(event.hook ?? '?', (byHook.get(event.hook ?? '?') ?? 0) + 1);
    lines.push(
      `Changed ${changed.length} decision${changed.length === 1 ? '' : 's'}: ` +
        [...byHook].map(([hook, count]) => `${hook} ${count}`).join(', ') +
        '.',
      '',
      ...changed
        .slice(0, examplesPerKind)
        .map(
          (event) =>
            `- trial ${event.trialIndex}, ${event.hook ?? '?'}: ${inlineJson(event.before)} → ${inlineJson(event.after)}`,
        ),
    );
    if (changed.length > examplesPerKind) lines.push(`- … and ${changed.length - examplesPerKind} more`);
  }
  if (strikes.length > 0) {
    lines.push(
      '',
      `Strikes (${strikes.length}):`,
      '',
      ...strikes
        .slice(0, examplesPerKind)
        .map(
          (event) =>
            `- trial ${event.trialIndex}${event.hook ? `, ${event.hook}` : ''}: ${markdownCell(event.detail ?? '—', 240)}`,
        ),
    );
    if (strikes.length > examplesPerKind) lines.push(`- … and ${strikes.length - examplesPerKind} more`);
  }
  for (const event of retired) {
    lines.push('', `Retired at trial ${event.trialIndex}: ${markdownCell(event.detail ?? 'no reason recorded', 300)}.`);
  }
  return lines;
}

/** A value as one line of JSON in a code span, cut to 160 characters. */
function inlineJson(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  const cut = text.length <= 160 ? text : `${text.slice(0, 159)}…`;
  return cut.includes('`') ? `\`\` ${cut} \`\`` : `\`${cut}\``;
}
