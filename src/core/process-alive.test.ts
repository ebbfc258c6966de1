import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from './process-alive.js';

describe('isProcessAlive', () => {
  it('is true for this process and false for a child that has exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    expect(isProcessAlive(pid)).toBe(false);
  });
});
