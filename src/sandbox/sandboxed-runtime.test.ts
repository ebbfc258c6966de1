import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileMechanism } from '../gate/compile-mechanism.js';
import { composeMechanisms, type MechanismEvent } from '../mechanisms/compose.js';
import { HookFailure, type MechanismRuntime } from '../mechanisms/runtime.js';
import { sampleContext } from './__fixtures__/sample-context.js';
import { createSandboxedRuntime, loadSandboxedMechanism } from './sandboxed-runtime.js';

const opened: MechanismRuntime[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((runtime) => runtime.dispose()));
});

async function compile(body: string): Promise<string> {
  const result = await compileMechanism(`import { defineMechanism } from 'bilevel/mechanism';\n${body}`);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.compiledJs;
}

async function load(body: string, hookTimeoutMs = 1000) {
  const loaded = await loadSandboxedMechanism(await compile(body), 'generated', { hookTimeoutMs });
  opened.push(loaded.runtime);
  return loaded;
}

/** Why a promise rejected: the HookFailure's kind, or a failure of the test. */
async function failureKind(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HookFailure) return error.kind;
    throw error;
  }
  throw new Error('expected a HookFailure, the call succeeded');
}

/** True while a process with this id exists (a zombie counts as existing). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const counter = `export default defineMechanism<{ ends: number }>({
  specificationVersion: 'mechanism-v1',
  name: 'counter',
  description: 'Stops after three trial ends.',
  init: ({ seed }) => ({ ends: seed - seed }),
  onTrialEnd: (_context, _trial, state) => ({ ends: state.ends + 1 }),
  shouldStop: (_context, state) => (state.ends >= 3 ? { stop: true, reason: 'three ends' } : undefined),
  selectParent: (context, state) => {
    if (state.ends === 99) { let spin = 0; while (spin >= 0) spin += 1; }
    return { parent: context.kept[0]?.index ?? 0 };
  },
});`;

describe('sandboxed runtime (real host process under the permission model)', () => {
  it('reads the module meta, keeps state in the host and answers decision hooks', async () => {
    const { runtime, meta } = await load(counter);
    expect(meta).toMatchObject({ name: 'counter', hasInit: true });
    expect([...runtime.hooks].sort()).toEqual(['onTrialEnd', 'selectParent', 'shouldStop']);
    const context = sampleContext(10);
    await runtime.init(5, {});
    expect(await runtime.call('shouldStop', [context])).toBeUndefined();
    for (let index = 0; index < 3; index++) await runtime.call('onTrialEnd', [context, context.history[index]]);
    expect(await runtime.call('shouldStop', [context])).toEqual({ stop: true, reason: 'three ends' });
    expect(await runtime.call('selectParent', [context])).toEqual({ parent: 0 });
  });

  it('kills a hook that never returns, then restarts the host with the state it had', async () => {
    const context = sampleContext(10);
    const spinning = await compile(counter.replace('state.ends === 99', 'state.ends === 3'));
    const looping = await createSandboxedRuntime(
      spinning,
      { ...metaOf('counter'), origin: 'generated' },
      {
        hookTimeoutMs: 600,
      },
    );
    opened.push(looping);
    await looping.init(1, {});
    for (let index = 0; index < 3; index++) await looping.call('onTrialEnd', [context, context.history[index]]);
    const started = performance.now();
    expect(await failureKind(looping.call('selectParent', [context]))).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(5000);
    // The restarted host resumes from the mirrored state: three ends, so it stops.
    expect(await looping.call('shouldStop', [context])).toEqual({ stop: true, reason: 'three ends' });
  });

  it('turns a throw into HookFailure("throw") and keeps the same host', async () => {
    const { runtime } = await load(`export default defineMechanism({
      specificationVersion: 'mechanism-v1', name: 'thrower', description: 'Throws.',
      shouldStop: () => { throw new Error('no opinion, loudly'); },
    });`);
    const context = sampleContext(3);
    await expect(runtime.call('shouldStop', [context])).rejects.toThrow('no opinion, loudly');
    expect(await failureKind(runtime.call('shouldStop', [context]))).toBe('throw');
  });

  it('refuses results that are not plain data; passes wrong shapes on to the one validation, which restarts the host', async () => {
    const { runtime } = await load(`const garbage = (value: unknown): never => value as never;
    let calls = 0;
    export default defineMechanism({
      specificationVersion: 'mechanism-v1', name: 'garbage', description: 'Returns garbage.',
      selectParent: () => garbage({ parent: 'zero', calls: ++calls }),
      transformPrompt: () => garbage(() => 1),
      screenProposal: () => { const cyclic: Record<string, unknown> = { accept: true }; cyclic.self = cyclic; return garbage(cyclic); },
      judgeOutcome: () => ({ verdict: 'keep', reason: 'x'.repeat(2_000_000) }),
      shouldStop: () => garbage(new Map()),
      onTrialEnd: () => new Array<number>(200_000).fill(1),
    });`);
    const context = sampleContext(3);
    const proposal = { kind: 'params', values: {}, changed: {}, summary: '', files: [] };
    const outcome = { status: 'ok', metric: 1, verdict: 'keep', confirmations: [] };
    // Not plain data (a function, a cycle, a Map, a result over the size cap): refused inside the host.
    expect(await failureKind(runtime.call('transformPrompt', [context, { guidance: [], focus: [], avoid: [] }]))).toBe(
      'invalid-return',
    );
    expect(await failureKind(runtime.call('screenProposal', [context, proposal]))).toBe('invalid-return');
    expect(await failureKind(runtime.call('judgeOutcome', [context, outcome]))).toBe('invalid-return');
    expect(await failureKind(runtime.call('shouldStop', [context]))).toBe('invalid-return');
    // 200,000 numbers as state: over the 1,000,000-character result cap.
    expect(await failureKind(runtime.call('onTrialEnd', [context, context.history[0]]))).toBe('invalid-return');
    // Plain data of the wrong shape comes back as is; the composition's validation strikes it and restarts the host
    // (its module-level `calls` counter starts over).
    expect(await runtime.call('selectParent', [context])).toEqual({ parent: 'zero', calls: 1 });
    const events: MechanismEvent[] = [];
    const composed = composeMechanisms([runtime], { onEvent: (event) => events.push(event) });
    expect(await composed.selectParent(context, 0)).toBe(0);
    expect(events).toMatchObject([
      { kind: 'strike', hook: 'selectParent', detail: expect.stringMatching(/^invalid-return/) },
    ]);
    expect(await runtime.call('selectParent', [context])).toEqual({ parent: 'zero', calls: 1 });
  });

  it('kills a host that allocates past its memory cap (a crash), and a later call gets a fresh host', async () => {
    const { runtime } = await load(
      `const hoard: number[][] = [];
    export default defineMechanism({
      specificationVersion: 'mechanism-v1', name: 'bomb', description: 'Allocates forever on request.',
      shouldStop: (context) => {
        if (context.trialIndex === 1) while (hoard.length >= 0) hoard.push(new Array<number>(1_000_000).fill(1));
        return { stop: false, reason: 'fine' };
      },
    });`,
      10_000,
    );
    expect(await failureKind(runtime.call('shouldStop', [sampleContext(1)]))).toBe('crash');
    expect(await runtime.call('shouldStop', [sampleContext(2)])).toEqual({ stop: false, reason: 'fine' });
  });

  it('leaves no process behind after dispose (no zombie, no orphan)', async () => {
    const compiled = await compile(counter);
    const runtime = await createSandboxedRuntime(compiled, { ...metaOf('counter'), origin: 'library' });
    await runtime.init(1, {});
    const pids = childPids();
    expect(pids.length).toBeGreaterThan(0);
    await runtime.dispose();
    for (const pid of pids) expect(processExists(pid)).toBe(false);
  });
});

describe('a host whose parent dies', () => {
  it('exits by itself even while its hook spins (the parent was SIGKILLed)', async () => {
    const { spawn } = await import('node:child_process');
    const script = new URL('./__fixtures__/abandon-host.ts', import.meta.url).pathname;
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      parent.once('exit', () => reject(new Error('the helper exited early')));
    });
    const hosts = childPids(parent.pid);
    expect(hosts.length).toBe(1);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && hosts.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hosts.filter(isRunning)).toEqual([]);
  });
});

/** Alive and not a zombie (an exited orphan may wait for a reaper that a container lacks). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function metaOf(name: string) {
  return { name, description: 'test', hooks: ['onTrialEnd', 'selectParent', 'shouldStop'] as const };
}

/** Ids of a process's children running the sandbox host (default: this process's), from /proc. */
function childPids(of: number | undefined = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === of && command.includes('host.cjs')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
