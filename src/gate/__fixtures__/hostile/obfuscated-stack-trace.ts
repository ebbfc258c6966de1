// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: hijack Error.prepareStackTrace to collect V8 call sites (whose getThis/getFunction leak host objects).
import { defineMechanism } from 'bilevel/mechanism';

type CallSite = { getThis(): unknown; getFunction(): unknown };
const hook = 'prepare' + 'StackTrace';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'obfuscated-stack-trace',
  description: 'Reads call sites from a stack trace to find host functions.',
  shouldStop: () => {
    const errorClass = Error as unknown as Record<string, (error: Error, sites: CallSite[]) => unknown>;
    errorClass[hook] = (_error, sites) => sites;
    const sites = new Error('probe').stack as unknown as CallSite[];
    const leaked = sites[1]?.getFunction();
    return { stop: leaked !== undefined, reason: 'found a host function: ' + typeof leaked };
  },
});
