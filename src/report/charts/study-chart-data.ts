// What an ablation's convergence chart shows, without pixels: per group, each repeat's running best and their mean,
// and which groups have exactly the same curves (so a view can say so instead of drawing one over the other).
import { runningBest } from '../improvement.js';
import { chartPalette, normalizeColor } from './chart-scene.js';

export interface StudyChartGroupInput {
  /** Group name, e.g. "A (1)". */
  label: string;
  /** One running-best series per finished repeat, by trial index (0 = baseline); null = no kept metric yet. */
  runs: readonly (readonly (number | null)[])[];
  /** `#rgb` or `#rrggbb`; default: the palette colour of the group's index. */
  color?: string;
}

export interface StudyChartGroup {
  label: string;
  /** `#rrggbb`. */
  color: string;
  /** Each repeat's running best (higher is better), by trial. */
  repeats: (number | null)[][];
  /** At each trial, the mean of the repeats that have a value there; null where none has. */
  mean: (number | null)[];
  /** The first earlier group whose repeats have exactly these curves; null when none has. */
  sameAs: string | null;
}

export interface StudyChartData {
  /** What is plotted, e.g. "improvement in val_bpb" (higher is better). */
  metricName: string;
  /** Trials 0..trialSpan-1 on the x axis. */
  trialSpan: number;
  groups: StudyChartGroup[];
  /** Every value drawn; null when no group has one. */
  range: { low: number; high: number } | null;
}

function sameCurves(left: readonly (number | null)[][], right: readonly (number | null)[][]): boolean {
  return (
    left.length === right.length &&
    left.every(
      (series, index) =>
        series.length === right[index]!.length && series.every((value, trial) => value === right[index]![trial]),
    )
  );
}

export function studyChartData(metricName: string, inputs: readonly StudyChartGroupInput[]): StudyChartData {
  const groups: StudyChartGroup[] = [];
  inputs.forEach((input, index) => {
    const repeats = input.runs.map((run) => runningBest(run, 'maximize'));
    const length = Math.max(0, ...repeats.map((series) => series.length));
    const mean = Array.from({ length }, (_, trial) => {
      const present = repeats
        .map((series) => series[trial])
        .filter((value): value is number => value !== null && value !== undefined);
      return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
    });
    const twin = repeats.length > 0 ? groups.find((group) => sameCurves(group.repeats, repeats)) : undefined;
    groups.push({
      label: input.label,
      color: normalizeColor(input.color ?? chartPalette[index % chartPalette.length]!),
      repeats,
      mean,
      sameAs: twin?.label ?? null,
    });
  });
  const values = groups
    .flatMap((group) => [...group.repeats.flat(), ...group.mean])
    .filter((value): value is number => value !== null && Number.isFinite(value));
  return {
    metricName,
    trialSpan: Math.max(0, ...groups.map((group) => group.mean.length)),
    groups,
    range: values.length === 0 ? null : { low: Math.min(0, ...values), high: Math.max(...values) },
  };
}
