// Tests that need a system package (bubblewrap, redis-server, python3-optuna, chromium): skipped with a one-line
// note naming the package where it is missing, except under CI=true, where a missing package fails the test.
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/** True when `command args…` runs and exits 0 within 10 s. */
export function commandWorks(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/**
 * Whether the package is usable here. When it is not: under CI=true, a test that fails saying what to install is
 * registered (CI installs every package the tests need); otherwise a one-line note is printed and the caller skips.
 */
export function systemPackage(name: string, usable: () => boolean): boolean {
  if (usable()) return true;
  if (process.env.CI === 'true') {
    it(`has the system package ${name} (CI installs it: apt-get install ${name})`, () => {
      throw new Error(
        `${name} is missing or unusable on this CI machine: .ci/run must install it (apt-get install ${name})`,
      );
    });
  } else {
    process.stderr.write(`skipping the tests that need ${name}: it is not installed (apt-get install ${name})\n`);
  }
  return false;
}
