import { describe, expect, it } from 'vitest';
import type { RunSettingValues } from '../run/run-options.js';
import { loadTask } from '../task/load-task.js';
import {
  buildStudyDefinition,
  mechanismConfigsFor,
  runConfigFor,
  type StudyFlags,
  studyReachWarnings,
} from './study-config.js';
import { studyId } from './study-definition.js';

const settings: RunSettingValues = { task: 'synthetic', trials: 6, proposer: 'random', noiseThreshold: 0 };
const flags: StudyFlags = {
  groups: 'A,B',
  repeats: '3',
  firstSeed: '0',
  baseline: 'per-group',
  restart: 'none',
  restartEvery: '8',
  restartDuration: '2',
};

describe('study definition and run configs', async () => {
  const task = await loadTask('synthetic');

  it('holds the controls fixed across groups and gives repeat r seed firstSeed + r in every group', () => {
    const definition = buildStudyDefinition({ ...flags, firstSeed: '10' }, settings, task, undefined);
    const [a, b] = definition.groups;
    const configs = [0, 1, 2].map((repeat) => [
      runConfigFor(definition, a!, repeat),
      runConfigFor(definition, b!, repeat),
    ]);
    for (const [repeat, [configA, configB]] of configs.entries()) {
      expect(configA?.seed).toBe(10 + repeat);
      expect(configB?.seed).toBe(10 + repeat);
      const { levels: _a, ...restA } = configA!;
      const { levels: _b, ...restB } = configB!;
      expect(restA).toEqual(restB);
    }
    expect(configs[0]?.[1]?.levels).toEqual(['1', '1.5']);
    expect(configs[0]?.[0]).toMatchObject({
      trials: 6,
      proposer: 'random',
      budgetSeconds: task.definition.budgetSeconds,
    });
  });

  it('gives a group its own Level 2 settings, the others keeping the run defaults', () => {
    const definition = buildStudyDefinition(
      { ...flags, groups: 'C,fast', groupDef: ['fast:levels=1,1.5,2;metaEvery=1;metaPlateau=4;probationWindow=6'] },
      settings,
      task,
      undefined,
    );
    const [c, fast] = definition.groups.map((group) => runConfigFor(definition, group, 0));
    expect(c).toMatchObject({ levels: ['1', '1.5', '2'], metaEvery: 2, metaPlateau: 10, probationWindow: 10 });
    expect(fast).toMatchObject({ levels: ['1', '1.5', '2'], metaEvery: 1, metaPlateau: 4, probationWindow: 6 });
  });

  it("adds the restart protocol to every group as plateau-restart with the study's params", () => {
    const definition = buildStudyDefinition(
      { ...flags, groupDef: ['T:levels=1;mechanisms=tabu'], groups: 'A,T', restart: 'last', restartEvery: '5' },
      settings,
      task,
      undefined,
    );
    expect(definition.groups.map((group) => runConfigFor(definition, group, 0).mechanisms)).toEqual([
      ['plateau-restart'],
      ['tabu', 'plateau-restart'],
    ]);
    expect(mechanismConfigsFor(definition)).toEqual({ 'plateau-restart': { patience: 5, from: 'last', duration: 2 } });
    expect(runConfigFor(definition, definition.groups[1]!, 0).mechanismConfigs).toEqual({
      'plateau-restart': { patience: 5, from: 'last', duration: 2 },
    });
    expect(() =>
      buildStudyDefinition(
        { ...flags, groupDef: ['R:mechanisms=plateau-restart'], groups: 'R', restart: 'best' },
        settings,
        task,
        undefined,
      ),
    ).toThrow(/already adds/);
  });

  it('derives the same id from the same command, a different one when a control changes', () => {
    const one = studyId(buildStudyDefinition(flags, settings, task, undefined));
    expect(studyId(buildStudyDefinition({ ...flags }, settings, task, undefined))).toBe(one);
    expect(studyId(buildStudyDefinition({ ...flags, repeats: '4' }, settings, task, undefined))).not.toBe(one);
    expect(studyId(buildStudyDefinition({ ...flags, baseline: 'shared' }, settings, task, undefined))).not.toBe(one);
    expect(one).toMatch(/^study-[0-9a-f]{12}$/);
  });

  it('refuses bad study flags with what to pass', () => {
    expect(() => buildStudyDefinition({ ...flags, baseline: 'both' }, settings, task, undefined)).toThrow(/--baseline/);
    expect(() => buildStudyDefinition({ ...flags, restart: 'often' }, settings, task, undefined)).toThrow(
      /--restart must/,
    );
    expect(() => buildStudyDefinition({ ...flags, repeats: '0' }, settings, task, undefined)).toThrow(/--repeats/);
    expect(() => buildStudyDefinition({ ...flags, restartEvery: '1' }, settings, task, undefined)).toThrow(
      /--restart-every/,
    );
  });

  it("warns, per group, when a group's levels cannot run within the study's trials (C and D would equal B and A)", () => {
    const paper = buildStudyDefinition({ ...flags, groups: 'A,B,C,D' }, { ...settings, trials: 10 }, task, undefined);
    expect(studyReachWarnings(paper)).toEqual([
      'groups C, D: Level 2 cannot run: its first session would come after trial 10 (every 2 Level 1.5 cycles of 5 ' +
        'trials) or after 10 trials without a new best, and the run ends at trial 10. To let it run: --trials 11 or ' +
        "more, or metaEvery=1 in --group-def 'NAME:levels=…;metaEvery=1' (a session after trial 5).",
    ]);
    const own = buildStudyDefinition(
      { ...flags, groups: 'C,fast', groupDef: ['fast:levels=1,1.5,2;metaEvery=1'] },
      { ...settings, trials: 10 },
      task,
      undefined,
    );
    expect(studyReachWarnings(own)).toEqual([expect.stringMatching(/^group C: Level 2 cannot run: /)]);
    expect(
      studyReachWarnings(
        buildStudyDefinition({ ...flags, groups: 'A,B,C,D' }, { ...settings, trials: 11 }, task, undefined),
      ),
    ).toEqual([]);
  });
});
