import { describe, expect, it } from 'vitest';
import { LOCKOUT_KIND, type LockoutState } from '../../src/security/lockout.js';
import { DAY, HOUR, makePrivacyDesk, registerPerson, type PrivacyHarness } from './_harness.js';

const SECOND = 1000;
const everySecond = { retention: { every: SECOND } };

/** One wrong password for `identifier` (known or not), from the client whose key is `clientKey`. */
async function wrongPassword(h: PrivacyHarness, identifier: string, clientKey?: string) {
  const { flowId } = await h.desk.login.start(clientKey === undefined ? {} : { clientKey });
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return h.desk.login.submitPassword({ flowId, password: 'not the password at all' });
}

async function lockouts(h: PrivacyHarness) {
  const page = await h.storage.list(LOCKOUT_KIND, { where: {}, limit: 100 });
  return page.map((record) => ({ id: record.id, state: record.state as unknown as LockoutState }));
}

describe('retention of login lockouts', () => {
  it("deletes an unknown identifier's lockout 7 days after its last failure, not 1 s before; the count then starts over", async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    await wrongPassword(h, 'nobody-here');
    h.clock.advance(HOUR);
    await wrongPassword(h, 'nobody-here');
    const [record] = await lockouts(h);
    expect(record!.id).toMatch(/^identifier:/);
    expect(record!.id).not.toContain('nobody'); // keyed by an HMAC, not by what was typed
    expect(record!.state).toMatchObject({ failures: 2, lastFailureAt: h.clock.now(), lockedUntil: null });

    h.clock.set(record!.state.lastFailureAt! + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await lockouts(h)).toHaveLength(1);

    h.clock.set(record!.state.lastFailureAt! + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await lockouts(h)).toEqual([]);

    await wrongPassword(h, 'nobody-here');
    expect((await lockouts(h)).map((r) => r.state.failures)).toEqual([1]);
  });

  it("keeps a lock until it ended: deleted 7 days after the lock's end, which is after the last failure", async () => {
    const h = makePrivacyDesk({
      policy: { retention: { every: SECOND }, login: { lockoutBaseWait: 2 * DAY, lockoutMaxWait: 2 * DAY } },
    });
    for (let i = 0; i < 5; i++) await wrongPassword(h, 'nobody-here');
    const [record] = await lockouts(h);
    expect(record!.state.lockedUntil).toBe(record!.state.lastFailureAt! + 2 * DAY);

    h.clock.set(record!.state.lockedUntil! + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await lockouts(h)).toHaveLength(1);

    h.clock.set(record!.state.lockedUntil! + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await lockouts(h)).toEqual([]);
  });

  it("keeps an account's record that remembers the clients the owner logged in from, for as long as the account exists", async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const alice = await registerPerson(h, 'alice');
    const { flowId } = await h.desk.login.start({ clientKey: 'alice-laptop' });
    await h.desk.login.submitIdentifier({ flowId, identifier: alice.username });
    expect((await h.desk.login.submitPassword({ flowId, password: alice.password })).state).toBe('authenticated');
    await wrongPassword(h, alice.username, 'someone-else');

    h.clock.advance(400 * DAY);
    await h.desk.runDueTimers();
    const left = await lockouts(h);
    expect(left.map((r) => r.id)).toEqual([`account:${alice.accountId}`]);
    expect(left[0]!.state.knownClients).toHaveLength(1);
  });

  it('keeps lockouts when the period is null, and a record with failures or a lock but no lastFailureAt (its age is unknown)', async () => {
    const off = makePrivacyDesk({ policy: { retention: { every: SECOND, lockouts: null } } });
    await wrongPassword(off, 'nobody-here');
    off.clock.advance(400 * DAY);
    await off.desk.runDueTimers();
    expect(await lockouts(off)).toHaveLength(1);

    const h = makePrivacyDesk({ policy: everySecond });
    const legacy = { failures: 3, lockedUntil: null, lastWait: null };
    const legacyLocked = { failures: 6, lockedUntil: 60_000, lastWait: 60_000 };
    await h.storage.commit({
      writes: [
        { kind: LOCKOUT_KIND, id: 'identifier:legacy', expectedVersion: 0, state: legacy, nextDueAt: null },
        {
          kind: LOCKOUT_KIND,
          id: 'identifier:legacy-locked',
          expectedVersion: 0,
          state: legacyLocked,
          nextDueAt: null,
        },
      ],
      history: [],
      outbox: [],
      idempotency: [],
    });
    h.clock.advance(400 * DAY);
    await h.desk.runDueTimers();
    expect((await lockouts(h)).map((r) => r.id)).toEqual(['identifier:legacy', 'identifier:legacy-locked']);
  });

  it('refuses a lockout period under a day: the failure count must not reset faster than a guesser types', () => {
    expect(() => makePrivacyDesk({ policy: { retention: { lockouts: DAY - 1 } } })).toThrow(/lockouts/);
    expect(() => makePrivacyDesk({ policy: { retention: { lockouts: DAY } } })).not.toThrow();
  });
});
