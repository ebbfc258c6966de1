// Starts the dashboard: the state watcher, the app, and an HTTP server on the given address; stops all three.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { BilevelError } from '../core/errors.js';
import { resolveAccess, type ServeAccess, serveUrl } from './access-policy.js';
import { createServeApp } from './serve-app.js';
import { StateWatch } from './state-watch.js';
import { loadStaticAssets } from './static-assets.js';

export interface ServeOptions {
  stateDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8765; 0 picks a free port. */
  port?: number;
  /** Required on every request when given; generated when the host is not loopback and none is given. */
  token?: string;
  /** How often the watcher looks for new records, in milliseconds. */
  pollMs?: number;
}

export interface RunningServe {
  /** The URL to open (with `?token=` when one is required). */
  url: string;
  port: number;
  access: ServeAccess;
  watch: StateWatch;
  /** Stops listening, ends every open event stream and closes the database. */
  close(): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const host = options.host ?? '127.0.0.1';
  const access = resolveAccess(host, options.token);
  const watch = new StateWatch(options.stateDir, options.pollMs);
  watch.database();
  let port = options.port ?? 8765;
  const app = createServeApp({ watch, access, assets: loadStaticAssets(), port: () => port });
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(started as Server)) as Server;
    started.once('error', (error: NodeJS.ErrnoException) => {
      watch.close();
      reject(
        new BilevelError('USAGE', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
          hint:
            error.code === 'EADDRINUSE'
              ? `another program uses port ${port}: pass --port N (or --port 0 for any free port)`
              : 'pass another --host or --port',
          cause: error,
        }),
      );
    });
  });
  port = (server.address() as AddressInfo).port;
  watch.start();
  return {
    url: serveUrl(access, port),
    port,
    access,
    watch,
    close: () =>
      new Promise<void>((resolve) => {
        watch.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
