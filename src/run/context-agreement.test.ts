import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driveRun } from '../inner/run-loop.js';
import { gateTrace } from '../inner/run-trace.js';
import { composeMechanisms } from '../mechanisms/compose.js';
import { createInProcessRuntime } from '../mechanisms/in-process-runtime.js';
import { defineMechanism, type MechanismContext } from '../mechanisms/mechanism.js';
import { replayTrace } from '../mechanisms/replay.js';
import { openDatabase } from '../storage/database.js';
import { listTrials } from '../storage/trials-table.js';
import { loadTask } from '../task/load-task.js';
import { createRun, openSession } from './open-run.js';
import { buildSessionParts } from './session-parts.js';

/** A mechanism that answers nothing and writes down every context it is shown, by hook and trial. */
function recorder(seen: Map<string, MechanismContext>) {
  const note = (hook: string) => (context: MechanismContext) => {
    const key = `${hook} ${context.trialIndex}`;
    const earlier = seen.get(key);
    // The live loop may ask a hook twice in a trial (a rejected proposal is screened again): same context each time.
    if (earlier !== undefined) expect(context).toEqual(earlier);
    seen.set(key, context);
    return undefined;
  };
  return defineMechanism({
    specificationVersion: 'mechanism-v1',
    name: 'context-recorder',
    description: 'Records the context of every hook call; changes nothing.',
    selectParent: note('selectParent'),
    transformPrompt: note('transformPrompt'),
    screenProposal: note('screenProposal'),
    judgeOutcome: note('judgeOutcome'),
    shouldStop: note('shouldStop'),
    onTrialEnd: (context) => {
      note('onTrialEnd')(context);
      return undefined;
    },
  });
}

describe('the mechanism context', () => {
  it('is the same in the live loop (bounded memory) and in a replay of its record (the trace), hook by hook', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-contexts-'));
    const database = openDatabase(stateDir);
    try {
      const task = await loadTask('synthetic');
      const { run } = await createRun(
        database,
        stateDir,
        {
          task: 'synthetic',
          levels: ['1', '1.5'],
          proposer: 'random',
          trials: 24,
          budgetSeconds: 5,
          timeoutSeconds: 30,
          mode: 'params',
          seed: 3,
          outerEvery: 4,
        },
        task,
      );
      const live = new Map<string, MechanismContext>();
      const composed = composeMechanisms([createInProcessRuntime(recorder(live))]);
      await composed.init(run.config.seed);
      const parts = await buildSessionParts(database, run, task, { signal: new AbortController().signal, stateDir });
      const session = await openSession(database, stateDir, { run, task }, { ...parts, mechanisms: composed });
      expect((await driveRun(session)).state).toBe('finished');

      const replayed = new Map<string, MechanismContext>();
      const trace = gateTrace(database, run, task, listTrials(database, run.id));
      await replayTrace(createInProcessRuntime(recorder(replayed)), trace);

      const hooks = new Set([...live.keys()].map((key) => key.split(' ')[0]));
      expect(hooks).toEqual(
        new Set(['selectParent', 'transformPrompt', 'screenProposal', 'judgeOutcome', 'shouldStop', 'onTrialEnd']),
      );
      // Level 1.5 changed the settings along the way, so the comparison covers the settings each trial ran under.
      expect(new Set([...live.values()].map((context) => JSON.stringify(context.settings))).size).toBeGreaterThan(1);
      for (const [key, context] of live) {
        expect(replayed.has(key), `the replay asked ${key}`).toBe(true);
        expect(replayed.get(key), key).toEqual(context);
      }
      expect(live.size).toBeGreaterThan(24 * 4);
    } finally {
      database.close();
    }
  });
});
