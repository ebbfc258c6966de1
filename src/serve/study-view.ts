// The study page as data: the group table with intervals, the between-group tests, the per-group convergence
// chart's series, and each group's runs — the same numbers `bilevel ablate` writes into report.json.
import { type StudyDefinition, studyDefinitionSchema } from '../ablate/study-definition.js';
import { buildStudyReport, type StudyReport } from '../ablate/study-report.js';
import { studyChartOf } from '../ablate/write-study-report.js';
import { BilevelError } from '../core/errors.js';
import type { Database } from '../storage/database.js';
import { findStudy } from '../storage/study-tables.js';

/** One line of the study chart as the page draws it: a repeat (thin) or a group's mean (thick). */
export interface StudyChartLine {
  label: string;
  points: (number | null)[];
  weight: 'thin' | 'thick';
  color: string;
}

export interface StudyView {
  report: StudyReport;
  chart: { title: string; metricName: string; direction: 'maximize'; series: StudyChartLine[] };
}

/** The study's report and chart; RUN_NOT_FOUND for an unknown id, STATE_CORRUPT for a definition this build cannot read. */
export function buildStudyView(database: Database, studyId: string): StudyView {
  const stored = findStudy(database, studyId);
  if (!stored) {
    throw new BilevelError('RUN_NOT_FOUND', `no study with id ${studyId} in this state dir`, {
      hint: 'the front page lists the studies',
    });
  }
  const parsed = studyDefinitionSchema.safeParse(stored.definition);
  if (!parsed.success) {
    throw new BilevelError('STATE_CORRUPT', `study ${studyId}'s definition does not fit this bilevel's`, {
      hint: 'it was written by another version of bilevel: view it with that version, or `bilevel ablate` again',
    });
  }
  const definition: StudyDefinition = parsed.data;
  const report = buildStudyReport(database, definition);
  const data = studyChartOf(report);
  const series = data.groups.flatMap((group): StudyChartLine[] => [
    ...group.repeats.map((points, repeat) => ({
      label: `${group.label} #${repeat + 1}`,
      points,
      weight: 'thin' as const,
      color: group.color,
    })),
    {
      label: group.sameAs ? `${group.label} (same as ${group.sameAs})` : group.label,
      points: group.mean,
      weight: 'thick',
      color: group.color,
    },
  ]);
  const title = `Ablation on ${report.task.name}: running best improvement over the baseline`;
  return { report, chart: { title, metricName: data.metricName, direction: 'maximize', series } };
}
