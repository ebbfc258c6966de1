// The bubblewrap command line of a jail: what the program sees, may write, and may not reach, in mount order.
import { realpathSync, statSync } from 'node:fs';
import type { JailSpec } from './executor.js';

/** Empty host file and folder, mode 000, that hidden paths are covered with (they live where no jail sees them). */
export interface Placeholders {
  file: string;
  folder: string;
}

type Mount = { flag: '--bind' | '--ro-bind' | '--ro-bind-try' | '--tmpfs'; source?: string; destination: string };

/** Among mounts at the same depth, this order: a later kind covers an earlier one. */
const kindOrder = ['tmp', 'masked', 'readable', 'writable', 'readOnly', 'hidden'] as const;

/**
 * `bwrap` arguments that run `command` in `cwd` inside `jail`. The whole file system is read-only, with a fresh
 * /dev (plus the GPU devices) and /proc; then every other mount in order of depth, so the deeper path wins (a
 * readable package inside a masked home, a masked state dir inside that package, a writable working copy inside
 * the state dir, its read-only .git, a hidden file in it), and at equal depth in `kindOrder`. Own PID, IPC and UTS
 * (and, without network, network) namespaces; no capabilities, even for root; the whole tree dies with bwrap.
 */
export function bwrapArguments(
  jail: JailSpec,
  cwd: string,
  command: readonly string[],
  placeholders: Placeholders,
): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev'];
  for (const device of jail.devices) args.push('--dev-bind-try', device, device);
  args.push('--proc', '/proc');
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  if (!jail.network) args.push('--unshare-net');
  args.push('--die-with-parent', '--cap-drop', 'ALL');
  for (const mount of orderedMounts(jail, placeholders)) {
    args.push(mount.flag, ...(mount.source === undefined ? [] : [mount.source]), mount.destination);
  }
  args.push('--chdir', cwd, '--', ...command);
  return args;
}

function orderedMounts(jail: JailSpec, placeholders: Placeholders): Mount[] {
  const byKind: Record<(typeof kindOrder)[number], Mount[]> = {
    tmp: [{ flag: '--bind', source: jail.tmp, destination: '/tmp' }],
    masked: jail.masked.map((path) => ({ flag: '--tmpfs', destination: path })),
    readable: jail.readable.map((path) => ({ flag: '--ro-bind-try', source: path, destination: path })),
    writable: jail.writable.map((path) => ({ flag: '--bind', source: path, destination: path })),
    readOnly: jail.readOnly.map((path) => ({ flag: '--ro-bind-try', source: path, destination: path })),
    hidden: jail.hidden.flatMap((path) => coverFor(path, placeholders) ?? []),
  };
  const mounts = kindOrder.flatMap((kind, rank) => byKind[kind].map((mount) => ({ mount, rank })));
  const depth = (path: string): number => path.split('/').filter(Boolean).length;
  return mounts
    .sort((left, right) => depth(left.mount.destination) - depth(right.mount.destination) || left.rank - right.rank)
    .map(({ mount }) => mount);
}

/** The placeholder mount for a hidden path (at its real location, links followed), or none when it does not exist. */
function coverFor(path: string, placeholders: Placeholders): Mount | undefined {
  try {
    const real = realpathSync(path);
    const source = statSync(real).isDirectory() ? placeholders.folder : placeholders.file;
    return { flag: '--ro-bind', source, destination: real };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
