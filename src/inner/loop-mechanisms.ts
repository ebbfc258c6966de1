// What the loop needs from the active mechanisms (implemented by mechanisms/compose.ts), and the empty set.
import type {
  JudgeDecision,
  MechanismContext,
  OutcomeView,
  PromptParts,
  ProposalView,
  ScreenDecision,
  TrialRecordView,
} from '../mechanisms/mechanism.js';

export interface LoopMechanisms {
  selectParent(context: MechanismContext, defaultParent: number): Promise<number>;
  transformPrompt(context: MechanismContext, parts: PromptParts): Promise<PromptParts>;
  screenProposal(context: MechanismContext, proposal: ProposalView): Promise<ScreenDecision & { by?: string }>;
  judgeOutcome(context: MechanismContext, outcome: OutcomeView): Promise<JudgeDecision & { by?: string }>;
  shouldStop(context: MechanismContext): Promise<{ stop: boolean; reason: string; by?: string }>;
  onTrialEnd(context: MechanismContext, trial: TrialRecordView): Promise<void>;
  onRunEnd(context: MechanismContext): Promise<void>;
}

/** No mechanisms: every decision is the loop's default. */
export const noMechanisms: LoopMechanisms = {
  selectParent: async (_context, defaultParent) => defaultParent,
  transformPrompt: async (_context, parts) => parts,
  screenProposal: async () => ({ accept: true }),
  judgeOutcome: async (_context, outcome) => ({ verdict: outcome.verdict, reason: 'default' }),
  shouldStop: async () => ({ stop: false, reason: '' }),
  onTrialEnd: async () => {},
  onRunEnd: async () => {},
};
