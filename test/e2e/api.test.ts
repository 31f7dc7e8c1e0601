// The example server's JSON API over real HTTP, without a browser: the same story as the portal
// test (register, activate from the SMTP mail, SMS login, ticket, agent asks, requester answers,
// solve, rate from the survey mail), plus the error answers a client branches on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../../examples/server/app.js';

/** A client with a cookie jar, like a browser tab; `setCookies` keeps the raw headers it was sent. */
function client(base: string) {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      // A browser sends its Origin with every POST; the server refuses a form-like one from elsewhere (CSRF).
      headers: {
        origin: base,
        ...(cookie ? { cookie } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    for (const set of response.headers.getSetCookie()) {
      setCookies.push(set);
      const [pair = ''] = set.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /max-age=0\b/i.test(set)) jar.delete(name);
      else jar.set(name, value);
    }
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, body: type.includes('json') ? ((await response.json()) as any) : null };
  };
  return Object.assign(call, { jar, setCookies });
}

async function eventually<T>(what: string, find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the example server JSON API', () => {
  let server: ExampleServer;
  beforeAll(async () => {
    server = await startExampleServer({ workerInterval: 100, surveyDelay: 1_000 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('registers, activates, logs in with the SMS code, and runs a ticket to solved with the agent', async () => {
    const requester = client(server.url);
    const registered = await requester('POST', '/api/accounts/register', {
      username: 'bob',
      email: 'bob@example.com',
      password: 'another long passphrase',
      displayName: 'Bob Smith',
      phone: '+36 20 555 0101',
    });
    expect(registered).toEqual({ status: 202, body: { accepted: true } });

    const mail = await eventually('the activation mail', () =>
      server.smtp.inbox.find((m) => m.to.includes('bob@example.com')),
    );
    const link = /(http:\/\/\S+\/activate\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect((await requester('POST', '/api/accounts/activate', { link })).body).toEqual({ ok: true });
    expect((await requester('POST', '/api/accounts/activate', { link })).body).toEqual({
      ok: false,
      code: 'TOKEN_USED',
    });

    expect((await requester('POST', '/api/login/start')).body.state).toBe('awaiting_identifier');
    expect((await requester('POST', '/api/login/identifier', { identifier: 'bob' })).body.state).toBe(
      'awaiting_password',
    );
    const wrong = await requester('POST', '/api/login/password', { password: 'not the passphrase' });
    expect(wrong.body).toMatchObject({ state: 'awaiting_password', error: { code: 'WRONG_PASSWORD' } });
    const atCode = await requester('POST', '/api/login/password', { password: 'another long passphrase' });
    expect(atCode.body.state).toBe('awaiting_code');
    expect(atCode.body).not.toHaveProperty('flowId');
    const sms = await eventually('the login SMS', () => server.sms.inbox.find((s) => s.to === '+36205550101'));
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1];
    const done = await requester('POST', '/api/login/code', { code });
    expect(done.body.state).toBe('authenticated');
    expect(done.body).not.toHaveProperty('result');
    expect((await requester('GET', '/api/me')).body).toEqual({
      login: 'bob',
      displayName: 'Bob Smith',
      email: 'bob@example.com',
    });

    // The cookie holds the library's session token, with the flags docs/sessions.md asks for.
    const token = requester.jar.get('hd_session') ?? '';
    expect(token).toMatch(/^ses_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const setSession = requester.setCookies.find((set) => set.startsWith(`hd_session=${token}`)) ?? '';
    expect(setSession).toMatch(/; HttpOnly/);
    expect(setSession).toMatch(/; SameSite=Lax/);
    expect(setSession).toMatch(/; Path=\//);
    expect(setSession).not.toMatch(/; Secure/); // http://127.0.0.1: Secure only when the server is https
    expect((await server.desk.sessions.verify(token)).principal).toMatchObject({ type: 'account' });

    const invalid = await requester('POST', '/api/tickets', { content: { subject: 'no organisation' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_INPUT');
    const filed = await requester('POST', '/api/tickets', {
      content: {
        organization: 'Bob Ltd',
        subject: 'Printer offline',
        description: 'The printer on floor 2 is offline.',
      },
    });
    expect(filed.status).toBe(201);
    const ticketId: string = filed.body.ticket.id;
    expect(filed.body.ticket).not.toHaveProperty('sla');
    expect((await requester('GET', '/api/tickets')).body.tickets.map((t: { id: string }) => t.id)).toEqual([ticketId]);

    const agent = client(server.url);
    expect((await agent('GET', '/api/agent/tickets')).status).toBe(401);
    await agent('POST', '/agent/login');
    const asked = await agent('POST', `/api/agent/tickets/${ticketId}/replies`, {
      body: 'Is it switched on?',
      askForInfo: true,
    });
    expect(asked.body.ticket.status).toBe('pending');

    // An internal note: the agent's conversation has it, marked; the requester's never does.
    const noted = await agent('POST', `/api/agent/tickets/${ticketId}/notes`, {
      body: 'Customer is on the old firmware.',
    });
    expect(noted.status).toBe(201);
    expect(noted.body.ticket.status).toBe('pending');
    expect((await agent('GET', `/api/agent/tickets/${ticketId}`)).body.messages).toEqual([
      expect.objectContaining({ role: 'agent', body: 'Is it switched on?', askForInfo: true, internal: false }),
      expect.objectContaining({ role: 'agent', body: 'Customer is on the old firmware.', internal: true }),
    ]);

    const seen = await requester('GET', `/api/tickets/${ticketId}`);
    expect(JSON.stringify(seen.body)).not.toContain('old firmware');
    expect(seen.body.ticket.status).toBe('pending');
    expect(seen.body.messages).toEqual([
      expect.objectContaining({ role: 'agent', body: 'Is it switched on?', askForInfo: true }),
    ]);
    const answered = await requester('POST', `/api/tickets/${ticketId}/replies`, { body: 'Yes, it is.' });
    expect(answered.body.ticket.status).toBe('open');

    const solved = await agent('POST', `/api/agent/tickets/${ticketId}/solve`);
    expect(solved.body.ticket.status).toBe('solved');
    const again = await agent('POST', `/api/agent/tickets/${ticketId}/solve`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TRANSITION_NOT_ALLOWED');

    // The survey mail follows the solve; opening its link spends nothing, the first rating counts, a second is refused.
    const surveyMail = await eventually('the survey mail', () =>
      server.smtp.inbox.find((m) => m.to.includes('bob@example.com') && /\/survey\?token=/.test(m.text)),
    );
    const surveyLink = /(http:\/\/\S+\/survey\?token=[A-Za-z0-9_-]+)/.exec(surveyMail.text)?.[1] ?? '';
    const opened = await fetch(surveyLink);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('name="score" value="good"');
    const stranger = client(server.url);
    expect((await stranger('POST', '/api/survey', { link: surveyLink, score: 'fine' })).body.code).toBe(
      'INVALID_INPUT',
    );
    expect(
      (await stranger('POST', '/api/survey', { link: `${server.url}/activate?token=x`, score: 'good' })).status,
    ).toBe(404);
    const rated = await stranger('POST', '/api/survey', { link: surveyLink, score: 'good', comment: 'Fast, thanks.' });
    expect(rated).toEqual({
      status: 200,
      body: { rated: true, ticketNumber: filed.body.ticket.number, score: 'good' },
    });
    const ratedAgain = await stranger('POST', '/api/survey', { link: surveyLink, score: 'bad' });
    expect(ratedAgain.status).toBe(410);
    expect(ratedAgain.body.code).toBe('TOKEN_USED');
    expect((await agent('GET', `/api/agent/tickets/${ticketId}`)).body.satisfaction).toMatchObject({
      score: 'good',
      comment: 'Fast, thanks.',
    });

    expect((await stranger('GET', `/api/tickets/${ticketId}`)).status).toBe(401);

    // Logout revokes the session in the library: the same token, replayed, is refused.
    expect((await requester('POST', '/api/logout')).body).toEqual({ ok: true });
    expect(requester.jar.has('hd_session')).toBe(false);
    expect((await requester('GET', '/api/me')).status).toBe(401);
    const replay = client(server.url);
    replay.jar.set('hd_session', token);
    expect((await replay('GET', '/api/me')).status).toBe(401);
    await expect(server.desk.sessions.verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  }, 120_000);
  /** A new requester, registered, activated from the mail and signed in with the SMS code. */
  async function signedInRequester(username: string, phone: string) {
    const session = client(server.url);
    const email = `${username}@example.com`;
    await session('POST', '/api/accounts/register', {
      username,
      email,
      password: 'a passphrase of some length',
      displayName: username,
      phone,
    });
    const mail = await eventually('the activation mail', () => server.smtp.inbox.find((m) => m.to.includes(email)));
    const link = /(http:\/\/\S+\/activate\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect((await session('POST', '/api/accounts/activate', { link })).body).toEqual({ ok: true });
    await session('POST', '/api/login/start');
    await session('POST', '/api/login/identifier', { identifier: username });
    await session('POST', '/api/login/password', { password: 'a passphrase of some length' });
    const to = `+36${phone.replace(/\D/g, '').slice(2)}`;
    const sms = await eventually('the login SMS', () => server.sms.inbox.find((s) => s.to === to));
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1];
    expect((await session('POST', '/api/login/code', { code })).body.state).toBe('authenticated');
    return session;
  }

  it("answers another requester's ticket as absent: the desk checks the session's caller", async () => {
    const carol = await signedInRequester('carol', '+36 30 555 0202');
    const dave = await signedInRequester('dave', '+36 70 555 0303');
    const filed = await carol('POST', '/api/tickets', {
      content: { organization: 'Carol Ltd', subject: 'VPN drops', description: 'The VPN drops every hour.' },
    });
    expect(filed.status).toBe(201);
    const ticketId: string = filed.body.ticket.id;
    expect((await carol('GET', `/api/tickets/${ticketId}`)).status).toBe(200);
    expect((await dave('GET', `/api/tickets/${ticketId}`)).status).toBe(404);
    expect((await dave('POST', `/api/tickets/${ticketId}/replies`, { body: 'Mine now.' })).status).toBe(404);
    expect((await dave('GET', '/api/tickets')).body.tickets).toEqual([]);
  }, 120_000);
});
