// What the loop needs from the active mechanisms (implemented by mechanisms/compose.ts), and the empty set.
import type { MechanismStop, MechanismVerdict } from '../mechanisms/compose.js';
import type {
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
  judgeOutcome(context: MechanismContext, outcome: OutcomeView): Promise<MechanismVerdict | undefined>;
  shouldStop(context: MechanismContext): Promise<MechanismStop | undefined>;
  onTrialEnd(context: MechanismContext, trial: TrialRecordView): Promise<void>;
  onRunEnd(context: MechanismContext): Promise<void>;
}

/** No mechanisms: every decision is the loop's default. */
export const noMechanisms: LoopMechanisms = {
  selectParent: async (_context, defaultParent) => defaultParent,
  transformPrompt: async (_context, parts) => parts,
  screenProposal: async () => ({ accept: true }),
  judgeOutcome: async () => undefined,
  shouldStop: async () => undefined,
  onTrialEnd: async () => {},
  onRunEnd: async () => {},
};
