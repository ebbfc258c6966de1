// Who may read the dashboard: on loopback anyone on this machine (the Host header checked, so a web page elsewhere
// cannot rebind its name to us); on any other address, or when a token is given, only requests carrying the token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** True for the loopback names and addresses: `localhost`, 127.0.0.0/8, `::1` (IPv4-mapped loopback included). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export interface ServeAccess {
  host: string;
  /** Required on every request when set. */
  token: string | null;
  /** True when bilevel made the token up (it must be printed, or nobody could get in). */
  generated: boolean;
}

/** The token rule: a given token is always required; off loopback one is required, and generated when not given. */
export function resolveAccess(host: string, token: string | undefined): ServeAccess {
  if (token !== undefined && token !== '') return { host, token, generated: false };
  if (isLoopbackHost(host)) return { host, token: null, generated: false };
  return { host, token: randomBytes(24).toString('base64url'), generated: true };
}

/** The URL to open: `http://HOST:PORT/`, with `?token=` when one is required. */
export function serveUrl(access: ServeAccess, port: number): string {
  const host = isIP(access.host) === 6 ? `[${access.host}]` : access.host;
  return `http://${host}:${port}/${access.token === null ? '' : `?token=${encodeURIComponent(access.token)}`}`;
}

/** The cookie that carries the token after the first visit (per port: cookies do not tell ports apart). */
export function tokenCookieName(port: number): string {
  return `bilevel_token_${port}`;
}

/**
 * Refuses what the policy does not allow: anything but GET and HEAD (405); without a token, a Host header that is
 * not this loopback server (403); with one, a request that carries it neither as `?token=`, nor as `Authorization:
 * Bearer`, nor in the cookie (401). A page opened with `?token=` sets the cookie and drops the token from the URL.
 */
export function accessGuard(access: ServeAccess, port: () => number): MiddlewareHandler {
  const expected = access.token === null ? null : digest(access.token);
  return async (context, next) => {
    if (context.req.method !== 'GET' && context.req.method !== 'HEAD') {
      return context.text('bilevel serve is read-only: GET and HEAD only\n', 405, { Allow: 'GET, HEAD' });
    }
    if (expected === null) {
      const host = context.req.header('host') ?? new URL(context.req.url).host;
      if (!allowedLoopbackHosts(access.host, port()).has(host.toLowerCase())) {
        return context.text(`refused: Host "${host}" is not this loopback server\n`, 403);
      }
      return next();
    }
    const fromQuery = context.req.query('token');
    const fromHeader = /^Bearer (.+)$/.exec(context.req.header('authorization') ?? '')?.[1];
    const fromCookie = getCookie(context, tokenCookieName(port()));
    const presented = [fromQuery, fromHeader, fromCookie].find(
      (value) => value !== undefined && matches(value, expected),
    );
    if (presented === undefined) {
      return context.text('unauthorized: open the URL `bilevel serve` printed (it carries ?token=…)\n', 401, {
        'WWW-Authenticate': 'Bearer realm="bilevel serve"',
      });
    }
    if (fromQuery !== undefined && presented === fromQuery) {
      setCookie(context, tokenCookieName(port()), presented, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const accepts = context.req.header('accept') ?? '';
      if (
        !context.req.path.startsWith('/api/') &&
        !context.req.path.startsWith('/assets/') &&
        accepts.includes('text/html')
      ) {
        const url = new URL(context.req.url);
        url.searchParams.delete('token');
        return context.redirect(`${url.pathname}${url.search}`, 303);
      }
    }
    return next();
  };
}

function allowedLoopbackHosts(bindHost: string, port: number): Set<string> {
  const names = ['localhost', '127.0.0.1', '[::1]', isIP(bindHost) === 6 ? `[${bindHost}]` : bindHost];
  return new Set(names.map((name) => `${name.toLowerCase()}:${port}`));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison (of digests, so lengths never leak either). */
function matches(candidate: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(candidate), expected);
}
