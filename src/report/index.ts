// The report module's public surface: run status and reports, convergence charts, and group statistics.

export { type CompareGroupsOptions, compareGroups, type GroupComparison } from '../stats/compare-groups.js';
export { type GroupSummary, type GroupSummaryOptions, summarizeGroup } from '../stats/summarize-group.js';
export type { ChartSeries, ConvergenceChartOptions } from './charts/chart-layout.js';
export { renderConvergencePng } from './charts/chart-png.js';
export { type ChartGroup, convergenceSeries } from './charts/chart-series.js';
export { renderConvergenceSvg } from './charts/chart-svg.js';
export { type RunConvergenceChart, runConvergenceChart } from './charts/run-convergence-chart.js';
export { improvement, isBetter, type MetricDirection, runningBest } from './improvement.js';
export { renderMetaSessions } from './meta-sessions-section.js';
export {
  buildRunReport,
  type MetaSessionsRenderer,
  type RunReport,
  type RunReportOptions,
  reportFileNames,
  type WrittenRunReport,
  writeRunReport,
} from './run-report.js';
export { buildRunStatus, listRunSummaries, type MechanismStatus, type RunStatus } from './run-status.js';
