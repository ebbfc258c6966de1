// Guards the statistics against NaN/Infinity sneaking in from crashed trials.
import { BilevelError } from '../core/errors.js';

/**
 * Throws when a sample holds a non-finite value: crashed or missing results must be filtered out
 * (or reported as missing) before they reach a statistic, never averaged in silently.
 */
export function assertFiniteSample(values: readonly number[], what: string): void {
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new BilevelError('INTERNAL', `${what}: value ${index} is ${String(value)}, not a finite number`, {
        hint: 'Drop crashed or missing results before computing statistics, and report how many were dropped.',
      });
    }
  }
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  const first = sum / values.length;
  // One correction pass removes most of the rounding error of the naive sum.
  let residual = 0;
  for (const value of values) residual += value - first;
  return first + residual / values.length;
}

/** Sample variance (divides by n - 1); NaN when n < 2. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const center = mean(values);
  let squares = 0;
  let deviations = 0;
  for (const value of values) {
    const deviation = value - center;
    squares += deviation * deviation;
    deviations += deviation;
  }
  // Corrected two-pass formula (Chan, Golub & LeVeque 1983).
  return (squares - (deviations * deviations) / values.length) / (values.length - 1);
}
