import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { DEFAULT_LINK_PATHS, parseLink } from '../../src/http/index.js';
import { defaultCancelLink } from '../../src/recovery/notices.js';
import { alice, makeAccounts } from '../accounts/_harness.js';
import { makeAlice, makeRecoveryDesk, openInput, outboxTo } from '../recovery/_harness.js';
import { makeDesk } from '../helpers.js';

const BASE = 'https://help.example.com/portal';
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde'; // 43 base64url characters
const options = { publicBaseUrl: BASE };
const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? '';

describe('parseLink reads the links the library mails', () => {
  it('an activation link from the registration mail; its token activates the account', async () => {
    const h = makeAccounts({ publicBaseUrl: BASE });
    await h.accounts.register(alice);
    await h.deliver();
    const link = linkIn(h.mailer.to(alice.email).at(-1)!.text);
    const parsed = parseLink(link, options);
    expect(parsed).toMatchObject({ kind: 'activation' });
    expect(await h.accounts.activate({ token: parsed!.token })).toMatchObject({ ok: true });
  });

  it('a password-reset link from the reset mail', async () => {
    const h = makeAccounts({ publicBaseUrl: BASE });
    await h.accounts.register(alice);
    await h.accounts.requestPasswordReset({ identifier: alice.email, channel: 'email' });
    await h.deliver();
    const mail = h.mailer.to(alice.email).find((m) => m.template === 'password.reset_link');
    expect(mail, 'a reset mail').toBeDefined();
    expect(parseLink(linkIn(mail!.text), options)).toMatchObject({ kind: 'password_reset' });
  });

  it("a recovery cancel link from the owner's notice; case and token cancel the case", async () => {
    const h = makeRecoveryDesk({ publicBaseUrl: BASE });
    const owner = await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const notice = (await outboxTo(h, owner.email)).find((m) => m.text.includes('/recovery/cancel?'));
    const parsed = parseLink(linkIn(notice!.text), options);
    expect(parsed).toEqual({ kind: 'recovery_cancel', caseId: opened.caseId, token: expect.any(String) });
    if (parsed?.kind !== 'recovery_cancel') throw new Error('unreachable');
    const cancelled = await h.desk.recovery.cancel({
      caseId: parsed.caseId,
      actor: { role: 'owner', token: parsed.token },
    });
    expect(cancelled.status).toBe('cancelled');
  });

  it('round-trips the default cancel link builder', () => {
    const link = defaultCancelLink(BASE)('rcv_0abc123', TOKEN);
    expect(parseLink(link, options)).toEqual({ kind: 'recovery_cancel', caseId: 'rcv_0abc123', token: TOKEN });
  });

  it('takes a URL object, a base with a trailing slash, and other paths when configured', () => {
    expect(parseLink(new URL(`${BASE}/activate?token=${TOKEN}`), { publicBaseUrl: `${BASE}/` })).toEqual({
      kind: 'activation',
      token: TOKEN,
    });
    const paths = { password_reset: '/account/new-password' };
    expect(parseLink(`${BASE}/account/new-password?token=${TOKEN}`, { ...options, paths })).toEqual({
      kind: 'password_reset',
      token: TOKEN,
    });
    expect(parseLink(`${BASE}/reset-password?token=${TOKEN}`, { ...options, paths })).toBeNull();
    expect(DEFAULT_LINK_PATHS).toEqual({
      activation: '/activate',
      password_reset: '/reset-password',
      recovery_cancel: '/recovery/cancel',
      survey: '/survey',
      guest_ticket: '/tickets/guest',
    });
  });

  it('a guest link from the confirmation mail opens its ticket, at the default path and a moved one', async () => {
    for (const linkPaths of [undefined, { guest_ticket: '/follow' }] as const) {
      const h = makeDesk({ publicBaseUrl: BASE, ...(linkPaths ? { tickets: { linkPaths } } : {}) });
      const filed = await h.desk.tickets.submit({
        requester: { id: 'contact:guest@example.net', email: 'guest@example.net' },
        content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' },
        channel: 'contact_form',
      });
      await h.desk.dispatchOutbox();
      const link = linkIn(h.mailer.to('guest@example.net').at(-1)!.text);
      expect(link.startsWith(`${BASE}${linkPaths?.guest_ticket ?? '/tickets/guest'}?token=gst_`)).toBe(true);
      const parsed = parseLink(link, { ...options, ...(linkPaths ? { paths: linkPaths } : {}) });
      expect(parsed).toEqual({ kind: 'guest_ticket', token: filed.guestToken });
      const auth = { role: 'guest', token: parsed!.token } as const;
      expect((await h.desk.tickets.list({ auth })).tickets.map((t) => t.id)).toEqual([filed.ticket.id]);
    }
  });

  it('a survey link from the survey mail rates the ticket once', async () => {
    const h = makeDesk({ publicBaseUrl: BASE, policy: { tickets: { survey: { enabled: true, delay: 60_000 } } } });
    const agent = { role: 'agent', id: 'anna' } as const;
    const filed = await h.desk.tickets.submit({
      auth: agent,
      requester: { id: 'cust-1', email: 'cust@example.net' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' },
    });
    await h.desk.tickets.solve({ ticketId: filed.ticket.id, auth: agent });
    h.clock.advance(60_000);
    await h.desk.runDueTimers();
    await h.desk.dispatchOutbox();
    const mail = h.mailer.to('cust@example.net').find((m) => m.template === 'ticket.survey');
    const parsed = parseLink(linkIn(mail!.text), options);
    expect(parsed).toMatchObject({ kind: 'survey' });
    expect((await h.desk.tickets.rate({ token: parsed!.token, score: 'good' })).satisfaction).toMatchObject({
      score: 'good',
    });
  });
});

describe('parseLink refuses anything that is not exactly such a link', () => {
  const good = `${BASE}/activate?token=${TOKEN}`;

  it.each([
    ['another host', `https://evil.example.com/portal/activate?token=${TOKEN}`],
    ['a look-alike host', `https://help.example.com.evil.net/portal/activate?token=${TOKEN}`],
    ['user info before the host', `https://help.example.com@evil.net/portal/activate?token=${TOKEN}`],
    ['user info on our host', `https://evil@help.example.com/portal/activate?token=${TOKEN}`],
    ['another scheme', `http://help.example.com/portal/activate?token=${TOKEN}`],
    ['another port', `https://help.example.com:8443/portal/activate?token=${TOKEN}`],
    ['outside the base path', `https://help.example.com/activate?token=${TOKEN}`],
    ['a trailing slash', `${BASE}/activate/?token=${TOKEN}`],
    ['another case of the path', `${BASE}/Activate?token=${TOKEN}`],
    ['a dot segment', `${BASE}/x/../activate?token=${TOKEN}`],
    ['an encoded dot segment', `${BASE}/x/%2e%2e/activate?token=${TOKEN}`],
    ['an encoded letter in the path', `${BASE}/%61ctivate?token=${TOKEN}`],
    ['a backslash', `${BASE}\\activate?token=${TOKEN}`],
    ['a double slash', `${BASE}//activate?token=${TOKEN}`],
    ['an extra parameter', `${good}&next=https://evil.net`],
    ['a repeated token', `${good}&token=${TOKEN}`],
    ['an empty extra pair', `${good}&`],
    ['no token', `${BASE}/activate`],
    ['an empty token', `${BASE}/activate?token=`],
    ['a short token', `${BASE}/activate?token=abc`],
    ['a percent-encoded token', `${BASE}/activate?token=${TOKEN.slice(0, -1)}%65`],
    ['a plus in the token', `${BASE}/activate?token=${TOKEN.slice(0, -1)}+`],
    ['a NUL, encoded', `${good}%00`],
    ['a NUL, raw', `${good}\u0000`],
    ['a line break inside', `${BASE}/acti\nvate?token=${TOKEN}`],
    ['a tab inside', `${BASE}/activate?to\tken=${TOKEN}`],
    ['leading spaces', `  ${good}`],
    ['a fragment', `${good}#x`],
    ['an over-long URL', `${BASE}/activate?token=${'A'.repeat(2100)}`],
    ['a token over 512 characters', `${BASE}/activate?token=${'A'.repeat(513)}`],
    ['non-ASCII', `${BASE}/activate?token=${TOKEN}é`],
    ['a relative link', `/portal/activate?token=${TOKEN}`],
    ['not a URL', 'activate?token=x'],
    ['javascript:', `javascript:alert(1)//${BASE}/activate?token=${TOKEN}`],
    ['a cancel link without the case', `${BASE}/recovery/cancel?token=${TOKEN}`],
    ['a cancel link with the case twice', `${BASE}/recovery/cancel?case=rcv_1&case=rcv_2&token=${TOKEN}`],
    ['a cancel link with a hostile case id', `${BASE}/recovery/cancel?case=rcv_1'--&token=${TOKEN}`],
    ['an activation link with a case', `${BASE}/activate?case=rcv_1&token=${TOKEN}`],
  ])('%s → null', (_what, url) => {
    expect(parseLink(url, options)).toBeNull();
  });

  it('accepts the same link unchanged (the refusals above are not a broken parser)', () => {
    expect(parseLink(good, options)).toEqual({ kind: 'activation', token: TOKEN });
  });

  it('refuses a publicBaseUrl without a scheme, or a path that is not /segment, with CONFIGURATION_INVALID', () => {
    for (const bad of [
      { publicBaseUrl: 'help.example.com' },
      { publicBaseUrl: 'ftp://help.example.com' },
      { publicBaseUrl: 'https://help.example.com/?x=1' },
      { publicBaseUrl: BASE, paths: { activation: 'activate' } },
      { publicBaseUrl: BASE, paths: { activation: '/a/../b' } },
      { publicBaseUrl: BASE, paths: { activation: '/a?b' } },
    ]) {
      let error: unknown;
      try {
        parseLink(good, bad);
      } catch (e) {
        error = e;
      }
      expect(isHelpdeskError(error, 'CONFIGURATION_INVALID'), JSON.stringify(bad)).toBe(true);
    }
  });
});
