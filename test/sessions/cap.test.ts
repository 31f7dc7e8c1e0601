import { describe, expect, it } from 'vitest';
import { defaultSessionPolicy, SESSION_KIND } from '../../src/sessions/index.js';
import { MINUTE, makeLoginDesk, makePersonal, resultOf, toPassword, type LoginHarness } from './_harness.js';

/** A personal account without a phone: the password alone completes its login (and opens a session). */
async function deskWithCarol(options: Parameters<typeof makeLoginDesk>[0] = {}) {
  const h = makeLoginDesk(options);
  const carol = await makePersonal(h, { username: 'carol' });
  await h.desk.accounts.activate({ token: carol.token });
  return { h, carol };
}

/** One more login of carol; a minute apart, so sessions differ in age. */
async function carolLogsIn(h: LoginHarness, password: string) {
  h.clock.advance(MINUTE);
  const view = await toPassword(h, 'carol', password);
  return { auth: resultOf(view).auth, token: view.session!.token };
}

async function liveIds(h: LoginHarness): Promise<string[]> {
  const active = await h.storage.list(SESSION_KIND, { where: { state: 'active' }, limit: 10_000 });
  return active.map((r) => r.id).sort();
}

describe('a subject holds at most policy.sessions.maxPerSubject sessions', () => {
  it('defaults to 50', () => {
    expect(defaultSessionPolicy.maxPerSubject).toBe(50);
  });

  it('at the cap every session lives; the next login ends the least recently used one, with a history entry', async () => {
    const { h, carol } = await deskWithCarol();
    const logins = [];
    for (let i = 0; i < 50; i++) logins.push(await carolLogsIn(h, carol.password));
    expect(await liveIds(h)).toHaveLength(50);
    for (const login of logins) await h.desk.sessions.verify(login.token);

    // The first session is the oldest, but used again just now: the second is the least recently used.
    h.clock.advance(MINUTE);
    await h.desk.sessions.verify(logins[0]!.token);
    const newest = await carolLogsIn(h, carol.password);
    const live = await liveIds(h);
    expect(live).toHaveLength(50);
    const ended = logins[1]!.auth.sessionId!;
    expect(live).not.toContain(ended);
    expect(live).toContain(logins[0]!.auth.sessionId);
    expect(live).toContain(newest.auth.sessionId);
    await expect(h.desk.sessions.verify(logins[1]!.token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    const history = await h.storage.history(SESSION_KIND, ended);
    expect(history.at(-1)).toMatchObject({
      type: 'session.ended',
      data: { reason: 'cap', newSessionId: newest.auth.sessionId },
    });
    const record = await h.storage.load(SESSION_KIND, ended);
    expect(record?.state).toMatchObject({ context: { endReason: 'cap' } });
  });

  it('counts only live sessions: expired ones not yet swept leave room', async () => {
    const { h, carol } = await deskWithCarol({ policy: { sessions: { maxPerSubject: 3, idle: 10 * MINUTE } } });
    const first = await carolLogsIn(h, carol.password);
    h.clock.advance(10 * MINUTE); // the first is past its idle limit, not swept
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push(await carolLogsIn(h, carol.password));
    for (const login of rest) await h.desk.sessions.verify(login.token);
    const history = await h.storage.history(SESSION_KIND, first.auth.sessionId!);
    expect(history.map((e) => e.type)).not.toContain('session.ended');
  });

  it('a smaller cap from the policy: cap + 1 logins leave cap sessions, the first one ended', async () => {
    const { h, carol } = await deskWithCarol({ policy: { sessions: { maxPerSubject: 2 } } });
    const a = await carolLogsIn(h, carol.password);
    const b = await carolLogsIn(h, carol.password);
    expect(await liveIds(h)).toEqual([a.auth.sessionId, b.auth.sessionId].sort());
    const c = await carolLogsIn(h, carol.password);
    expect(await liveIds(h)).toEqual([b.auth.sessionId, c.auth.sessionId].sort());
  });

  it('null: no cap, as in Keycloak (51 logins, 51 sessions)', async () => {
    const { h, carol } = await deskWithCarol({ policy: { sessions: { maxPerSubject: null } } });
    for (let i = 0; i < 51; i++) await carolLogsIn(h, carol.password);
    expect(await liveIds(h)).toHaveLength(51);
  });

  it('refuses a cap below 1', () => {
    expect(() => makeLoginDesk({ policy: { sessions: { maxPerSubject: 0 } } })).toThrow();
  });
});

describe('revocations count what they ended', () => {
  it('revokeOthers reports only sessions still live; one past its idle limit is left to the sweep', async () => {
    const { h, carol } = await deskWithCarol({ policy: { sessions: { idle: 10 * MINUTE } } });
    const lapsed = await carolLogsIn(h, carol.password);
    h.clock.advance(10 * MINUTE);
    const live = await carolLogsIn(h, carol.password);
    const caller = await carolLogsIn(h, carol.password);
    expect(await h.desk.sessions.revokeOthers(caller.auth)).toEqual({ revoked: 1 });
    await expect(h.desk.sessions.verify(live.token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await h.desk.runDueTimers();
    const record = await h.storage.load(SESSION_KIND, lapsed.auth.sessionId!);
    expect(record?.state).toMatchObject({ value: 'expired', context: { endReason: 'expired' } });
  });
});
