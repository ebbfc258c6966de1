// The local executor's jail, against a real bubblewrap: what a hostile program tries is refused or contained, and
// nothing it starts outlives it (checked in /proc).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPackage } from '../../test/helpers/system-package.js';
import type { JailSpec } from './executor.js';
import { probeJail } from './jail-probe.js';
import { createLocalExecutor } from './local-executor.js';

const hasJail = systemPackage('bubblewrap', () => probeJail().available);

/** Pids of live (not zombie) processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A program that tries each escape and prints one `name: outcome` line per try. */
function hostileScript(paths: Record<string, string>, port: number, marker: string): string {
  return `
    const fs = require('node:fs'); const net = require('node:net'); const { spawn } = require('node:child_process');
    const paths = ${JSON.stringify(paths)};
    const attempt = (name, action) => { try { console.log(name + ': ok ' + String(action()).slice(0, 40)); }
      catch (error) { console.log(name + ': refused ' + error.code); } };
    attempt('read_ssh_key', () => fs.readFileSync(paths.sshKey, 'utf8'));
    attempt('read_state_db', () => fs.readFileSync(paths.database, 'utf8'));
    attempt('read_hidden', () => fs.readFileSync(paths.hidden, 'utf8'));
    attempt('write_outside', () => fs.writeFileSync(paths.outside, 'x'));
    attempt('write_home', () => { fs.writeFileSync(paths.homeFile, 'x'); return 'written'; });
    attempt('write_tmp', () => { fs.writeFileSync(paths.tmpFile, 'x'); return 'written'; });
    attempt('write_git_config', () => fs.appendFileSync(paths.gitConfig, '[core]\\n fsmonitor = evil\\n'));
    attempt('write_work', () => { fs.writeFileSync(paths.workFile, 'fine'); return 'written'; });
    attempt('write_cache', () => { fs.writeFileSync(paths.cacheFile, 'fine'); return 'written'; });
    // A detached process in a new session: outside the process group a plain kill reaches.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { detached: true, stdio: 'ignore' });
    child.unref();
    console.log('detached: started');
    const socket = net.connect({ host: '127.0.0.1', port: ${port} });
    socket.on('connect', () => { console.log('tcp_loopback: ok connected'); process.exit(0); });
    socket.on('error', (error) => { console.log('tcp_loopback: refused ' + error.code); process.exit(0); });`;
}

describe.skipIf(!hasJail)('local executor in a bubblewrap jail', () => {
  let root: string;
  let server: Server;
  let port: number;
  let accepted = 0;
  const paths: Record<string, string> = {};
  let jail: JailSpec;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bilevel-jail-test-'));
    const home = join(root, 'home');
    const state = join(root, 'state');
    const work = join(state, 'runs', 'r1', 'work');
    const cache = join(state, 'cache');
    for (const folder of [join(home, '.ssh'), join(work, '.git'), cache, join(root, 'tmp')]) {
      mkdirSync(folder, { recursive: true });
    }
    Object.assign(paths, {
      sshKey: join(home, '.ssh', 'id_ed25519'),
      database: join(state, 'bilevel.sqlite'),
      hidden: join(work, 'val.bin'),
      // Outside every writable path: the package folder the tests run in (under /tmp only when the checkout is).
      outside: join(process.cwd(), `.jail-escape-${randomBytes(4).toString('hex')}`),
      homeFile: join(home, '.bashrc'),
      tmpFile: join(root, 'planted-in-tmp.txt'),
      gitConfig: join(work, '.git', 'config'),
      workFile: join(work, 'out.txt'),
      cacheFile: join(cache, 'downloaded.bin'),
    });
    writeFileSync(paths.sshKey!, 'PRIVATE KEY');
    writeFileSync(paths.database!, 'SQLite format 3');
    writeFileSync(paths.hidden!, 'VALIDATION DATA');
    writeFileSync(paths.gitConfig!, '[core]\n');
    jail = {
      masked: [home, state],
      tmp: join(root, 'tmp'),
      readable: [],
      writable: [work, cache],
      readOnly: [join(work, '.git')],
      hidden: [paths.hidden!],
      network: false,
      devices: [],
    };
    server = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('refuses or contains every escape, and leaves no process behind', async () => {
    const marker = `bilevel-leftover-${randomBytes(6).toString('hex')}`;
    const result = await createLocalExecutor().execute({
      command: [process.execPath, '-e', hostileScript(paths, port, marker)],
      cwd: jail.writable[0]!,
      env: { PATH: '/usr/bin:/bin' },
      timeoutSeconds: 20,
      logPath: join(root, 'hostile.log'),
      jail,
    });
    expect(result.kind).toBe('exited');
    expect(result.exitCode).toBe(0);
    const said = result.summary;
    expect(said.read_ssh_key).toMatch(/^refused/);
    expect(said.read_state_db).toMatch(/^refused/);
    expect(said.read_hidden).toBe('refused EACCES');
    // Read-only (EROFS), or not there at all (ENOENT) when the checkout itself lies under /tmp, which the jail replaces.
    expect(said.write_outside).toMatch(/^refused (EROFS|EACCES|ENOENT)/);
    expect(said.write_git_config).toBe('refused EROFS');
    // Contained: the home and /tmp are private tmpfs/folders, so the real paths never see the write.
    expect(said.write_home).toBe('ok written');
    expect(said.write_tmp).toBe('ok written');
    expect(existsSync(paths.homeFile!)).toBe(false);
    expect(existsSync(paths.tmpFile!)).toBe(false);
    expect(existsSync(paths.outside!)).toBe(false);
    expect(said.write_work).toBe('ok written');
    expect(said.write_cache).toBe('ok written');
    expect(said.tcp_loopback).toMatch(/^refused/);
    expect(said.detached).toBe('started');
    expect(accepted).toBe(0);
    expect(readFileSync(paths.hidden!, 'utf8')).toBe('VALIDATION DATA');
    expect(readFileSync(paths.gitConfig!, 'utf8')).toBe('[core]\n');
    expect(readFileSync(paths.workFile!, 'utf8')).toBe('fine');
    expect(processesWith(marker)).toEqual([]);
  });

  it('without a jail the same program reaches all of it (why the jail exists); its detached process survives', async () => {
    const marker = `bilevel-leftover-${randomBytes(6).toString('hex')}`;
    const result = await createLocalExecutor().execute({
      command: [process.execPath, '-e', hostileScript(paths, port, marker)],
      cwd: jail.writable[0]!,
      env: { PATH: '/usr/bin:/bin' },
      timeoutSeconds: 20,
      logPath: join(root, 'unjailed.log'),
    });
    const leftover = processesWith(marker);
    for (const pid of leftover) process.kill(pid, 'SIGKILL');
    writeFileSync(paths.gitConfig!, '[core]\n');
    rmSync(paths.outside!, { force: true });
    rmSync(paths.homeFile!, { force: true });
    rmSync(paths.tmpFile!, { force: true });
    expect(result.summary.read_ssh_key).toBe('ok PRIVATE KEY');
    expect(result.summary.tcp_loopback).toBe('ok connected');
    expect(leftover).toHaveLength(1);
  });

  it('passes the network through when the jail allows it', async () => {
    const before = accepted;
    const script = `require('node:net').connect({ host: '127.0.0.1', port: ${port} })
      .on('connect', () => { console.log('tcp: ok'); process.exit(0); })
      .on('error', (error) => { console.log('tcp: ' + error.code); process.exit(0); });`;
    const result = await createLocalExecutor().execute({
      command: [process.execPath, '-e', script],
      cwd: jail.writable[0]!,
      env: {},
      timeoutSeconds: 20,
      logPath: join(root, 'network.log'),
      jail: { ...jail, network: true },
    });
    expect(result.summary.tcp).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted).toBe(before + 1);
  });

  it('kills the whole jailed tree at the timeout', async () => {
    const marker = `bilevel-hang-${randomBytes(6).toString('hex')}`;
    const script = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'],
      { detached: true, stdio: 'ignore' }).unref(); setInterval(() => {}, 1000);`;
    const result = await createLocalExecutor().execute({
      command: [process.execPath, '-e', script],
      cwd: jail.writable[0]!,
      env: {},
      timeoutSeconds: 1,
      logPath: join(root, 'hang.log'),
      jail,
    });
    expect(result.kind).toBe('timeout');
    expect(processesWith(marker)).toEqual([]);
  });

  it('connects a companion in its own jail: each reads fd 3 and writes fd 4', async () => {
    const echo = `const fs = require('node:fs'); const input = fs.readFileSync(3, 'utf8');
      fs.writeFileSync(4, input.toUpperCase()); console.log('companion: done');`;
    const ask = `const fs = require('node:fs'); fs.writeFileSync(4, 'hello from the evaluator'); fs.closeSync(4);
      console.log('answer: ' + fs.readFileSync(3, 'utf8'));`;
    const result = await createLocalExecutor().execute({
      command: [process.execPath, '-e', ask],
      cwd: jail.writable[0]!,
      env: {},
      timeoutSeconds: 20,
      logPath: join(root, 'evaluator.log'),
      jail,
      companion: { command: [process.execPath, '-e', echo], env: {}, jail, logPath: join(root, 'companion.log') },
    });
    expect(result.summary.answer).toBe('HELLO FROM THE EVALUATOR');
    expect(await readFile(join(root, 'companion.log'), 'utf8')).toContain('companion: done');
  });
});
