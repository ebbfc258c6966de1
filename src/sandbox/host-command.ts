// The exact command line of the sandbox host: which Node flags make up the process-level boundary.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface HostLimits {
  /** V8 old-space cap of the mechanism's worker thread, in MiB. A bomb past it ends the host (a crash). */
  readonly memoryMb: number;
  /** Resident memory cap of the host process, in MiB (covers ArrayBuffers outside the V8 heap). */
  readonly rssLimitMb: number;
  /** Largest JSON size of one result or state, in characters. */
  readonly maxResultChars: number;
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** The permission model's switch: experimental on Node 20–22.12, stable as --permission from 22.13 on. */
const permissionFlag = major > 22 || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';

/** Absolute path of the host script (plain CommonJS, next to this file). */
export const hostScriptPath = fileURLToPath(new URL('./host.cjs', import.meta.url));

/** Absolute path of the single-file ses bundle the host loads (its only other read). */
export const sesBundlePath = createRequire(import.meta.url).resolve('ses');

/**
 * Arguments for `process.execPath`: the permission model with read access to two files and nothing else
 * (no --allow-fs-write, --allow-child-process, --allow-addons, --allow-wasi). --allow-worker lets the host run the
 * mechanism in a worker thread, so its main thread stays free to exit when bilevel goes away.
 */
export function hostArguments(limits: HostLimits): string[] {
  return [
    permissionFlag,
    `--allow-fs-read=${hostScriptPath}`,
    `--allow-fs-read=${sesBundlePath}`,
    '--allow-worker',
    `--max-old-space-size=${limits.memoryMb}`,
    '--max-semi-space-size=16',
    '--no-warnings',
    hostScriptPath,
    sesBundlePath,
    JSON.stringify({ memoryMb: limits.memoryMb, rssLimitMb: limits.rssLimitMb, maxResultChars: limits.maxResultChars }),
  ];
}
