import { describe, expect, it } from 'vitest';
import { buildRandomSearchTrace, fixtureParams } from '../../test/fixtures/random-search-trace.js';
import { loadPrompt, renderTemplate } from '../core/prompts.js';
import { analyzePromptVariables } from './analyze-prompt.js';

describe('analyzePromptVariables', () => {
  const history = buildRandomSearchTrace(1, 40);
  const variables = analyzePromptVariables(
    {
      cycle: 8,
      trialIndex: 40,
      params: fixtureParams,
      settings: { frozen: ['DEPTH'], strategy: 'exploit', guidance: '' },
      history,
      direction: 'minimize',
      metricName: 'val_bpb',
      task: { name: 'synthetic', description: 'd'.repeat(5000) },
    },
    { historyLimit: 12, minActive: 3 },
  );

  it('fills every placeholder of the analyze prompt from the input', () => {
    expect(variables).toMatchObject({
      metricName: 'val_bpb',
      direction: 'minimize',
      directionWords: 'lower is better',
      cycle: '8',
      trialIndex: '40',
      frozen: 'DEPTH',
      strategy: 'exploit',
      guidance: '(none)',
      trialCount: '40',
      minActive: '3',
      paramNames: 'LEARNING_RATE, WEIGHT_DECAY, TOTAL_BATCH_SIZE, DEPTH, WARMUP_RATIO, ADAM_BETA2, ACTIVATION',
    });
    expect(variables.paramTable).toContain('| DEPTH | 5 | 1 |');
    expect(variables.paramTable).toMatch(/\| DEPTH \|.*\| yes \|$/m);
    expect(variables.recentTrials?.split('\n')).toHaveLength(15);
  });

  it('bounds the task description and the whole prompt', () => {
    expect(variables.task?.length).toBeLessThan(2100);
    const total = Object.values(variables).join('').length;
    expect(total).toBeLessThan(6000);
  });

  it('matches prompts/analyze.md: every placeholder has a value and every value is used', () => {
    const template = loadPrompt('analyze').text;
    const placeholders = new Set([...template.matchAll(/\{\{\s*([A-Za-z]\w*)\s*\}\}/g)].map((match) => match[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(variables).sort());
    expect(renderTemplate(template, variables)).not.toContain('{{');
  });
});
