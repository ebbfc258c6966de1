// Writes a study's outputs: report.md, report.json and the convergence chart as SVG and PNG.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { displayJson, displayText } from '../core/display-text.js';
import type { ConvergenceChartOptions } from '../report/charts/chart-layout.js';
import { renderConvergencePng } from '../report/charts/chart-png.js';
import { convergenceSeries } from '../report/charts/chart-series.js';
import { renderConvergenceSvg } from '../report/charts/chart-svg.js';
import { renderStudyMarkdown } from './render-study-markdown.js';
import type { StudyReport } from './study-report.js';

export interface StudyReportFiles {
  markdown: string;
  json: string;
  svg: string;
  png: string;
}

export async function writeStudyReport(report: StudyReport, outDir: string): Promise<StudyReportFiles> {
  await mkdir(outDir, { recursive: true });
  const files: StudyReportFiles = {
    markdown: join(outDir, 'report.md'),
    json: join(outDir, 'report.json'),
    svg: join(outDir, 'convergence.svg'),
    png: join(outDir, 'convergence.png'),
  };
  const chart = studyChart(report);
  await writeFile(files.json, `${studyReportJson(report)}\n`);
  await writeFile(files.markdown, displayText(renderStudyMarkdown(report)));
  await writeFile(files.svg, renderConvergenceSvg(chart));
  await writeFile(files.png, renderConvergencePng(chart));
  return files;
}

/** report.json's text: non-finite numbers (an undefined effect size, infinite repeats needed) become strings. */
export function studyReportJson(report: StudyReport): string {
  return displayJson(report, 2, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** Running best improvement by trial: thin lines per repeat, a thick mean per group (higher is better). */
export function studyChart(report: StudyReport): ConvergenceChartOptions {
  const groups = report.groups.map((group) => ({
    label: `${group.name} (${group.levels.join('+')})`,
    runs: group.runs.filter((run) => run.state === 'finished').map((run) => run.convergence),
  }));
  return {
    title: `Ablation on ${report.task.name}: running best improvement over the baseline`,
    metricName: `improvement in ${report.task.metric.name}`,
    direction: 'maximize',
    series: convergenceSeries(groups, 'maximize'),
  };
}
