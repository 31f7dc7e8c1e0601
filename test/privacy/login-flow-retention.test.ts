import { describe, expect, it } from 'vitest';
import { DAY, makePrivacyDesk } from './_harness.js';

// An ended login flow is deleted 7 days after it ended (policy.retention.loginFlows). A flow that
// lapsed ended at its `expiresAt`, whenever a sweep got round to marking it: a late sweep must not
// push its deletion back by its own delay.

const SECOND = 1000;

describe('retention of a lapsed login flow', () => {
  it('is counted from its expiresAt, not from the late sweep that marked it expired', async () => {
    const h = makePrivacyDesk({ policy: { retention: { every: SECOND } } });
    const { flowId } = await h.desk.login.start();
    const flow = await h.storage.load('login_flow', flowId);
    const expiresAt = (flow!.state as { context: { expiresAt: number } }).context.expiresAt;

    h.clock.set(expiresAt + 5 * DAY); // the first sweep after the lapse runs five days late
    await h.desk.runDueTimers();
    expect((await h.storage.load('login_flow', flowId))?.state).toMatchObject({ value: 'expired' });

    h.clock.set(expiresAt + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load('login_flow', flowId)).not.toBeNull();

    h.clock.set(expiresAt + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('login_flow', flowId)).toBeNull();
  });
});
