import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../storage/database.js';
import type { TrialListRow } from '../storage/trial-reads.js';
import { listTrials } from '../storage/trials-table.js';
import { hostileTexts, writeRecordedRun, writeRecordedStudy } from './__fixtures__/recorded-state.js';
import { resolveAccess } from './access-policy.js';
import type { OverviewView } from './overview-view.js';
import type { ParamView } from './param-view.js';
import type { RunView } from './run-view.js';
import { contentSecurityPolicy } from './security-headers.js';
import { createServeApp } from './serve-app.js';
import type { SessionView } from './session-view.js';
import { StateWatch } from './state-watch.js';
import { loadStaticAssets } from './static-assets.js';
import type { StudyView } from './study-view.js';
import type { TrialView } from './trial-view.js';

const dir = mkdtempSync(join(tmpdir(), 'bilevel-serve-app-'));
let writer: Database;
let watch: StateWatch;
let studyId: string;
const port = 8765;
const app = () =>
  createServeApp({
    watch,
    access: resolveAccess('127.0.0.1', undefined),
    assets: loadStaticAssets(),
    port: () => port,
  });

async function get(path: string): Promise<Response> {
  return app().request(`http://127.0.0.1:${port}${path}`);
}

async function json<View>(path: string): Promise<View> {
  const response = await get(path);
  expect(response.status, `${path}: ${response.status}`).toBe(200);
  return (await response.json()) as View;
}

beforeAll(() => {
  writer = openDatabase(dir);
  writeRecordedRun(writer, dir, { id: 'r-finished', trials: 40, hostile: true });
  writeRecordedRun(writer, dir, { id: 'r-running', trials: 6, plannedTrials: 30, state: 'running' });
  studyId = writeRecordedStudy(writer, dir, {
    groups: [
      { name: 'A', levels: ['1'] },
      { name: 'C', levels: ['1', '1.5', '2'] },
    ],
    repeats: 2,
    trials: 8,
  });
  watch = new StateWatch(dir);
});

afterAll(() => {
  watch.close();
  writer.close();
});

describe('the dashboard app (in process, on a recorded fixture state)', () => {
  it('lists runs (newest first) and studies on the overview, with progress and best vs baseline', async () => {
    const overview = await json<OverviewView>('/api/overview');
    expect(overview.runs.map((run: { id: string }) => run.id)).toContain('r-finished');
    const running = overview.runs.find((run: { id: string }) => run.id === 'r-running');
    expect(running).toMatchObject({ state: 'running', trials: 7, plannedTrials: 31, workers: 1, inFlight: 0 });
    expect(running?.progress.driverAlive).toBe(true);
    expect(running?.progress.etaSeconds).toBeGreaterThan(0);
    const finished = overview.runs.find((run: { id: string }) => run.id === 'r-finished');
    const kept = listTrials(writer, 'r-finished').filter((trial) => trial.status === 'keep');
    expect(finished?.best?.metric).toBe(Math.min(...kept.map((trial) => trial.metric as number)));
    expect(overview.studies).toEqual([
      expect.objectContaining({ id: studyId, runs: 4, finished: 4, plannedRuns: 4, repeats: 2, trials: 8 }),
    ]);
  });

  it('gives a run with one chart point per trial, its Level 1.5 snapshots, mechanisms and sessions', async () => {
    const run = await json<RunView>('/api/runs/r-finished');
    expect(run.chart.index).toHaveLength(41);
    expect(run.trials).toBe(41);
    expect(run.snapshots).toHaveLength(8);
    expect(run.sessions.map((session: { id: string }) => session.id)).toEqual(['m10', 'm20', 'm30', 'm40']);
    expect(run.mechanisms.map((mechanism: { name: string }) => mechanism.name)).toContain('plateau-nudge');
    expect(run.chart.events.some((event: { kind: string }) => event.kind === 'retired')).toBe(true);
    expect(run.best?.changed).toBeTypeOf('object');
  });

  it('gives the last 20 Level 1.5 cycles and meta sessions with the run, and all of them on request', async () => {
    writeRecordedRun(writer, dir, { id: 'r-long', trials: 130, logs: false });
    const run = await json<RunView>('/api/runs/r-long');
    expect([run.snapshots.length, run.snapshotCount, run.sessions.length, run.sessionCount]).toEqual([20, 26, 13, 13]);
    expect(run.snapshots[0]?.cycle).toBe(7);
    expect(run.chart.events.filter((event) => event.kind === 'outer-cycle')).toHaveLength(26);
    const snapshots = await json<{ cycle: number }[]>('/api/runs/r-long/snapshots');
    expect(snapshots.map((snapshot) => snapshot.cycle)).toEqual(Array.from({ length: 26 }, (_, index) => index + 1));
    const sessions = await json<{ id: string; rounds: number; attempts: number }[]>('/api/runs/r-long/sessions');
    expect(sessions).toHaveLength(13);
    expect(sessions[0]).toMatchObject({ id: 'm10', rounds: 4, attempts: 1 });
    expect(sessions[1]).toMatchObject({ id: 'm20', rounds: 0, attempts: 0 });
  });

  it('pages the trials table and opens one trial whole, log tail included, text untouched', async () => {
    const page = await json<{ total: number; rows: TrialListRow[] }>(
      '/api/runs/r-finished/trials?offset=0&limit=5&order=desc&status=keep,discard',
    );
    expect(page.rows).toHaveLength(5);
    expect(page.rows.every((row: { status: string }) => ['keep', 'discard'].includes(row.status))).toBe(true);
    expect(page.rows[0]?.index).toBeGreaterThan(page.rows[4]?.index as number);
    const trial = await json<TrialView>('/api/runs/r-finished/trials/3');
    expect(trial.summary).toBe(hostileTexts.summary);
    expect(trial.log?.text).toContain(hostileTexts.log);
    expect(trial.log?.complete).toBe(true);
    expect(trial.diff).toContain('diff --git');
    expect((await get('/api/runs/r-finished/trials/999')).status).toBe(404);
    expect((await get('/api/runs/no-such-run')).status).toBe(404);
  });

  it('reads no log outside the state dir, whatever path the database names', async () => {
    const outside = join(mkdtempSync(join(tmpdir(), 'bilevel-outside-')), 'secret.log');
    writeFileSync(outside, 'not for the dashboard');
    writer.prepare("UPDATE trials SET log_path = ? WHERE run_id = 'r-finished' AND idx = 4").run(outside);
    const trial = await json<TrialView>('/api/runs/r-finished/trials/4');
    expect(trial.log).toBeNull();
    expect(trial.logMissing).toContain('outside the state dir');
  });

  it('serves a meta session whole, the param view and the study', async () => {
    const session = await json<SessionView>('/api/runs/r-finished/sessions/m10');
    expect(session.rounds.map((round: { round: string }) => round.round)).toEqual([
      'explore',
      'critique',
      'specify',
      'generate',
    ]);
    expect(session.rounds[0]?.prompt).toBe(hostileTexts.prompt);
    expect(session.attempts[0]?.source).toBe(hostileTexts.source);
    expect(session).toMatchObject({ previous: null, next: 'm20' });
    expect((await get('/api/runs/r-finished/sessions/nope')).status).toBe(404);
    const params = await json<ParamView>('/api/runs/r-finished/params');
    expect(params.params).toHaveLength(15);
    const measured = listTrials(writer, 'r-finished').filter((trial) => trial.metric !== null).length;
    expect(params.params[0]?.trial).toHaveLength(measured);
    const study = await json<StudyView>(`/api/studies/${studyId}`);
    expect(study.report.groups.map((group: { name: string }) => group.name)).toEqual(['A', 'C']);
    expect(study.chart.series.length).toBeGreaterThan(0);
    expect((await get('/api/studies/study-nope')).status).toBe(404);
  });

  it('puts the strict CSP on every response, serves its assets from the package and refuses what it does not have', async () => {
    for (const path of [
      '/',
      '/runs/r-finished',
      '/api/overview',
      '/assets/run-page.js',
      '/assets/vendor/uplot.js',
      '/nope',
    ]) {
      const response = await get(path);
      expect(response.headers.get('content-security-policy'), path).toBe(contentSecurityPolicy);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain('unsafe');
    const page = await (await get('/runs/r-finished')).text();
    expect(page).not.toContain('r-finished');
    expect(page).toMatch(/<script type="module" src="\/assets\/run-page.js"><\/script>/);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect((await get('/assets/vendor/uplot.css')).headers.get('content-type')).toContain('text/css');
    expect((await get('/assets/../package.json')).status).toBe(404);
    expect((await get('/assets/tsconfig.json')).status).toBe(404);
  });

  it('says it is waiting when the state dir has no database yet', async () => {
    const empty = new StateWatch(mkdtempSync(join(tmpdir(), 'bilevel-serve-empty-')));
    const emptyApp = createServeApp({
      watch: empty,
      access: resolveAccess('127.0.0.1', undefined),
      assets: loadStaticAssets(),
      port: () => port,
    });
    const response = await emptyApp.request(`http://127.0.0.1:${port}/api/overview`);
    expect(await response.json()).toEqual({ runs: [], studies: [], waiting: true });
    expect((await emptyApp.request(`http://127.0.0.1:${port}/api/runs/x`)).status).toBe(404);
    empty.close();
  });
});
