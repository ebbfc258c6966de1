// `bilevel status [RUN_ID]`: the runs in a state dir, or one run's trials, mechanisms and LLM usage.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { displayJson, displayText } from '../core/display-text.js';
import { formatDuration, formatParamValue } from '../report/markdown-table.js';
import { buildRunStatus, isolationWords, listRunSummaries, type RunStatus } from '../report/run-status.js';
import { formatStatusCounts, trialsCounted } from '../report/status-counts.js';
import { databaseFileName, openDatabase, runFolderCount } from '../storage/database.js';
import { alignColumns } from './align-columns.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerStatusCommand(program: Command): void {
  const command = program
    .command('status')
    .description('list runs, or show one run (trials, best, mechanisms, LLM usage)')
    .argument('[run-id]', 'the run to show')
    .option('--json', 'print JSON (one object)');
  addStateDirOption(command);
  command.action((runId: string | undefined, flags: { stateDir?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    // No database and no run folders is a fresh state dir; a lost database beside runs/ is an error (openDatabase).
    if (!runId && !existsSync(join(stateDir, databaseFileName)) && runFolderCount(stateDir) === 0) {
      print(flags.json, { runs: [] }, `no runs in ${stateDir} yet — start one with \`bilevel run\``);
      return;
    }
    const database = openDatabase(stateDir);
    try {
      if (!runId) {
        const runs = listRunSummaries(database);
        print(flags.json, { runs }, runsTable(runs));
      } else {
        const status = buildRunStatus(database, runId);
        print(flags.json, status, runText(status));
      }
    } finally {
      database.close();
    }
  });
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${displayJson(value, 2)}\n` : `${displayText(text)}\n`);
}

function fixed(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(6);
}

function runsTable(runs: ReturnType<typeof listRunSummaries>): string {
  if (runs.length === 0) return 'no runs yet — start one with `bilevel run`';
  const header = ['id', 'task', 'state', 'levels', 'trials recorded/planned', 'baseline', 'best'];
  const rows = runs.map((run) => [
    run.id,
    run.task,
    run.driverAlive === false ? 'running, process gone' : run.state,
    run.levels.join(','),
    `${run.trials}/${run.plannedTrials}`,
    fixed(run.baseline),
    fixed(run.best?.metric),
  ]);
  return alignColumns([header, ...rows]);
}

function frozenNow(status: RunStatus): string {
  const last = status.settingsHistory.at(-1) as { settings?: { frozen?: string[] } } | undefined;
  return (last?.settings?.frozen ?? []).join(', ');
}

/** For a running run: how long the trial in flight has run and the time left; or that its process is gone. */
export function progressLines(status: RunStatus, now = Date.now()): string[] {
  const progress = status.progress;
  if (status.state !== 'running' || !progress) return [];
  if (progress.driverAlive === false) {
    return [`the process driving this run is gone (killed, or the machine restarted): \`bilevel resume ${status.id}\``];
  }
  const lines = progress.inFlight.map((trial) => {
    const running = (now - Date.parse(trial.startedAt)) / 1000;
    const where = progress.workers > 1 || !trial.worker.startsWith('local ') ? ` on ${trial.worker}` : '';
    return `trial ${trial.index} running${where} for ${formatDuration(Math.max(0, running))}`;
  });
  if (lines.length === 0) {
    const since = progress.lastTrialEndedAt === null ? null : (now - Date.parse(progress.lastTrialEndedAt)) / 1000;
    lines.push(`trial ${status.trials.length} running${since === null ? '' : ` for ${formatDuration(since)}`}`);
  }
  const parts = [lines.join('; ')];
  if (progress.etaSeconds !== null && progress.meanTrialSeconds !== null) {
    const perWorker = progress.workers > 1 ? `, ${progress.workers} at a time` : '';
    parts.push(
      `about ${formatDuration(progress.etaSeconds)} left (${progress.remainingTrials} trials at ${formatDuration(progress.meanTrialSeconds)} each${perWorker})`,
    );
  }
  return [parts.join('; ')];
}

/** The params the best trial changes from the baseline, at most `shown` of them. */
function bestChangeLine(status: RunStatus, shown = 6): string[] {
  const changed = Object.entries(status.best?.changed ?? {});
  if (changed.length === 0) return [];
  const moves = changed
    .slice(0, shown)
    .map(([name, [before, after]]) => `${name} ${formatParamValue(before)} → ${formatParamValue(after)}`);
  const more = changed.length > shown ? `, and ${changed.length - shown} more` : '';
  return [`best vs baseline: ${moves.join(', ')}${more}  (bilevel report ${status.id}: the whole diff)`];
}

/** `proposed by: llm 9, optuna:cmaes 21` when more than one proposer made trials (a mix, a mechanism's propose). */
function proposerCountLine(status: RunStatus): string[] {
  const counts = new Map<string, number>();
  for (const trial of status.trials)
    if (trial.proposer) counts.set(trial.proposer, (counts.get(trial.proposer) ?? 0) + 1);
  if (counts.size < 2) return [];
  return [`proposed by: ${[...counts].map(([name, count]) => `${name} ${count}`).join(', ')}`];
}

function runText(status: RunStatus): string {
  const counts = formatStatusCounts(status.trials.map((trial) => trial.status));
  const lines = [
    `run ${status.id}  task ${status.task}  ${status.state}${status.stateReason ? ` (${status.stateReason})` : ''}`,
    `levels ${status.levels.join(',')}  proposer ${status.proposer}${status.llm.model ? ` (${status.llm.model})` : ''}  mode ${status.mode}  seed ${status.seed}`,
    `${status.metric.name} (${status.metric.direction}): baseline ${fixed(status.baseline)}  best ${fixed(status.best?.metric)}${status.best ? ` at trial ${status.best.trial}` : ''}`,
    ...bestChangeLine(status),
    `trials ${trialsCounted(status.trials.length, status.plannedTrials)}${counts ? ` — ${counts}` : ''}`,
    `isolation: ${isolationWords(status.isolation)}`,
    ...proposerCountLine(status),
    ...progressLines(status),
    '',
    '  #  status    metric     commit   summary',
    ...status.trials.map(
      (trial) =>
        `${String(trial.index).padStart(3)}  ${trial.status.padEnd(8)}  ${fixed(trial.metric).padEnd(9)}  ${(trial.commit ?? '-').slice(0, 7).padEnd(7)}  ${trial.summary}${trial.reason ? ` — ${trial.reason}` : ''}`,
    ),
  ];
  if (status.mechanisms.length > 0) {
    lines.push(
      '',
      'mechanisms:',
      alignColumns([
        ['  name', 'origin', 'status', 'hook calls', 'decisions changed'],
        ...status.mechanisms.map((mechanism) => [
          `  ${mechanism.name}`,
          mechanism.origin,
          `${mechanism.status}${mechanism.retiredReason ? ` (${mechanism.retiredReason})` : ''}`,
          String(mechanism.hookCalls),
          String(mechanism.decisionsChanged),
        ]),
      ]),
    );
  }
  if (status.settingsHistory.length > 0) {
    lines.push('', `level 1.5: ${status.settingsHistory.length} cycle(s); frozen now: ${frozenNow(status) || 'none'}`);
  }
  const sessions = status.metaSessions ?? [];
  if (sessions.length > 0) {
    lines.push('', 'level 2 sessions: after trial  mode  outcome  mechanism — detail');
    for (const session of sessions) {
      lines.push(
        `  ${session.afterTrial}  ${session.mode}  ${session.outcome}  ${session.mechanism ?? '-'} — ${session.detail}`,
      );
    }
  }
  if (status.llm.calls > 0) {
    lines.push(
      '',
      `llm: ${status.llm.calls} calls, ${status.llm.inputTokens} in / ${status.llm.outputTokens} out tokens, ~$${status.llm.costUsd.toFixed(4)}`,
    );
  }
  return lines.join('\n');
}
