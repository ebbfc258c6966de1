// The dashboard as one hono app: security headers and the access guard on every request, the page shells, the
// JSON API the pages read, the live event stream, and the static assets. Every route only reads.
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { BilevelError, isBilevelError } from '../core/errors.js';
import { GitWorkspace } from '../inner/git-workspace.js';
import { parseSettingsSnapshot } from '../records/settings-snapshot.js';
import type { TrialStatus } from '../records/trial-record.js';
import { trialStatuses } from '../records/trial-record.js';
import { bestTrial } from '../report/run-status.js';
import type { Database } from '../storage/database.js';
import { listMechanismEvents } from '../storage/mechanism-tables.js';
import { listMetaSessionSummaries } from '../storage/meta-tables.js';
import { getRun } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { keptTrialMetrics, trialPage, trialWhole } from '../storage/trial-reads.js';
import { accessGuard, type ServeAccess } from './access-policy.js';
import { buildOverview } from './overview-view.js';
import { type PageName, pageHtml } from './pages.js';
import { buildParamView } from './param-view.js';
import { buildRunView } from './run-view.js';
import { securityHeaders } from './security-headers.js';
import { buildSessionView } from './session-view.js';
import type { StateWatch } from './state-watch.js';
import type { StaticAssets } from './static-assets.js';
import { buildStudyView } from './study-view.js';
import { buildTrialView } from './trial-view.js';

export interface ServeAppOptions {
  watch: StateWatch;
  access: ServeAccess;
  assets: StaticAssets;
  /** The port the server listens on (known once it listens; the guard checks Host headers against it). */
  port: () => number;
  /** Seconds between keep-alive comments on the event stream. */
  heartbeatSeconds?: number;
}

/** Rows per page of the trials table, at most. */
export const maxPageRows = 500;

/** Mechanism events the page lists per mechanism, newest first. */
export const eventsShown = 200;

export function createServeApp(options: ServeAppOptions): Hono {
  const { watch } = options;
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', accessGuard(options.access, options.port));

  const page = (name: PageName) => (context: Context) => context.html(pageHtml(name));
  app.get('/', page('overview'));
  app.get('/runs/:id', page('run'));
  app.get('/runs/:id/params', page('params'));
  app.get('/runs/:id/sessions/:session', page('session'));
  app.get('/studies/:id', page('study'));

  app.get('/favicon.ico', (context) => context.body(null, 204));
  app.get('/assets/*', (context) => {
    const asset = options.assets.get(context.req.path.slice('/assets/'.length));
    if (!asset) return context.text('no such asset\n', 404);
    return context.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });

  app.get('/api/overview', (context) => {
    const database = watch.database();
    return context.json(database === null ? { runs: [], studies: [], waiting: true } : buildOverview(database));
  });
  app.get('/api/runs/:id', (context) => context.json(buildRunView(need(watch), context.req.param('id'))));
  app.get('/api/runs/:id/trials', (context) => {
    const database = need(watch);
    const runId = context.req.param('id');
    getRun(database, runId);
    return context.json(trialPage(database, runId, pageQuery(context)));
  });
  app.get('/api/runs/:id/trials/:index', (context) => {
    const index = Number(context.req.param('index'));
    const trial = Number.isInteger(index)
      ? buildTrialView(need(watch), watch.stateDir, context.req.param('id'), index)
      : undefined;
    return trial ? context.json(trial) : notFound(context, `run ${context.req.param('id')} has no trial ${index}`);
  });
  app.get('/api/runs/:id/best.patch', async (context) => {
    const database = need(watch);
    const run = getRun(database, context.req.param('id'));
    const best = bestTrial(
      keptTrialMetrics(database, run.id).map((trial) => ({ ...trial, status: 'keep' as const })),
      run.metric.direction,
    );
    const commit = best && best.index > 0 ? (trialWhole(database, run.id, best.index)?.commit ?? null) : null;
    if (!best || commit === null)
      return notFound(context, 'no trial beat the baseline: there is no change to download');
    const patch = await new GitWorkspace(run.workDir)
      .diffBetween(run.baselineCommit, commit)
      .catch((error: unknown) => {
        if (isBilevelError(error) && error.code === 'GIT_FAILED') return null;
        throw error;
      });
    if (patch === null) return notFound(context, `the run's working copy cannot be read (${run.workDir})`);
    return context.body(patch, 200, {
      'Content-Type': 'text/x-diff; charset=utf-8',
      'Content-Disposition': 'attachment; filename="best.patch"',
    });
  });
  app.get('/api/runs/:id/snapshots', (context) => {
    const database = need(watch);
    const runId = getRun(database, context.req.param('id')).id;
    return context.json(listSettingsSnapshots(database, runId).map(parseSettingsSnapshot));
  });
  app.get('/api/runs/:id/sessions', (context) => {
    const database = need(watch);
    return context.json(listMetaSessionSummaries(database, getRun(database, context.req.param('id')).id));
  });
  app.get('/api/runs/:id/params', (context) => context.json(buildParamView(need(watch), context.req.param('id'))));
  app.get('/api/runs/:id/sessions/:session', (context) => {
    const session = buildSessionView(need(watch), context.req.param('id'), context.req.param('session'));
    return session ? context.json(session) : notFound(context, `no meta session ${context.req.param('session')}`);
  });
  app.get('/api/runs/:id/mechanisms/:name/events', (context) => {
    const database = need(watch);
    const runId = context.req.param('id');
    getRun(database, runId);
    const events = listMechanismEvents(database, runId).filter(
      (event) => event.mechanism === context.req.param('name'),
    );
    return context.json({ total: events.length, events: events.slice(-eventsShown).reverse() });
  });
  // Non-finite statistics (an undefined effect size, infinite repeats needed) go as strings, as in report.json.
  app.get('/api/studies/:id', (context) =>
    context.body(finiteJson(buildStudyView(need(watch), context.req.param('id'))), 200, {
      'Content-Type': 'application/json; charset=utf-8',
    }),
  );

  app.get('/api/events', (context) =>
    streamSSE(context, async (stream) => {
      const unsubscribe = watch.subscribe((change) => {
        void stream.writeSSE({ event: 'change', data: JSON.stringify(change) });
      });
      stream.onAbort(unsubscribe);
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ at: new Date().toISOString() }) });
      while (!stream.aborted) {
        await stream.sleep((options.heartbeatSeconds ?? 15) * 1000);
        if (!stream.aborted) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    }),
  );

  app.notFound((context) => notFound(context, `no page at ${context.req.path}`));
  app.onError((error, context) => {
    if (isBilevelError(error) && error.code === 'RUN_NOT_FOUND') return notFound(context, error.message, error.hint);
    const message = isBilevelError(error) ? error.message : 'internal error (see the terminal running bilevel serve)';
    if (!isBilevelError(error)) process.stderr.write(`bilevel serve: ${error.stack ?? String(error)}\n`);
    return context.json({ error: message, hint: isBilevelError(error) ? error.hint : undefined }, 500);
  });
  return app;
}

/** The database, or RUN_NOT_FOUND while no run has created it yet. */
function need(watch: StateWatch): Database {
  const database = watch.database();
  if (database === null) {
    throw new BilevelError('RUN_NOT_FOUND', `no runs in ${watch.stateDir} yet`, {
      hint: 'start one with `bilevel run --state-dir` this folder; this page follows it',
    });
  }
  return database;
}

function notFound(context: Context, message: string, hint?: string): Response {
  return context.json({ error: message, ...(hint ? { hint } : {}) }, 404);
}

function finiteJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'number' && !Number.isFinite(inner) ? String(inner) : inner,
  );
}

function pageQuery(context: Context) {
  const number = (name: string, fallback: number, max: number) => {
    const value = Number(context.req.query(name) ?? fallback);
    return Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
  };
  const statuses = (context.req.query('status') ?? '')
    .split(',')
    .filter((status): status is TrialStatus => (trialStatuses as readonly string[]).includes(status));
  return {
    offset: number('offset', 0, Number.MAX_SAFE_INTEGER),
    limit: number('limit', 50, maxPageRows) || 50,
    order: context.req.query('order') === 'asc' ? ('asc' as const) : ('desc' as const),
    statuses,
  };
}
