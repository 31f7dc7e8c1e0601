import { describe, expect, it } from 'vitest';
import { DEVICE_KIND, SESSION_KIND, STEP_UP_LINK_KIND } from '../../src/sessions/index.js';
import { ADMIN_PHONE, bobLogsIn, deskWithBob, lastSmsCode, resultOf, sessionTokenOf } from '../sessions/_harness.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A retention slice on every call, so the calls at period − 1 s and at the period each run one. */
const everySecond = { every: SECOND };

describe('retention of ended sessions, remembered devices and step-up links', () => {
  it('deletes a revoked session 7 days after it ended, not 1 s before, with its history', async () => {
    const { h } = await deskWithBob({ policy: { retention: everySecond } });
    const done = await bobLogsIn(h);
    const auth = resultOf(done).auth;
    const sessionId = auth.sessionId!;
    await h.desk.sessions.revoke({ auth, sessionId });
    const endedAt = h.clock.now();

    h.clock.set(endedAt + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).not.toBeNull();

    h.clock.set(endedAt + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).toBeNull();
    expect(await h.storage.history(SESSION_KIND, sessionId)).toEqual([]);
  });

  it('deletes an expired session the configured period after it expired', async () => {
    const idle = HOUR;
    const { h } = await deskWithBob({
      policy: { sessions: { idle }, retention: { sessions: 2 * DAY, ...everySecond } },
    });
    const done = await bobLogsIn(h);
    const sessionId = resultOf(done).auth.sessionId!;
    const expiresAt = h.clock.now() + idle;
    h.clock.set(expiresAt);
    await h.desk.runDueTimers(); // the timer sweep marks it expired: it ends now
    const ended = await h.storage.load(SESSION_KIND, sessionId);
    expect((ended!.state as { value: string }).value).toBe('expired');

    h.clock.set(expiresAt + 2 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).not.toBeNull();
    h.clock.set(expiresAt + 2 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).toBeNull();
  });

  it('counts an expired session from its expiry, not from the late sweep that marked it', async () => {
    const idle = HOUR;
    const { h } = await deskWithBob({
      policy: { sessions: { idle }, retention: { sessions: 2 * DAY, ...everySecond } },
    });
    const sessionId = resultOf(await bobLogsIn(h)).auth.sessionId!;
    const expiresAt = h.clock.now() + idle;
    h.clock.set(expiresAt + DAY); // the first sweep after the expiry runs a day late
    await h.desk.runDueTimers();
    expect((await h.storage.load(SESSION_KIND, sessionId))?.state).toMatchObject({ value: 'expired' });

    h.clock.set(expiresAt + 2 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).not.toBeNull();
    h.clock.set(expiresAt + 2 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load(SESSION_KIND, sessionId)).toBeNull();
  });

  it('never deletes a live session, however short the period', async () => {
    const { h } = await deskWithBob({ policy: { retention: { sessions: 1, ...everySecond } } });
    const done = await bobLogsIn(h);
    const token = sessionTokenOf(done);
    // Used every few hours for 20 days: live all along (idle 12 h, absolute 30 days).
    for (let day = 0; day < 20; day++) {
      h.clock.advance(6 * HOUR);
      await h.desk.sessions.verify(token);
      await h.desk.runDueTimers();
    }
    await expect(h.desk.sessions.verify(token)).resolves.toMatchObject({ sessionId: resultOf(done).auth.sessionId });
  });

  it('deletes a forgotten remembered device 7 days after, keeps a remembered one, and keeps all when off', async () => {
    for (const sessions of [undefined, null] as const) {
      const { h } = await deskWithBob({
        policy: { retention: { ...(sessions === null ? { sessions } : {}), ...everySecond } },
      });
      const first = await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Old phone' });
      const second = await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Laptop' });
      const auth = resultOf(second).auth;
      const devices = await h.desk.sessions.devices(auth);
      const old = devices.find((d) => d.label === 'Old phone')!;
      const kept = devices.find((d) => d.label === 'Laptop')!;
      expect(first.device).toBeDefined();
      await h.desk.sessions.forgetDevice({ auth, deviceId: old.id });
      const endedAt = h.clock.now();

      h.clock.set(endedAt + 7 * DAY - SECOND);
      await h.desk.runDueTimers();
      expect(await h.storage.load(DEVICE_KIND, old.id)).not.toBeNull();
      h.clock.set(endedAt + 7 * DAY);
      await h.desk.runDueTimers();
      const gone = (await h.storage.load(DEVICE_KIND, old.id)) === null;
      expect(gone).toBe(sessions !== null);
      expect(await h.storage.load(DEVICE_KIND, kept.id)).not.toBeNull();
    }
  });

  it('counts a lapsed remembered device from its expiry, not from the late sweep that marked it', async () => {
    const { h } = await deskWithBob({ policy: { retention: everySecond } });
    const auth = resultOf(await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Laptop' })).auth;
    const [device] = await h.desk.sessions.devices(auth);
    h.clock.set(device!.expiresAt + 3 * DAY); // the first sweep after the expiry runs three days late
    await h.desk.runDueTimers();
    expect(await h.storage.load(DEVICE_KIND, device!.id)).toMatchObject({ state: { endReason: 'expired' } });

    h.clock.set(device!.expiresAt + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load(DEVICE_KIND, device!.id)).not.toBeNull();
    h.clock.set(device!.expiresAt + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load(DEVICE_KIND, device!.id)).toBeNull();
  });

  it('deletes a completed step-up link 7 days after it ended, not 1 s before', async () => {
    const { h, adminAuth } = await deskWithBob({ policy: { retention: everySecond } });
    const completed = await h.desk.login.startStepUp({ auth: adminAuth });
    resultOf(await h.desk.login.submitCode({ flowId: completed.flowId, code: await lastSmsCode(h, ADMIN_PHONE) }));
    const endedAt = h.clock.now();

    h.clock.set(endedAt + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load(STEP_UP_LINK_KIND, completed.flowId)).not.toBeNull();
    h.clock.set(endedAt + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load(STEP_UP_LINK_KIND, completed.flowId)).toBeNull();
  });
});
