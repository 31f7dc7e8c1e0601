import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { HOUR, bobLogsIn, deskWithBob, resultOf, sessionTokenOf } from './_harness.js';

// docs/sessions.md: expiry is checked at the moment of use, so it never depends on the sweep.
// Once a use has found a session expired, that answer stands: a clock stepped back (NTP) does
// not bring the session back, as it does not after the sweep.

/** A clock that may be stepped back by `back` milliseconds. */
function steppingClock() {
  const base = new ManualClock('2026-03-02T09:00:00Z');
  let back = 0;
  return {
    base,
    clock: { now: () => base.now() - back },
    stepBack: (ms: number) => {
      back += ms;
    },
  };
}

async function verifyCode(h: Awaited<ReturnType<typeof deskWithBob>>['h'], token: string): Promise<string> {
  return h.desk.sessions.verify(token).then(
    () => 'live',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('a session found expired stays expired', () => {
  it('at its idle end a use is refused, and a clock stepped back an hour does not revive it', async () => {
    const time = steppingClock();
    const { h } = await deskWithBob({ clock: time.clock, policy: { sessions: { idle: 12 * HOUR } } });
    const token = sessionTokenOf(await bobLogsIn(h));
    time.base.advance(12 * HOUR);
    expect(await verifyCode(h, token)).toBe('SESSION_INVALID');
    time.stepBack(HOUR);
    expect(await verifyCode(h, token)).toBe('SESSION_INVALID');
  });

  it('records the expiry as the sweep would: one session.expired entry, and the sweep finds nothing left', async () => {
    const time = steppingClock();
    const { h } = await deskWithBob({ clock: time.clock, policy: { sessions: { idle: 12 * HOUR } } });
    const view = await bobLogsIn(h);
    const token = sessionTokenOf(view);
    time.base.advance(12 * HOUR);
    expect(await verifyCode(h, token)).toBe('SESSION_INVALID');
    expect(await verifyCode(h, token)).toBe('SESSION_INVALID');
    const sessionId = resultOf(view).auth.sessionId!;
    const history = await h.storage.history('session', sessionId);
    expect(history.filter((e) => e.type === 'session.expired')).toHaveLength(1);
    const { fired } = await h.desk.runDueTimers();
    expect(fired.filter((f) => f.kind === 'session' && f.id === sessionId)).toEqual([]);
  });

  it('a lapsed session is SESSION_INVALID even when recording its expiry fails (storage down, lost races)', async () => {
    const time = steppingClock();
    const storage = createMemoryStorage();
    let down = false;
    const flaky: Storage = new Proxy(storage, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key === 'commit')
          return (...args: unknown[]) =>
            down ? Promise.reject(new Error('db down')) : storage.commit(...(args as [never]));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { h } = await deskWithBob({ clock: time.clock, storage: flaky, policy: { sessions: { idle: 12 * HOUR } } });
    const token = sessionTokenOf(await bobLogsIn(h));
    time.base.advance(12 * HOUR);
    down = true;
    expect(await verifyCode(h, token)).toBe('SESSION_INVALID');
  });
});
