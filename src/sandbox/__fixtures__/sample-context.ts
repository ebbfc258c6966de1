// Test and bench data: a synthetic run of N trials and the mechanism context built from it.
import { buildMechanismContext, type ContextSource } from '../../mechanisms/build-context.js';
import type { MechanismContext, TrialRecordView } from '../../mechanisms/mechanism.js';

/** A seeded-free, deterministic run: every third trial kept, metric falling slowly. */
export function sampleSource(trialCount: number): ContextSource {
  const trials: TrialRecordView[] = [];
  for (let index = 0; index < trialCount; index++) {
    const keep = index === 0 || index % 3 === 0;
    trials.push({
      index,
      status: keep ? 'keep' : 'discard',
      metric: 1 - index * 0.001,
      values: { learning_rate: 0.001 * (1 + (index % 7)), depth: 2 + (index % 5), activation: 'gelu' },
      changed: index === 0 ? {} : { learning_rate: [0.001, 0.001 * (1 + (index % 7))] },
      summary: `trial ${index}: moved learning_rate`,
      reason: keep ? '' : 'not better than the incumbent',
      parent: keep ? Math.max(0, index - 3) : index - (index % 3),
    });
  }
  return {
    task: { name: 'synthetic', metric: { name: 'val_bpb', direction: 'minimize' }, mode: 'params' },
    tunables: [
      { name: 'learning_rate', type: 'number', min: 0.0001, max: 0.1, integer: false, scale: 'log' },
      { name: 'depth', type: 'number', min: 1, max: 12, integer: true, scale: 'linear' },
      { name: 'activation', type: 'choice', choices: ['gelu', 'relu'] },
    ],
    settings: { frozen: [], strategy: 'balanced', guidance: '' },
    trials,
  };
}

/** The context for the next trial after `trialCount` recorded ones. */
export function sampleContext(trialCount: number): MechanismContext {
  return buildMechanismContext(sampleSource(trialCount), trialCount, {}, 7);
}
