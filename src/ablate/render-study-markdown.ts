// report.md: the paper-shaped table (group, repeats, mean ± sd of the improvement), the tests, activity, and runs.
import { describeProposerSpec } from '../records/proposer-spec.js';
import type { StudyComparison, StudyGroupReport, StudyReport } from './study-report.js';

export function renderStudyMarkdown(report: StudyReport): string {
  const { metric } = report.task;
  const better = metric.direction === 'minimize' ? 'lower' : 'higher';
  const lines: string[] = [
    `# Ablation study ${report.studyId}: ${report.task.name}`,
    '',
    `Metric: \`${metric.name}\` (${better} is better). Improvement = how much the run's best kept trial beats its baseline, in ${metric.name} units; positive = better, whatever the direction.`,
    `${report.definition.repeats} repeats per group × ${report.definition.controls.trials} trials after the baseline, proposer ${proposerText(report)}, budget ${report.definition.controls.budgetSeconds} s per trial.${report.complete ? '' : ' **The study is not complete: run the same command again to finish it.**'}`,
    '',
    ...report.warnings.flatMap((warning) => [`> **Warning:** ${warning}`, '']),
    '## Groups',
    '',
    '| group | levels | proposer | mechanisms | repeats | improvement mean ± sd | median | 95% CI (bootstrap) | best repeat | time (total / per run) | LLM calls / cost |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.groups.map(groupRow),
    '',
    '## Comparisons',
    '',
    "Each row compares the improvements of two groups (first minus second). Welch: two-sided Welch t-test; permutation: two-sided exact (or Monte Carlo) permutation test of the mean difference; Hedges' g: bias-corrected standardized difference; repeats needed: repeats per group for a two-sided t-test at α = 0.05 to find an effect of this |g| with power 0.8.",
    '',
  ];
  if (report.comparisons.length === 0) {
    lines.push('No comparison: fewer than two groups have a finished repeat.');
  } else {
    lines.push(
      "| comparison | n | mean difference | Welch t (df) | Welch p | permutation p | Hedges' g | repeats needed |",
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...report.comparisons.map(comparisonRow),
    );
  }
  lines.push(
    '',
    '## Mechanism activity',
    '',
    "Summed over the group's runs. A mechanism with hook calls but no changed decisions never altered the search: do not credit it with a difference.",
    '',
    '| group | Level 1.5 cycles (changed settings) | Level 2 sessions (activated) | mechanism | origin | runs active | hook calls | decisions changed | strikes |',
    '| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |',
    ...report.groups.flatMap(activityRows),
    '',
    '## Convergence',
    '',
    `![convergence](convergence.svg)`,
    '',
    `Best improvement so far by trial, one panel per group (name (levels)) on a shared scale: thin lines are single repeats, the thick line the group's mean, dashed grey lines the other groups' means. A group whose every repeat has the same curve as an earlier group's says so in its panel. \`convergence.png\` is the same chart as an image.`,
    '',
    '## Runs',
    '',
    '| group | repeat | seed | run | state | baseline | baseline used | best (trial) | improvement | trials | seconds |',
    '| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.groups.flatMap((group) =>
      group.runs.map(
        (run) =>
          `| ${group.name} | ${run.repeat} | ${run.seed} | \`${run.runId}\` | ${run.state} | ${metricText(run.baseline)} | ${metricText(run.baselineUsed)} | ${run.best ? `${metricText(run.best.metric)} (${run.best.trial})` : '—'} | ${number(run.improvement)} | ${run.trials} | ${run.seconds.toFixed(1)} |`,
      ),
    ),
    '',
    '## Protocol',
    '',
    `- Seeds: ${report.protocol.seeds}.`,
    `- Baseline: ${report.protocol.baseline}.`,
    `- Restarts: ${report.protocol.restart}.`,
    `- Order: ${report.protocol.order}.`,
    '- Fixed across groups: the task, the per-trial budget and timeout, the model, the trial budget and the seeds; the proposer and the noise threshold unless a group sets its own. Every trial records which proposer made it.',
    '',
    '## How to read this',
    '',
    `Look at the comparisons before the means. A difference between two groups is worth believing when both p-values are small (below 0.05) and the bootstrap intervals of the two groups barely overlap; with few repeats, a large mean difference with a large p-value is noise until more repeats say otherwise. "Repeats needed" says how many repeats per group would make the observed effect significant (at α = 0.05, 80% power) if it is real: if it is far above the repeats you ran, run more before drawing a conclusion. Hedges' g around 0.2 is small, 0.5 medium, 0.8 large. Check the activity table too: a level or mechanism that made no changed decisions cannot be the cause of a difference.`,
    '',
  );
  return lines.join('\n');
}

/** The study's proposer (groups may set their own, in the table), with the model when an arm is the LLM. */
function proposerText(report: StudyReport): string {
  const { controls } = report.definition;
  const own = report.groups.some((group) => group.proposer !== controls.proposer);
  const model = controls.llm ? ` (LLM: ${controls.llm.default})` : '';
  return `${describeProposerSpec(controls.proposer)}${own ? ' unless the group sets its own (see the table)' : ''}${model}`;
}

function groupRow(group: StudyGroupReport): string {
  const summary = group.summary;
  const repeats = `${group.repeats}${group.excluded > 0 ? ` (+${group.excluded} left out)` : ''}`;
  const meanSd = summary ? `${number(summary.mean)} ± ${number(summary.sd)}` : '—';
  const ci = summary ? `[${number(summary.ci.low)}, ${number(summary.ci.high)}]` : '—';
  const best = group.bestRun ? `${number(group.bestRun.improvement)} (r${group.bestRun.repeat})` : '—';
  const time = `${group.seconds.total.toFixed(1)} s / ${group.seconds.meanPerRun === null ? '—' : `${group.seconds.meanPerRun.toFixed(1)} s`}`;
  const llm = `${group.llm.calls} / $${group.llm.costUsd.toFixed(4)}`;
  return `| ${group.name} | ${group.levels.join(', ')} | ${describeProposerSpec(group.proposer)} | ${group.mechanisms.join(', ') || '—'} | ${repeats} | ${meanSd} | ${summary ? number(summary.median) : '—'} | ${ci} | ${best} | ${time} | ${llm} |`;
}

function comparisonRow(comparison: StudyComparison): string {
  const { welch, permutation } = comparison;
  const welchText = welch.status === 'ok' ? `${welch.t.toFixed(2)} (${welch.df.toFixed(1)})` : welch.status;
  return `| ${comparison.a} vs ${comparison.b} | ${comparison.n.a} vs ${comparison.n.b} | ${number(comparison.meanDifference)} | ${welchText} | ${pValue(welch.p)} | ${pValue(permutation.p)}${permutation.exact ? '' : ' (MC)'} | ${Number.isFinite(comparison.hedgesG) ? comparison.hedgesG.toFixed(2) : '—'} | ${repeatsText(comparison.repeatsNeeded)} |`;
}

function activityRows(group: StudyGroupReport): string[] {
  const cycles = `${group.activity.outerCycles} (${group.activity.outerCyclesWithChanges})`;
  const sessions = `${group.activity.metaSessions} (${group.activity.metaSessionsActivated})`;
  if (group.mechanismTotals.length === 0) return [`| ${group.name} | ${cycles} | ${sessions} | — | | | | | |`];
  return group.mechanismTotals.map(
    (mechanism, index) =>
      `| ${index === 0 ? group.name : ''} | ${index === 0 ? cycles : ''} | ${index === 0 ? sessions : ''} | ${mechanism.name}${mechanism.decisionsChanged === 0 ? ' (no decision changed)' : ''} | ${mechanism.origin} | ${mechanism.runs} | ${mechanism.hookCalls} | ${mechanism.decisionsChanged} | ${mechanism.strikes} |`,
  );
}

function repeatsText(value: number): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞ (no effect)';
  return String(Math.ceil(value));
}

function pValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 0.001 ? '< 0.001' : value.toFixed(3);
}

/** Improvements and differences: 3 significant digits. */
function number(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

function metricText(value: number | null): string {
  return value === null ? '—' : Number(value.toPrecision(6)).toString();
}
