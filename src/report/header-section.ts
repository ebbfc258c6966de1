// The report's header: what ran, how it ended, baseline → best, trial counts, time and LLM usage.
import { directionWords, improvement } from '../core/metric-direction.js';
import { formatDuration, formatMetric, formatSigned, markdownCell } from './markdown-table.js';
import { isolationWords, type RunStatus } from './run-status.js';
import { formatStatusCounts, trialsCounted } from './status-counts.js';

export interface HeaderInput {
  status: RunStatus;
  /** Prompt file name → sha256, as recorded with the run. */
  promptHashes: Readonly<Record<string, string>>;
  /** Mechanism names the run was started with (`--mechanisms`). */
  configuredMechanisms: readonly string[];
  /** Sum of the trials' own wall times, seconds. */
  trialSeconds: number;
  /** From the first trial's start to the last trial's end, seconds; null with no trials. */
  elapsedSeconds: number | null;
  /** For a `running` run: whether its process is still alive (null when unknown). */
  processAlive: boolean | null;
  /** ISO time the report was written. */
  generatedAt: string;
}

/** The warning shown first when the run did not finish normally; empty for a finished run. */
export function stateNotice(status: RunStatus, processAlive: boolean | null): string {
  const recorded = `trials: ${trialsCounted(status.trials.length, status.plannedTrials)}`;
  const reason = status.stateReason ? `: ${markdownCell(status.stateReason, 300)}` : '';
  switch (status.state) {
    case 'finished':
      return '';
    case 'running':
      return processAlive === false
        ? `> **Marked running, but its process is gone** (${recorded}): it was probably killed. ` +
            `\`bilevel resume ${status.id}\` continues it. This report is a snapshot.`
        : `> **This run is still running** (${recorded}). This report is a snapshot; run \`bilevel report\` again later.`;
    case 'interrupted': {
      const advice = status.stateReason.includes('bilevel resume')
        ? ''
        : ` \`bilevel resume ${status.id}\` continues it.`;
      return `> **Interrupted**${reason} (${recorded}).${advice}`;
    }
    case 'failed':
      return `> **Failed**${reason} (${recorded}). The trials below are those recorded before the failure.`;
  }
}

/** Renders the title, the state notice (if any) and the run's facts as a bullet list. */
export function renderHeaderSection(input: HeaderInput): string {
  const { status } = input;
  const direction = directionWords(status.metric.direction);
  const byStatus = formatStatusCounts(status.trials.map((trial) => trial.status));

  let result = 'no kept trial with a metric yet';
  if (status.best && status.baseline !== null) {
    const gain = improvement(status.baseline, status.best.metric, status.metric.direction);
    const percent = status.baseline === 0 ? '' : ` (${((gain / Math.abs(status.baseline)) * 100).toFixed(3)}%)`;
    result =
      `baseline ${formatMetric(status.baseline)} → best ${formatMetric(status.best.metric)} at trial ` +
      `${status.best.trial}; improvement ${formatSigned(gain)}${percent} (positive = better)`;
  } else if (status.best) {
    result = `baseline produced no metric; best ${formatMetric(status.best.metric)} at trial ${status.best.trial}`;
  }

  const model = status.llm.model ? ` (${markdownCell(status.llm.model)})` : '';
  const llm =
    status.llm.calls === 0
      ? 'none'
      : `${status.llm.calls} calls, ${status.llm.inputTokens} input / ${status.llm.outputTokens} output tokens, ` +
        `~$${status.llm.costUsd.toFixed(4)}`;
  const hashes = Object.entries(input.promptHashes).sort(([left], [right]) => left.localeCompare(right));
  const elapsed = input.elapsedSeconds === null ? '' : `, ${formatDuration(input.elapsedSeconds)} from first to last`;

  const lines = [
    `# Run ${status.id}`,
    '',
    ...(stateNotice(status, input.processAlive) ? [stateNotice(status, input.processAlive), ''] : []),
    `- **Task:** ${markdownCell(status.task)} (${status.mode} mode)`,
    `- **Metric:** ${markdownCell(status.metric.name)} (${direction})`,
    `- **Result:** ${result}`,
    // The reason of a run that did not finish is already in the notice above.
    `- **State:** ${status.state}${status.stateReason && status.state === 'finished' ? ` — ${markdownCell(status.stateReason, 300)}` : ''}`,
    `- **Levels:** ${status.levels.join(', ')}`,
    `- **Proposer:** ${status.proposer}${model}; seed ${status.seed}`,
    `- **Mechanisms:** ${mechanismsLine(input.configuredMechanisms, status)}`,
    `- **Trials:** ${trialsCounted(status.trials.length, status.plannedTrials)}` +
      `${byStatus ? ` — ${byStatus}` : ''}`,
    `- **Isolation:** ${markdownCell(isolationWords(status.isolation), 400)}`,
    `- **Wall time:** ${formatDuration(input.trialSeconds)} in trials${elapsed}`,
    `- **LLM:** ${llm}`,
    `- **Prompts:** ${hashes.length === 0 ? 'none used' : hashes.map(([name, hash]) => `${markdownCell(name)} \`${hash.slice(0, 12)}\``).join(', ')}`,
    `- **Dates:** started ${status.createdAt}, last updated ${status.updatedAt}; report written ${input.generatedAt}`,
  ];
  return lines.join('\n');
}

/** The mechanisms the run started with, and those added while it ran (by Level 2). */
function mechanismsLine(configured: readonly string[], status: RunStatus): string {
  const added = status.mechanisms.map((mechanism) => mechanism.name).filter((name) => !configured.includes(name));
  const names = (list: readonly string[]): string => list.map((name) => markdownCell(name)).join(', ');
  const start = configured.length === 0 ? 'none at start' : `${names(configured)} at start`;
  return added.length === 0
    ? configured.length === 0
      ? 'none'
      : names(configured)
    : `${start}; ${names(added)} added during the run`;
}
