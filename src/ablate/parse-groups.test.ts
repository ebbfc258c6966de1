import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGroupDef, parseGroups } from './parse-groups.js';

describe('parseGroups', () => {
  it("maps the paper's names to their levels, in the order given", () => {
    expect(parseGroups({ groups: 'B,A' })).toEqual([
      { name: 'B', levels: ['1', '1.5'], mechanisms: [] },
      { name: 'A', levels: ['1'], mechanisms: [] },
    ]);
  });

  it('parses custom groups with mechanisms and settings, and runs the defined ones when --groups is absent', () => {
    expect(parseGroupDef('A-tabu:levels=1;mechanisms=tabu,bandit;noiseThreshold=0.001;outerEvery=3')).toEqual({
      name: 'A-tabu',
      levels: ['1'],
      mechanisms: ['tabu', 'bandit'],
      noiseThreshold: 0.001,
      outerEvery: 3,
    });
    const groups = parseGroups({ groupDef: ['plain:levels=1', 'with-tabu:levels=1;mechanisms=tabu'] });
    expect(groups.map((group) => [group.name, group.mechanisms])).toEqual([
      ['plain', []],
      ['with-tabu', ['tabu']],
    ]);
    expect(parseGroups({ groups: 'A,with-tabu', groupDef: ['with-tabu:mechanisms=tabu'] })[1]).toMatchObject({
      name: 'with-tabu',
      levels: ['1'],
    });
  });

  it('reads a groups file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bilevel-groups-')), 'groups.json');
    writeFileSync(file, JSON.stringify([{ name: 'L1', levels: [1], mechanisms: ['tabu'] }]));
    expect(parseGroups({ groupsFile: file })).toEqual([{ name: 'L1', levels: ['1'], mechanisms: ['tabu'] }]);
  });

  it('refuses unknown and repeated groups, unknown keys and bad levels with a USAGE error', () => {
    expect(() => parseGroups({ groups: 'A,Z' })).toThrow(/unknown group "Z"/);
    expect(() => parseGroups({ groups: 'A,A' })).toThrow(/listed twice/);
    expect(() => parseGroupDef('x:colour=red')).toThrow(/unknown key "colour"/);
    const hint = (() => {
      try {
        parseGroupDef('x:colour=red');
      } catch (error) {
        return (error as { hint?: string }).hint;
      }
    })();
    expect(hint).toMatch(/metaEvery, metaPlateau, probationWindow/);
    expect(() => parseGroupDef('x:levels=1,2;metaEvery=0')).toThrow(
      /--group-def "x:levels=1,2;metaEvery=0": metaEvery: --meta-every must be at least 1/,
    );
    expect(() => parseGroupDef('x:levels=3')).toThrow(/unknown level "3"/);
    expect(() => parseGroupDef('bad name:levels=1')).toThrow(/not a valid group/);
    expect(() => parseGroups({ groupDef: ['x:levels=1', 'x:levels=1,1.5'] })).toThrow(/defined twice/);
  });
});
