import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { insertSettingsSnapshot } from '../storage/settings-table.js';
import { getTrial, insertTrial } from '../storage/trials-table.js';
import { writeRecordedRun } from './__fixtures__/recorded-state.js';
import { type StateChange, StateWatch } from './state-watch.js';

describe('StateWatch', () => {
  it('opens the database once it appears, and reports the runs whose records changed, and only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilevel-watch-'));
    const watch = new StateWatch(dir);
    const changes: StateChange[] = [];
    watch.subscribe((change) => changes.push(change));
    watch.poll();
    expect(watch.database()).toBeNull();
    expect(changes).toEqual([]);

    const writer = openDatabase(dir);
    writeRecordedRun(writer, dir, { id: 'a', trials: 2, logs: false, state: 'running' });
    writeRecordedRun(writer, dir, { id: 'b', trials: 2, logs: false });
    watch.poll();
    expect(changes).toHaveLength(1);
    expect(changes[0]?.studies).toBe(true);

    watch.poll();
    expect(changes).toHaveLength(1);

    const last = getTrial(writer, 'a', 2);
    insertTrial(writer, { ...(last as NonNullable<typeof last>), index: 3 });
    watch.poll();
    expect(changes[1]?.runs).toEqual(['a']);

    insertSettingsSnapshot(writer, 'b', 9, 2, { cycle: 9 });
    watch.poll();
    expect(changes[2]?.runs).toEqual(['b']);

    writer.prepare("UPDATE runs SET state = 'finished', updated_at = 'later' WHERE id = 'a'").run();
    watch.poll();
    expect(changes[3]?.runs).toEqual(['a']);
    expect(changes).toHaveLength(4);
    watch.close();
    writer.close();
  });
});
