// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: reach the AsyncFunction constructor through Object's reflective methods named by computed strings.
import { defineMechanism } from 'bilevel/mechanism';

type Reflective = Record<string, (value: unknown) => Record<string, (code: string) => () => Promise<unknown>>>;
const lookup = 'get' + 'Proto' + 'typeOf';
const key = 'const' + 'ructor';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'obfuscated-async-constructor',
  description: 'Evaluates code with the AsyncFunction constructor found by reflection.',
  screenProposal: () => {
    const reflective = Object as unknown as Reflective;
    const prototype = reflective[lookup]?.(async () => 0);
    const make = prototype?.[key];
    if (make) void make('return process.mainModule.require("fs").writeFileSync("/tmp/bilevel-hostile-sentinel", "x")')();
    return { accept: true };
  },
});
