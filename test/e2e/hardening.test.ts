// The example server against a browser on another origin of the same site (CSRF), a page that
// rebinds its DNS name to 127.0.0.1, and framing or caching of its pages. Loopback only.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../../examples/server/app.js';

let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer({ workerInterval: 100 });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function eventually<T>(find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A browser tab with a cookie jar; requests carry this server's Origin unless told otherwise. */
function browser() {
  const jar = new Map<string, string>();
  return async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(server.url + path, {
      method,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
      headers: {
        origin: server.url,
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
    });
    for (const set of response.headers.getSetCookie()) {
      const [name = '', value = ''] = set.split(';')[0]!.split('=');
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
}

async function signedInRequester() {
  const tab = browser();
  const password = 'a passphrase of some length';
  await tab(
    'POST',
    '/api/accounts/register',
    JSON.stringify({
      username: 'vic',
      email: 'vic@example.com',
      password,
      displayName: 'Vic',
      phone: '+36 30 555 0909',
    }),
  );
  const mail = await eventually(() => server.smtp.inbox.find((m) => m.to.includes('vic@example.com')));
  const link = /(http:\S+\/activate\?token=\S+)/.exec(mail.text)![1];
  await tab('POST', '/api/accounts/activate', JSON.stringify({ link }));
  await tab('POST', '/api/login/start');
  await tab('POST', '/api/login/identifier', JSON.stringify({ identifier: 'vic' }));
  await tab('POST', '/api/login/password', JSON.stringify({ password }));
  const sms = await eventually(() => server.sms.inbox.find((m) => m.to === '+36305550909'));
  await tab('POST', '/api/login/code', JSON.stringify({ code: /\d{6}/.exec(sms.text)![0] }));
  return tab;
}

/** What a page on another port of 127.0.0.1 sends: the browser counts it as the same site, so Lax cookies go along. */
const otherOrigin = { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' };

describe('the example server refuses requests forged on another origin', () => {
  it('a form on another origin of the same site neither files a ticket as the requester nor solves one as the agent', async () => {
    const vic = await signedInRequester();
    const own = await vic(
      'POST',
      '/api/tickets',
      JSON.stringify({ content: { organization: 'V', subject: 'real', description: 'y' } }),
    );
    expect(own.status).toBe(201);
    const id = ((await own.json()) as { ticket: { id: string } }).ticket.id;
    // What <form enctype="text/plain"> sends: no preflight.
    const forged = await vic(
      'POST',
      '/api/tickets',
      JSON.stringify({ content: { organization: 'X', subject: 'forged', description: 'x' } }),
      { ...otherOrigin, 'content-type': 'text/plain' },
    );
    expect(forged.status).toBe(403);
    const agent = browser();
    await agent('POST', '/agent/login', '', { 'content-type': 'application/x-www-form-urlencoded' });
    const solve = await agent('POST', `/agent/tickets/${id}/solve`, '', {
      ...otherOrigin,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(solve.status).toBe(403);
    expect((await server.desk.tickets.get(id)).status).not.toBe('solved');
    // The same form from the server's own origin works.
    const mine = await agent('POST', `/agent/tickets/${id}/solve`, '', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(mine.status).toBe(303);
    expect((await server.desk.tickets.get(id)).status).toBe('solved');
  });

  it('answers 421 to any Host but its own (DNS rebinding reaches 127.0.0.1 under another name)', async () => {
    const port = new URL(server.url).port;
    const send = (path: string, method: string, host: string) =>
      new Promise<{ status?: number; cookies?: string[] }>((resolve) => {
        request({ host: '127.0.0.1', port, path, method, headers: { host } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, cookies: response.headers['set-cookie'] }));
        }).end();
      });
    const mail = await send('/dev/mail', 'GET', `rebind.attacker.example:${port}`);
    const agent = await send('/agent/login', 'POST', `rebind.attacker.example:${port}`);
    expect(mail.status).toBe(421);
    expect(agent.cookies).toBeUndefined();
    expect((await send('/dev/mail', 'GET', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await send('/dev/mail', 'GET', `localhost:${port}`)).status).toBe(200);
  });

  it('sends every page with a content security policy, no framing, no sniffing, no referrer and no caching', async () => {
    const response = await fetch(`${server.url}/tickets/guest?token=gst_${'A'.repeat(22)}.${'B'.repeat(43)}`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
