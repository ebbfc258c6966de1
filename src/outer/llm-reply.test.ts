import { describe, expect, it } from 'vitest';
import { fixtureParams } from '../../test/fixtures/random-search-trace.js';
import type { SearchSettings } from '../records/search-settings.js';
import { type AnalystReply, analystReplySchema, applyAnalystReply } from './llm-reply.js';

const settings: SearchSettings = { frozen: ['DEPTH'], strategy: 'balanced', guidance: 'old' };
const reply = (partial: Partial<AnalystReply>): AnalystReply => ({
  frozen: [],
  strategy: 'balanced',
  guidance: 'old',
  rationale: 'because',
  ...partial,
});

describe('analystReplySchema', () => {
  it('refuses guidance over 600 characters and unknown strategies', () => {
    expect(analystReplySchema.safeParse(reply({ guidance: 'x'.repeat(601) })).success).toBe(false);
    expect(analystReplySchema.safeParse({ ...reply({}), strategy: 'wild' }).success).toBe(false);
    expect(analystReplySchema.safeParse(reply({ guidance: 'x'.repeat(600) })).success).toBe(true);
  });
});

describe('applyAnalystReply', () => {
  it('applies a valid reply and lists what changed', () => {
    const result = applyAnalystReply(
      reply({ frozen: ['WEIGHT_DECAY', 'ADAM_BETA2'], strategy: 'exploit', guidance: 'Lower TOTAL_BATCH_SIZE.' }),
      { params: fixtureParams, settings, minActive: 3 },
    );
    expect(result.ok).toBe(true);
    expect(result.settings).toEqual({
      frozen: ['WEIGHT_DECAY', 'ADAM_BETA2'],
      strategy: 'exploit',
      guidance: 'Lower TOTAL_BATCH_SIZE.',
    });
    expect(result.changes).toEqual([
      'froze WEIGHT_DECAY',
      'froze ADAM_BETA2',
      'unfroze DEPTH',
      'strategy balanced → exploit',
      'guidance: Lower TOTAL_BATCH_SIZE.',
    ]);
    expect(Object.isFrozen(result.settings.frozen)).toBe(true);
  });

  it('drops unknown names with a note, matches case-insensitively, removes duplicates', () => {
    const result = applyAnalystReply(reply({ frozen: ['weight_decay', 'DROPOUT', 'WEIGHT_DECAY', 'DEPTH'] }), {
      params: fixtureParams,
      settings,
      minActive: 3,
    });
    expect(result.settings.frozen).toEqual(['WEIGHT_DECAY', 'DEPTH']);
    expect(result.changes).toContain(`dropped "DROPOUT" from the reply's frozen list: not a param of this task`);
  });

  it('keeps minActive params active: the names listed last are not frozen', () => {
    const all = fixtureParams.map((param) => param.name);
    const result = applyAnalystReply(reply({ frozen: all }), { params: fixtureParams, settings, minActive: 3 });
    expect(result.settings.frozen).toEqual(all.slice(0, 4));
    expect(result.changes).toContain('did not freeze WARMUP_RATIO: at least 3 params must stay active');
    expect(result.changes).toContain('did not freeze ACTIVATION: at least 3 params must stay active');
  });

  it('strips control characters from guidance and rationale', () => {
    const result = applyAnalystReply(reply({ guidance: ' Try\u0007 lower LR.\u001b[2J ', rationale: 'a\u0000b' }), {
      params: fixtureParams,
      settings,
      minActive: 3,
    });
    expect(result.settings.guidance).toBe('Try  lower LR. [2J');
    expect(result.rationale).toBe('a b');
  });
});
