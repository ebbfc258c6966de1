// Writes a study's outputs: report.md, report.json and the convergence chart as SVG and PNG.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { displayJson, displayText } from '../core/display-text.js';
import { renderScenePng } from '../report/charts/chart-png.js';
import type { Scene } from '../report/charts/chart-scene.js';
import { renderSceneSvg } from '../report/charts/chart-svg.js';
import { type StudyChartData, studyChartData } from '../report/charts/study-chart-data.js';
import { studyChartScene } from '../report/charts/study-chart-scene.js';
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
  await writeFile(files.svg, renderSceneSvg(chart));
  await writeFile(files.png, renderScenePng(chart));
  return files;
}

/** report.json's text: non-finite numbers (an undefined effect size, infinite repeats needed) become strings. */
export function studyReportJson(report: StudyReport): string {
  return displayJson(report, 2, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** What the study's chart draws: per group, each finished repeat's running best improvement and their mean. */
export function studyChartOf(report: StudyReport): StudyChartData {
  return studyChartData(
    `improvement in ${report.task.metric.name}`,
    report.groups.map((group) => ({
      label: `${group.name} (${group.levels.join('+')})`,
      runs: group.runs.filter((run) => run.state === 'finished').map((run) => run.convergence),
    })),
  );
}

function studyChartTitles(report: StudyReport): Pick<Parameters<typeof studyChartScene>[1], 'title' | 'subtitle'> {
  const { repeats, controls } = report.definition;
  return {
    title: `Ablation on ${report.task.name}: best improvement so far`,
    subtitle:
      `over each run's baseline, in ${report.task.metric.name} (positive = better); ` +
      `${repeats} repeat${repeats === 1 ? '' : 's'} x ${controls.trials} trials per group`,
  };
}

/** The study's chart as a scene (SVG and PNG draw it). */
export function studyChart(report: StudyReport): Scene {
  return studyChartScene(studyChartOf(report), studyChartTitles(report));
}
