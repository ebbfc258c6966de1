import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { accessGuard, isLoopbackHost, resolveAccess, serveUrl, tokenCookieName } from './access-policy.js';

function guarded(host: string, token: string | undefined, port = 8765) {
  const access = resolveAccess(host, token);
  const app = new Hono();
  app.use(
    '*',
    accessGuard(access, () => port),
  );
  app.get('*', (context) => context.text('ok'));
  return { app, access };
}

describe('the access policy', () => {
  it('knows loopback names and addresses from the rest', () => {
    for (const host of ['localhost', '127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'example.org', 'localhost.example.org']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('needs no token on loopback, generates one off loopback, and always requires a given one', () => {
    expect(resolveAccess('127.0.0.1', undefined)).toEqual({ host: '127.0.0.1', token: null, generated: false });
    const open = resolveAccess('0.0.0.0', undefined);
    expect(open.generated).toBe(true);
    expect(open.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(resolveAccess('0.0.0.0', undefined).token).not.toBe(open.token);
    expect(resolveAccess('127.0.0.1', 's3cret')).toEqual({ host: '127.0.0.1', token: 's3cret', generated: false });
    expect(serveUrl(open, 9000)).toBe(`http://0.0.0.0:9000/?token=${open.token}`);
    expect(serveUrl(resolveAccess('::', 'a b'), 9000)).toBe('http://[::]:9000/?token=a%20b');
    expect(serveUrl(resolveAccess('127.0.0.1', undefined), 8765)).toBe('http://127.0.0.1:8765/');
  });

  it('off loopback, refuses every request without the token (401), page and API alike', async () => {
    const { app, access } = guarded('0.0.0.0', undefined);
    const token = access.token as string;
    for (const path of ['/', '/api/overview', '/api/events', '/assets/app.css', '/runs/x']) {
      const response = await app.request(`http://192.0.2.2:8765${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.text()).not.toContain(token);
    }
    expect((await app.request('http://h:8765/api/overview?token=wrong')).status).toBe(401);
    expect(
      (await app.request('http://h:8765/api/overview', { headers: { Authorization: `Bearer ${token}x` } })).status,
    ).toBe(401);
    expect(
      (await app.request('http://h:8765/api/overview', { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect((await app.request(`http://h:8765/api/overview?token=${token}`)).status).toBe(200);
  });

  it('turns ?token= on a page into a cookie and a redirect without it; the cookie then lets requests in', async () => {
    const { app } = guarded('127.0.0.1', 'tok', 9100);
    const first = await app.request('http://127.0.0.1:9100/runs/r1?token=tok', { headers: { Accept: 'text/html' } });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/runs/r1');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${tokenCookieName(9100)}=tok`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const next = await app.request('http://127.0.0.1:9100/api/runs/r1', {
      headers: { Cookie: `${tokenCookieName(9100)}=tok` },
    });
    expect(next.status).toBe(200);
    expect(
      (await app.request('http://127.0.0.1:9100/api/runs/r1', { headers: { Cookie: 'bilevel_token_1=tok' } })).status,
    ).toBe(401);
  });

  it('on loopback without a token, answers only its own Host names (no DNS rebinding) and only reads', async () => {
    const { app } = guarded('127.0.0.1', undefined, 8765);
    for (const host of ['127.0.0.1:8765', 'localhost:8765', '[::1]:8765']) {
      expect((await app.request('http://x/', { headers: { Host: host } })).status, host).toBe(200);
    }
    expect((await app.request('http://x/', { headers: { Host: 'attacker.example:8765' } })).status).toBe(403);
    expect((await app.request('http://x/', { headers: { Host: 'localhost:9999' } })).status).toBe(403);
    const post = await app.request('http://x/api/overview', { method: 'POST', headers: { Host: '127.0.0.1:8765' } });
    expect(post.status).toBe(405);
  });
});
