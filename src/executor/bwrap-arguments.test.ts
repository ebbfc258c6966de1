import { describe, expect, it } from 'vitest';
import { bwrapArguments } from './bwrap-arguments.js';
import type { JailSpec } from './executor.js';

const jail: JailSpec = {
  masked: ['/home/ada/code/bilevel/.bilevel', '/home/ada'],
  tmp: '/home/ada/code/bilevel/.bilevel/runs/r/trials/0001/tmp',
  readable: ['/home/ada/code/bilevel'],
  writable: ['/home/ada/code/bilevel/.bilevel/runs/r/work'],
  readOnly: ['/home/ada/code/bilevel/.bilevel/runs/r/work/.git'],
  hidden: [],
  network: false,
  devices: ['/dev/nvidia0'],
};
const placeholders = { file: '/tmp/p/file', folder: '/tmp/p/folder' };

describe('bwrapArguments', () => {
  it('mounts deeper paths over shallower ones, whatever their kind', () => {
    const args = bwrapArguments(jail, '/w', ['python3', 'train.py'], placeholders);
    const destinations = args
      .map((arg, index) =>
        arg === '--tmpfs' ? args[index + 1] : ['--bind', '--ro-bind-try'].includes(arg) ? args[index + 2] : undefined,
      )
      .filter((destination) => destination !== undefined);
    expect(destinations).toEqual([
      '/tmp',
      '/home/ada',
      '/home/ada/code/bilevel',
      '/home/ada/code/bilevel/.bilevel',
      '/home/ada/code/bilevel/.bilevel/runs/r/work',
      '/home/ada/code/bilevel/.bilevel/runs/r/work/.git',
    ]);
    expect(args.slice(-4)).toEqual(['/w', '--', 'python3', 'train.py']);
  });

  it('unshares the network unless the jail allows it, drops capabilities, passes devices through', () => {
    const closed = bwrapArguments(jail, '/w', ['true'], placeholders);
    expect(closed).toContain('--unshare-net');
    expect(closed).toEqual(expect.arrayContaining(['--cap-drop', 'ALL', '--die-with-parent', '--unshare-pid']));
    expect(closed.join(' ')).toContain('--dev-bind-try /dev/nvidia0 /dev/nvidia0');
    expect(bwrapArguments({ ...jail, network: true }, '/w', ['true'], placeholders)).not.toContain('--unshare-net');
  });
});
