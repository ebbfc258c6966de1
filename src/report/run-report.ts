// `bilevel report`: builds and writes a run's report: Markdown, chart (SVG, PNG), best.patch, session transcripts.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { displayText } from '../core/display-text.js';
import { isProcessAlive } from '../core/process-alive.js';
import { parseSettingsSnapshot } from '../records/settings-snapshot.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import { listMechanismEvents } from '../storage/mechanism-tables.js';
import { listMetaSessions } from '../storage/meta-tables.js';
import { getRun } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { listTrials } from '../storage/trials-table.js';
import { inspectAdoption, renderAdoption } from './adopt-patch.js';
import { bestPatchFileName, renderBestChangeSection } from './best-change-section.js';
import { renderScenePng } from './charts/chart-png.js';
import { renderSceneSvg } from './charts/chart-svg.js';
import type { RunChartData } from './charts/run-chart-data.js';
import { runChartScene } from './charts/run-chart-scene.js';
import { renderHeaderSection } from './header-section.js';
import { formatMetric } from './markdown-table.js';
import { renderMechanismsSection } from './mechanisms-section.js';
import { renderMetaSessions } from './meta-sessions-section.js';
import { runChartDataFor } from './run-chart.js';
import { buildRunStatus, type RunStatus } from './run-status.js';
import { renderSessionTranscript, sessionTranscriptPath } from './session-transcript.js';
import { renderSettingsSection } from './settings-section.js';
import { renderTrialsSection } from './trials-section.js';

/** File names inside the report folder. */
export const reportFileNames = { markdown: 'report.md', svg: 'convergence.svg', png: 'convergence.png' } as const;

export interface RunReport {
  runId: string;
  status: RunStatus;
  /** The whole `report.md`. */
  markdown: string;
  /** `convergence.svg`, a standalone SVG document. */
  svg: string;
  /** `convergence.png` file bytes. */
  png: Buffer;
  /** What the chart draws (runChartData), for views other than the SVG and PNG. */
  chart: RunChartData;
  /** The whole baseline → best diff (`best.patch`); null when there is no better trial or no diff to read. */
  bestPatch: string | null;
  /** Each meta session's full transcript: a path inside the report folder and its Markdown. */
  transcripts: { path: string; markdown: string }[];
}

/** Renders the meta sessions of a run as Markdown ('' when the run has none). */
export type MetaSessionsRenderer = (database: Database, runId: string) => string | Promise<string>;

export interface RunReportOptions {
  /** The report's timestamp; default now. */
  now?: Date;
  /** The Level 2 section renderer; default `renderMetaSessions` (meta-sessions-section.ts). */
  metaSessions?: MetaSessionsRenderer;
  /**
   * `git diff FROM TO` in the run's working copy (the CLI passes one); without it, or when it fails (the working copy
   * is gone), the report shows the params that changed and says the diff is missing.
   */
  diffCommits?: (from: string, to: string) => Promise<string>;
  /** Where best.patch will be, as the adoption command names it; default `best.patch` (writeRunReport: absolute). */
  patchPath?: string;
}

/** Paths of a written report (absolute when `outDir` was). */
export interface WrittenRunReport {
  runId: string;
  directory: string;
  markdown: string;
  svg: string;
  png: string;
  /** `best.patch`, when there is one. */
  bestPatch?: string;
  /** The meta sessions' transcripts (`sessions/<id>.md`). */
  transcripts: string[];
}

/** Builds the report of a run in any state (running, finished, interrupted, failed) from the state database. */
export async function buildRunReport(
  database: Database,
  runId: string,
  options: RunReportOptions = {},
): Promise<RunReport> {
  const run = getRun(database, runId);
  const status = buildRunStatus(database, runId);
  const trials = listTrials(database, runId);
  const snapshots = listSettingsSnapshots(database, runId).map(parseSettingsSnapshot);
  const events = listMechanismEvents(database, runId);

  const chart = runChartDataFor(database, runId, status);
  const scene = runChartScene(chart, { title: `${run.taskName}: run ${run.id}` });
  const svg = renderSceneSvg(scene);
  const png = renderScenePng(scene);

  const bestTrialRecord = status.best ? trials.find((trial) => trial.index === status.best?.trial) : undefined;
  const bestPatch =
    bestTrialRecord && bestTrialRecord.index > 0 && bestTrialRecord.commit !== null && options.diffCommits
      ? await options.diffCommits(run.baselineCommit, bestTrialRecord.commit).catch(() => null)
      : null;
  const adoption = bestPatch?.trim()
    ? renderAdoption(await inspectAdoption(run.config.taskDir, bestPatch), options.patchPath ?? bestPatchFileName)
    : undefined;
  const sections = [
    renderHeaderSection({
      status,
      promptHashes: run.promptHashes,
      configuredMechanisms: run.config.mechanisms,
      ...trialTimes(trials),
      processAlive: status.state === 'running' && run.pid !== null ? isProcessAlive(run.pid) : null,
      generatedAt: (options.now ?? new Date()).toISOString(),
    }),
    renderChartSection(chart, run.metric.name),
    renderBestChangeSection({
      metricName: run.metric.name,
      direction: run.metric.direction,
      baseline: trials[0],
      best:
        bestTrialRecord && status.best
          ? { index: bestTrialRecord.index, metric: status.best.metric, values: bestTrialRecord.values }
          : null,
      diff: bestPatch,
      ...(adoption ? { adoption } : {}),
    }),
    renderTrialsSection(trials, { direction: run.metric.direction, runId, workDir: run.workDir }),
    renderSettingsSection(snapshots, { levels: run.config.levels, outerEvery: run.config.outerEvery }),
    await renderMetaSessionsSection(database, runId, options.metaSessions ?? renderMetaSessions),
    renderMechanismsSection(status.mechanisms, events),
  ];
  const transcripts = listMetaSessions(database, runId).map((session) => ({
    path: sessionTranscriptPath(session.id),
    markdown: renderSessionTranscript(session),
  }));
  return { runId, status, markdown: `${sections.join('\n\n')}\n`, svg, png, chart, bestPatch, transcripts };
}

/**
 * Builds the report and writes `report.md`, `convergence.svg`, `convergence.png` and each meta session's transcript
 * (`sessions/<id>.md`) into `outDir` (created).
 */
export async function writeRunReport(
  database: Database,
  runId: string,
  outDir: string,
  options: RunReportOptions = {},
): Promise<WrittenRunReport> {
  const report = await buildRunReport(database, runId, { patchPath: resolve(outDir, bestPatchFileName), ...options });
  mkdirSync(outDir, { recursive: true });
  const written: WrittenRunReport = {
    runId,
    directory: outDir,
    markdown: join(outDir, reportFileNames.markdown),
    svg: join(outDir, reportFileNames.svg),
    png: join(outDir, reportFileNames.png),
    ...(report.bestPatch ? { bestPatch: join(outDir, bestPatchFileName) } : {}),
    transcripts: report.transcripts.map((transcript) => join(outDir, transcript.path)),
  };
  // The charts first, then the Markdown that links them; each file appears whole (temp file, then rename).
  writeWhole(written.svg, report.svg);
  writeWhole(written.png, report.png);
  if (written.bestPatch && report.bestPatch) writeWhole(written.bestPatch, report.bestPatch);
  for (const [position, transcript] of report.transcripts.entries()) {
    const path = written.transcripts[position] as string;
    mkdirSync(dirname(path), { recursive: true });
    writeWhole(path, displayText(transcript.markdown));
  }
  // Model and task text in the Markdown is escaped here, where it is written; the database keeps it raw.
  writeWhole(written.markdown, displayText(report.markdown));
  return written;
}

/** The Level 2 section: the renderer's Markdown (under a heading of ours if it brings none), or a line saying there is none. */
async function renderMetaSessionsSection(
  database: Database,
  runId: string,
  renderer: MetaSessionsRenderer,
): Promise<string> {
  const body = (await renderer(database, runId)).trim();
  if (body === '') return '## Level 2: meta sessions\n\nNo meta sessions in this run.';
  return /^#{1,2} /.test(body) ? body : `## Level 2: meta sessions\n\n${body}`;
}

function renderChartSection(chart: RunChartData, metricName: string): string {
  const lines = [
    '## Convergence',
    '',
    `![Best ${metricName} so far by trial](${reportFileNames.svg})`,
    '',
    `One mark per trial: a dot where its ${metricName} was measured (green kept, grey discarded), a mark in the ` +
      `"no metric" lane where nothing was measured (crash, timeout, rejected). The blue step line is the best kept ` +
      `${metricName} so far; dashed lines mark Level 1.5 cycles and mechanisms joining or leaving the run. No line ` +
      `joins the trials: only what was measured is drawn. Also as [PNG](${reportFileNames.png}).`,
  ];
  const offScale = chart.points.filter((point) => point.placement === 'above' || point.placement === 'below');
  if (offScale.length > 0) {
    lines.push(
      '',
      `${offScale.length} trial${offScale.length === 1 ? ' is' : 's are'} off the scale (${metricName} ` +
        `${chart.direction === 'minimize' ? 'above' : 'below'} ${formatMetric(chart.offScaleBeyond)}), drawn as ` +
        `triangles at the edge so the best-so-far line stays readable: trial${offScale.length === 1 ? '' : 's'} ` +
        `${offScale.map((point) => `${point.trial} (${formatMetric(point.metric)})`).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

function trialTimes(trials: readonly TrialRecord[]): { trialSeconds: number; elapsedSeconds: number | null } {
  const trialSeconds = trials.reduce((sum, trial) => sum + (trial.wallSeconds ?? 0), 0);
  const first = trials[0];
  const last = trials[trials.length - 1];
  if (!first || !last) return { trialSeconds, elapsedSeconds: null };
  const elapsed = (Date.parse(last.endedAt) - Date.parse(first.startedAt)) / 1000;
  return { trialSeconds, elapsedSeconds: Number.isFinite(elapsed) ? elapsed : null };
}

function writeWhole(path: string, content: string | Buffer): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
