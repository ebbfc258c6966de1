// A mix of proposers (`mix:llm=0.3,optuna:cmaes=0.7`): a seeded choice of arm per trial, recorded with the trial.
import { BilevelError } from '../core/errors.js';
import { createRng, mixSeed } from '../core/rng.js';
import type { ProposerArm, ProposerPlan } from '../records/proposer-spec.js';
import type { ProposalContext, Proposer, ProposerResult } from './proposer.js';

/**
 * The arm that proposes trial `trialIndex`: a draw from the plan's weights, seeded by the run seed and the trial
 * index alone, so a resume (or a retry within the trial) asks the same arm, and a test can count the expected share.
 */
export function mixArmFor(plan: ProposerPlan, runSeed: number, trialIndex: number): ProposerArm {
  const draw = createRng(mixSeed(runSeed, trialIndex, 0x6d6978)).next();
  let cumulative = 0;
  for (const entry of plan.arms) {
    cumulative += entry.weight;
    if (draw < cumulative) return entry.arm;
  }
  return (plan.arms.at(-1) as ProposerPlan['arms'][number]).arm;
}

/** Delegates each trial to its arm; every result says which arm made it (`by`). */
export function createMixedProposer(
  plan: ProposerPlan,
  arms: ReadonlyMap<ProposerArm, Proposer>,
  runSeed: number,
): Proposer {
  const armFor = (context: ProposalContext): { arm: ProposerArm; proposer: Proposer } => {
    const arm = mixArmFor(plan, runSeed, context.trialIndex);
    const proposer = arms.get(arm);
    if (!proposer) {
      throw new BilevelError('INTERNAL', `the mix ${plan.spec} has no proposer for ${arm}`, {
        hint: 'build a mix with one proposer per arm of its plan',
      });
    }
    return { arm, proposer };
  };
  return {
    specificationVersion: 'proposer-v1',
    name: plan.spec,
    async propose(context): Promise<ProposerResult> {
      const { arm, proposer } = armFor(context);
      return { ...(await proposer.propose(context)), by: arm };
    },
    async fixCrash(context): Promise<ProposerResult> {
      const { arm, proposer } = armFor(context);
      if (!proposer.fixCrash) return { ok: false, reason: `${arm} does not fix crashes`, by: arm };
      return { ...(await proposer.fixCrash(context)), by: arm };
    },
    async dispose() {
      for (const proposer of arms.values()) await proposer.dispose?.();
    },
  };
}
