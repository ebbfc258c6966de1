// Whether trials can be jailed on this machine: bubblewrap present and allowed to make namespaces, checked once.
import { spawnSync } from 'node:child_process';
import { platform } from 'node:os';

export type JailAvailability =
  | { available: true; version: string }
  | {
      available: false;
      /** Why not, in one line. */
      reason: string;
      /** What to do about it (the install command, or what to enable). */
      hint: string;
    };

let cached: JailAvailability | undefined;

/** The install line for where the user runs bilevel. */
export function jailInstallHint(): string {
  if (platform() !== 'linux') {
    return 'the trial jail needs Linux (bubblewrap); on macOS run bilevel in a Linux VM or container to jail trials';
  }
  return 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap)';
}

/**
 * Runs `bwrap` once with the namespaces a trial jail uses (PID, IPC, UTS, network, no capabilities). Cached for
 * the process; `refresh` probes again.
 */
export function probeJail(options: { refresh?: boolean } = {}): JailAvailability {
  if (cached && !options.refresh) return cached;
  cached = probe();
  return cached;
}

function probe(): JailAvailability {
  if (platform() !== 'linux') {
    return { available: false, reason: `no jail on ${platform()} (bubblewrap is Linux-only)`, hint: jailInstallHint() };
  }
  const version = spawnSync('bwrap', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (version.error || version.status !== 0) {
    return { available: false, reason: 'bubblewrap (bwrap) is not installed', hint: jailInstallHint() };
  }
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-ipc'];
  args.push('--unshare-uts', '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL', '--', 'true');
  const trial = spawnSync('bwrap', args, { encoding: 'utf8', timeout: 10_000 });
  if (trial.error || trial.status !== 0) {
    const said = (trial.stderr || trial.error?.message || `exit code ${trial.status}`).trim().split('\n')[0];
    return {
      available: false,
      reason: `bubblewrap cannot make namespaces here (${said})`,
      hint:
        'allow unprivileged user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile ' +
        'for bwrap on Ubuntu 24.04), or run in a container started with --security-opt seccomp=unconfined',
    };
  }
  return { available: true, version: version.stdout.trim() };
}
