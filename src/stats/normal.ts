// The standard normal distribution: CDF, upper tail and quantile.
import { regularizedGammaP, regularizedGammaQ } from './special-functions.js';

/** Φ(z) = P(Z ≤ z) for a standard normal Z (through erfc = Q(1/2, x²); full double precision). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = (z * z) / 2;
  // Φ(z) = erfc(-z/√2)/2; for z < 0 that is Q(1/2, z²/2)/2, for z ≥ 0 it is 1 - Q(1/2, z²/2)/2.
  return z < 0 ? regularizedGammaQ(0.5, x) / 2 : 0.5 + regularizedGammaP(0.5, x) / 2;
}

/** 1 - Φ(z), computed without cancellation for large z. */
export function normalUpperTail(z: number): number {
  return normalCdf(-z);
}

const a = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const c = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** z such that Φ(z) = probability (Acklam's rational approximation, refined by two Halley steps). */
export function normalQuantile(probability: number): number {
  if (Number.isNaN(probability) || probability < 0 || probability > 1) return Number.NaN;
  if (probability === 0) return Number.NEGATIVE_INFINITY;
  if (probability === 1) return Number.POSITIVE_INFINITY;
  // Solve in the lower half, where Φ keeps full relative precision; 1 - p is exact for p ≥ 0.5.
  if (probability > 0.5) return -normalQuantile(1 - probability);
  const low = 0.02425;
  let z: number;
  if (probability < low || probability > 1 - low) {
    const tail = probability < low ? probability : 1 - probability;
    const q = Math.sqrt(-2 * Math.log(tail));
    const value =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    z = probability < low ? value : -value;
  } else {
    const q = probability - 0.5;
    const r = q * q;
    z =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  for (let step = 0; step < 2; step += 1) {
    const error = normalCdf(z) - probability;
    const u = error * Math.sqrt(2 * Math.PI) * Math.exp((z * z) / 2);
    z -= u / (1 + (z * u) / 2);
  }
  return z;
}
