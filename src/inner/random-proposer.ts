// The random proposer: seeded random search over the tunable params — the no-LLM baseline.
import { createRng, mixSeed, type Rng } from '../core/rng.js';
import type { Proposal } from '../records/proposal.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import type { ProposalContext, Proposer, ProposerResult } from './proposer.js';

/** Share of the range a local (exploit) move spans, for linear params. */
const localSpan = 0.1;
/** Standard deviation of a local move in log space, for log-scale params. */
const localLogSigma = 0.35;

export function createRandomProposer(): Proposer {
  return {
    specificationVersion: 'proposer-v1',
    name: 'random',
    async propose(context: ProposalContext): Promise<ProposerResult> {
      // A draw that repeats a trial in flight is drawn again (with a derived seed, so a resume draws the same).
      let result = draw(context, createRng(context.seed));
      for (let retry = 1; retry <= maxRedraws && result.ok && repeatsPending(context, result.proposal); retry++) {
        result = draw(context, createRng(mixSeed(context.seed, retry, 0x64757065)));
      }
      return result;
    },
  };
}

/** Draws again at most this many times when a draw repeats a trial in flight. */
const maxRedraws = 8;

/** True when applying the proposal gives exactly the values of a trial running now. */
function repeatsPending(context: ProposalContext, proposal: Proposal): boolean {
  if (proposal.kind !== 'params' || context.pending.length === 0) return false;
  const values = { ...context.current, ...proposal.values };
  return context.pending.some((trial) => Object.entries(trial.values).every(([name, value]) => values[name] === value));
}

/** One seeded draw: up to a few movable params moved, locally or anywhere in their range. */
function draw(context: ProposalContext, rng: Rng): ProposerResult {
  const movable = movableParams(context);
  if (movable.length === 0) {
    return { ok: false, reason: 'no param may be moved: every tunable is frozen or avoided' };
  }
  const wanted = context.settings.strategy === 'exploit' ? 1 : context.settings.strategy === 'explore' ? 3 : 2;
  const count = Math.min(movable.length, 1 + rng.int(wanted));
  const chosen = shuffle(movable, rng).slice(0, count);
  const values: Record<string, ParamValue> = {};
  for (const spec of chosen) {
    const current = context.current[spec.name];
    const local =
      context.settings.strategy === 'exploit' || (context.settings.strategy === 'balanced' && rng.next() < 0.5);
    const value = sampleDifferent(spec, current, local, rng);
    if (value !== undefined) values[spec.name] = value;
  }
  if (Object.keys(values).length === 0) {
    return { ok: false, reason: 'the movable params have a single allowed value each' };
  }
  const summary = Object.entries(values)
    .map(([name, value]) => `${name} ${formatValue(context.current[name])} -> ${formatValue(value)}`)
    .join(', ');
  return { ok: true, proposal: { kind: 'params', values, summary, rationale: 'random search' } };
}

function movableParams(context: ProposalContext): ParamSpec[] {
  const blocked = new Set([...context.settings.frozen, ...context.avoid]);
  const open = context.params.filter((spec) => !blocked.has(spec.name));
  const focused = open.filter((spec) => context.focus.includes(spec.name));
  return focused.length > 0 ? focused : open;
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = rng.int(index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** A value unlike `current`, or undefined if the param allows nothing else. */
function sampleDifferent(
  spec: ParamSpec,
  current: ParamValue | undefined,
  local: boolean,
  rng: Rng,
): ParamValue | undefined {
  if (spec.type === 'choice') {
    const others = spec.choices.filter((choice) => choice !== current);
    return others.length > 0 ? rng.pick(others) : undefined;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = sampleNumber(spec, typeof current === 'number' ? current : undefined, local, rng);
    if (value !== current) return value;
  }
  return undefined;
}

function sampleNumber(
  spec: Extract<ParamSpec, { type: 'number' }>,
  current: number | undefined,
  local: boolean,
  rng: Rng,
): number {
  const logScale = spec.scale === 'log' && spec.min > 0;
  let value: number;
  if (local && current !== undefined) {
    value = logScale
      ? current * Math.exp(gaussian(rng) * localLogSigma)
      : current + gaussian(rng) * localSpan * (spec.max - spec.min);
  } else if (logScale) {
    value = Math.exp(Math.log(spec.min) + rng.next() * (Math.log(spec.max) - Math.log(spec.min)));
  } else {
    value = spec.min + rng.next() * (spec.max - spec.min);
  }
  value = Math.min(spec.max, Math.max(spec.min, value));
  return spec.integer ? Math.round(value) : Number(value.toPrecision(4));
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function formatValue(value: ParamValue | undefined): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
