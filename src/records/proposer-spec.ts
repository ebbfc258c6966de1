// The proposer spec (`--proposer`): llm, random, optuna:SAMPLER, or mix:ARM=WEIGHT,… — parsed and checked in one place.
import { z } from 'zod';
import { usage } from './setting-parsers.js';

/** Optuna's samplers bilevel can drive (params mode), by the name used after `optuna:`. */
export const optunaSamplers = ['tpe', 'cmaes', 'gp', 'qmc', 'random'] as const;
export type OptunaSampler = (typeof optunaSamplers)[number];

/** One proposer that can make a trial: the LLM, bilevel's random search, or one of Optuna's samplers. */
export type ProposerArm = 'llm' | 'random' | `optuna:${OptunaSampler}`;

export const proposerArms: readonly ProposerArm[] = [
  'llm',
  'random',
  ...optunaSamplers.map((sampler): ProposerArm => `optuna:${sampler}`),
];

/** A parsed spec: one arm (weight 1), or a mix whose weights are normalized to sum to 1, in the order given. */
export interface ProposerPlan {
  /** The spec as stored: arms and weights as given, spaces removed. */
  readonly spec: string;
  readonly arms: readonly { readonly arm: ProposerArm; readonly weight: number }[];
  readonly mixed: boolean;
}

const mixPrefix = 'mix:';
const example = 'mix:llm=0.3,optuna:cmaes=0.7';

function unknownArm(text: string, where: string) {
  return usage(
    `${where}: unknown proposer "${text}"`,
    `proposers are ${proposerArms.join(', ')}, or a mix of them such as --proposer ${example}`,
  );
}

function isArm(text: string): text is ProposerArm {
  return (proposerArms as readonly string[]).includes(text);
}

/** Parses a spec; a bad one is a USAGE error that names `where` (the flag or group) and says what to pass. */
export function parseProposerSpec(text: string, where = '--proposer'): ProposerPlan {
  const spec = text.replace(/\s+/g, '');
  if (!spec.startsWith(mixPrefix)) {
    if (!isArm(spec)) throw unknownArm(text, where);
    return { spec, arms: [{ arm: spec, weight: 1 }], mixed: false };
  }
  const parts = spec.slice(mixPrefix.length).split(',').filter(Boolean);
  if (parts.length === 0) throw usage(`${where}: "${text}" names no proposer`, `e.g. --proposer ${example}`);
  const arms: { arm: ProposerArm; weight: number }[] = [];
  for (const part of parts) {
    const equals = part.lastIndexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const weight = equals === -1 ? Number.NaN : Number(part.slice(equals + 1));
    if (!isArm(name)) throw unknownArm(name, where);
    if (!Number.isFinite(weight) || weight <= 0) {
      throw usage(`${where}: "${part}" needs a positive weight`, `write each arm as NAME=WEIGHT, e.g. ${example}`);
    }
    if (arms.some((entry) => entry.arm === name)) {
      throw usage(`${where}: ${name} is listed twice in "${text}"`, 'name each proposer once in a mix');
    }
    arms.push({ arm: name, weight });
  }
  const total = arms.reduce((sum, entry) => sum + entry.weight, 0);
  return { spec, arms: arms.map((entry) => ({ arm: entry.arm, weight: entry.weight / total })), mixed: true };
}

/** The spec as a run config stores it: any text `parseProposerSpec` accepts (stored runs' `llm` and `random` too). */
export const proposerSpecSchema = z.string().superRefine((text, context) => {
  try {
    parseProposerSpec(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** Whether any arm of the spec is the LLM (then the run needs a model). */
export function proposerUsesLlm(spec: string): boolean {
  return parseProposerSpec(spec).arms.some((entry) => entry.arm === 'llm');
}

/** The Optuna samplers the spec uses, in the order given. */
export function optunaSamplersOf(spec: string): OptunaSampler[] {
  return parseProposerSpec(spec)
    .arms.map((entry) => entry.arm)
    .filter((arm): arm is `optuna:${OptunaSampler}` => arm.startsWith('optuna:'))
    .map((arm) => arm.slice('optuna:'.length) as OptunaSampler);
}

/** `llm 30%, optuna:cmaes 70%` for a mix; the arm itself otherwise. */
export function describeProposerSpec(spec: string): string {
  const plan = parseProposerSpec(spec);
  if (!plan.mixed) return plan.spec;
  return plan.arms.map((entry) => `${entry.arm} ${Number((entry.weight * 100).toPrecision(3))}%`).join(', ');
}
