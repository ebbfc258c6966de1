// The study page as data: the group table with intervals, the between-group tests, the per-group convergence
// chart's series, and each group's runs — the same numbers `bilevel ablate` writes into report.json.
import { type StudyDefinition, studyDefinitionSchema } from '../ablate/study-definition.js';
import { buildStudyReport, type StudyReport } from '../ablate/study-report.js';
import { studyChart } from '../ablate/write-study-report.js';
import { BilevelError } from '../core/errors.js';
import type { ConvergenceChartOptions } from '../report/charts/chart-layout.js';
import type { Database } from '../storage/database.js';
import { findStudy } from '../storage/study-tables.js';

export interface StudyView {
  report: StudyReport;
  chart: ConvergenceChartOptions;
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
  return { report, chart: studyChart(report) };
}
