import { describe, expect, test } from 'vitest';
import { syntheticContext, syntheticHistory } from '../../test/fixtures/llm-proposer-fixtures.js';
import type { PendingTrialView } from '../mechanisms/mechanism.js';
import { loadTask } from '../task/load-task.js';
import { renderFixPrompt, renderProposalPrompt } from './llm-proposal-prompt.js';

/** The stated bound: the whole params-mode prompt (system + user) for the 8-param synthetic task. */
const promptBoundChars = 12_000;

function promptAt(trialIndex: number, historyGiven: number) {
  const history = syntheticHistory(trialIndex);
  const context = syntheticContext({
    history: history.slice(-historyGiven),
    trialCount: trialIndex,
    trialIndex,
    settings: { frozen: ['DROPOUT'], strategy: 'exploit', guidance: 'Lower the learning rate first. '.repeat(100) },
    guidance: Array.from({ length: 40 }, (_, index) => `mechanism hint ${index}: ${'x'.repeat(500)}`),
    focus: ['LEARNING_RATE', 'BATCH_SIZE'],
    avoid: ['N_LAYER'],
    feedback: `LEARNING_RATE must lie in [0.0001, 0.1], not 5. ${'more detail '.repeat(400)}`,
    attempt: 1,
  });
  const rendered = renderProposalPrompt(context);
  return { rendered, size: rendered.system.length + rendered.user.length };
}

describe('renderProposalPrompt', () => {
  test(`the params prompt for trial 2,000 of a long synthetic run stays under ${promptBoundChars} characters`, () => {
    const all = promptAt(2000, 2000);
    const loopWindow = promptAt(2000, 200);
    const early = promptAt(20, 20);
    expect(all.size).toBeLessThanOrEqual(promptBoundChars);
    expect(loopWindow.size).toBeLessThanOrEqual(promptBoundChars);
    // Bounded, not merely small: trial 2,000 is within a fixed margin of trial 20 (aggregate table added once).
    expect(all.size - early.size).toBeLessThan(2000);
  });

  test('shows task, metric direction, tunables with ranges and current values, settings, feedback and values tried', () => {
    const { rendered } = promptAt(300, 200);
    const text = rendered.user;
    expect(text).toContain('synthetic: A seeded stand-in');
    expect(text).toContain('`val_bpb`, minimize (lower is better)');
    expect(text).toMatch(/\| LEARNING_RATE \| number, log scale \| 0\.0001 … 0\.1 \| 0\.003 \|/);
    expect(text).toMatch(/\| ACTIVATION \| choice \| "gelu", "relu", "silu", "tanh" \| "gelu" \|/);
    expect(text).toMatch(/\| DROPOUT \|.*FROZEN: do not change/);
    expect(text).toContain('frozen (must not change): DROPOUT');
    expect(text).toContain('exploit: make small moves around the incumbent');
    expect(text).toContain('focus (change only these now): LEARNING_RATE, BATCH_SIZE');
    expect(text).toContain('avoid changing this trial: N_LAYER');
    expect(text).toContain('mechanism hint 0');
    expect(text).toContain('(28 more hints not shown)');
    expect(text).toContain('Your previous proposal for this trial was rejected');
    expect(text).toContain('LEARNING_RATE must lie in [0.0001, 0.1], not 5.');
    // The history shows values tried (before→after) and outcomes, not only prose, plus the per-param aggregate.
    expect(text).toMatch(/\| 299 \| \d+ \| \w+ \| [\d.–]+ \| [A-Z_]+ [\d."a-z]+→[\d."a-z]+/);
    expect(text).toMatch(/\| LEARNING_RATE \| \d+ \| \d+ \| \d+ \| [\d.e-]+ … [\d.e-]+ \(\d+ distinct\) \|/);
    expect(text).toContain('(the last 200 of 300 are summarised here)');
    expect(rendered.system).toContain('Reply with one JSON object');
    expect(rendered.prompt.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('values a model may copy are exact (the synthetic task: 1048576, not 1048580); only metrics are rounded', async () => {
    const task = await loadTask('synthetic');
    const history = syntheticHistory(40).map((trial, index) =>
      index === 39
        ? { ...trial, changed: { MATRIX_LR: [0.04, 0.0123456789] as [number, number] }, metric: 1.23456789 }
        : trial,
    );
    const current = { ...task.defaults, TOTAL_BATCH_SIZE: 2097152, EMBEDDING_LR: 0.30000000000000004 };
    const context = syntheticContext({
      params: task.params,
      current,
      history,
      trialCount: 40,
      incumbentMetric: 0.987654321,
    });
    const text = renderProposalPrompt(context).user;
    expect(text).toContain('16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152');
    expect(text).toMatch(/\| TOTAL_BATCH_SIZE \| choice \| [^|]+ \| 2097152 \|/);
    expect(text).toMatch(/\| EMBEDDING_LR \| number, log scale \| 0\.05 … 5 \| 0\.30000000000000004 \|/);
    expect(text).toContain('MATRIX_LR 0.04→0.0123456789');
    expect(text).not.toMatch(/1048580|2097150/);
    // Metrics are measurements, not values to copy: rounded to 6 significant digits.
    expect(text).toContain('Incumbent (best so far): 0.987654.');
    expect(text).toMatch(/\| 39 \| \d+ \| \w+ \| 1\.23457 \|/);
  });

  test('a long choice list is cut between values, never inside one, and says how many are left out', () => {
    const choices = Array.from({ length: 300 }, (_, index) => `variant-${index}-with|pipe`);
    const context = syntheticContext({
      params: [{ name: 'VARIANT', type: 'choice', choices }],
      current: { VARIANT: 'variant-7-with|pipe' },
    });
    const row = renderProposalPrompt(context)
      .user.split('\n')
      .find((line) => line.startsWith('| VARIANT'));
    expect(row).toMatch(
      /"variant-0-with\\\|pipe", "variant-1-with\\\|pipe", .*, … \(\d+ more\) \| "variant-7-with\\\|pipe" \|/,
    );
  });

  test('code mode shows the editable files; the fix prompt shows the crashing edit and the end of the error', () => {
    const files = { 'train.ts': 'const LEARNING_RATE = 0.003;\nconsole.log("val_bpb: 1.0");\n' };
    const context = syntheticContext({ files, task: { ...syntheticContext().task, mode: 'code' } });
    const code = renderProposalPrompt(context);
    expect(code.prompt.name).toBe('propose-code');
    expect(code.user).toContain('### train.ts');
    expect(code.user).toContain('const LEARNING_RATE = 0.003;');
    const fix = renderFixPrompt(
      {
        ...context,
        proposal: {
          kind: 'code',
          summary: 'raise lr',
          edits: [{ file: 'train.ts', search: '0.003', replace: '0.3x' }],
        },
        errorTail: `${'noise\n'.repeat(2000)}SyntaxError: Invalid or unexpected token`,
        fixAttempt: 0,
      },
      { maxFixAttempts: 2 },
    );
    expect(fix.prompt.name).toBe('fix-crash');
    expect(fix.user).toContain('SyntaxError: Invalid or unexpected token');
    expect(fix.user).toContain('In train.ts replaced:');
    expect(fix.user).toContain('fix attempt 1 of 2');
    expect(fix.user.length).toBeLessThan(6000);
  });

  test('lists the trials running now (several workers) so the model does not propose them again; nothing with one', () => {
    const base = syntheticContext({ trialIndex: 9 });
    expect(renderProposalPrompt(base).user).not.toContain('Running now');
    const pending: PendingTrialView[] = [
      { index: 7, values: {}, changed: { LEARNING_RATE: [0.01, 0.02] }, summary: 'up', parent: 4 },
      { index: 8, values: {}, changed: {}, summary: 'a code change', parent: 4 },
    ];
    const user = renderProposalPrompt({ ...base, pending }).user;
    expect(user).toContain('## Running now (proposed, not measured yet: do not propose these again)');
    expect(user).toContain('- trial 7 (from trial 4): LEARNING_RATE 0.01 -> 0.02');
    expect(user).toContain('- trial 8 (from trial 4): a code change');
  });
});
