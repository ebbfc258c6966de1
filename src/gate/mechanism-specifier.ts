// The one import specifier a mechanism module may use: the contract, nothing else.

/**
 * `import { defineMechanism, type Mechanism } from 'bilevel/mechanism'`. The type checker maps it to
 * src/mechanisms/mechanism.ts; in the sandbox it becomes an endowment-free identity shim.
 */
export const mechanismSpecifier = 'bilevel/mechanism';
