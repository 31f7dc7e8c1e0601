import { describe, expect, it } from 'vitest';
import { STEP_UP_LINK_KIND } from '../../src/sessions/index.js';
import { ADMIN_PHONE, MINUTE, SECOND, deskWithBob, lastSmsCode, resultOf, type LoginHarness } from './_harness.js';

const FLOW_TTL = 15 * MINUTE;

async function linkOf(h: LoginHarness, flowId: string) {
  const record = await h.storage.load(STEP_UP_LINK_KIND, flowId);
  if (!record) throw new Error(`no step-up link for ${flowId}`);
  return { ...(record.state as { endedAt: number | null; endReason: string | null }), nextDueAt: record.nextDueAt };
}

const firedLinks = (fired: Array<{ kind: string; id: string }>) =>
  fired.filter((f) => f.kind === STEP_UP_LINK_KIND).map((f) => f.id);

describe('step-up links end, and the sweep ends the ones never completed', () => {
  it('a step-up never completed keeps its link until its flow ends: live at expiry − 1 s, ended at expiry, once', async () => {
    const { h, adminAuth } = await deskWithBob();
    const { flowId } = await h.desk.login.startStepUp({ auth: adminAuth });
    const startedAt = h.clock.now();
    expect(await linkOf(h, flowId)).toMatchObject({ endedAt: null, nextDueAt: startedAt + FLOW_TTL });

    h.clock.advance(FLOW_TTL - SECOND);
    expect(firedLinks((await h.desk.runDueTimers()).fired)).toEqual([]);
    expect(await linkOf(h, flowId)).toMatchObject({ endedAt: null, nextDueAt: startedAt + FLOW_TTL });

    h.clock.advance(SECOND);
    expect(firedLinks((await h.desk.runDueTimers()).fired)).toEqual([flowId]);
    expect(await linkOf(h, flowId)).toMatchObject({ endedAt: h.clock.now(), endReason: 'expired', nextDueAt: null });
    expect(firedLinks((await h.desk.runDueTimers()).fired)).toEqual([]);
  });

  it('a completed step-up ends its link in its own commit: nothing is left due', async () => {
    const { h, adminAuth } = await deskWithBob();
    const { flowId } = await h.desk.login.startStepUp({ auth: adminAuth });
    resultOf(await h.desk.login.submitCode({ flowId, code: await lastSmsCode(h, ADMIN_PHONE) }));
    expect(await linkOf(h, flowId)).toMatchObject({ endedAt: h.clock.now(), endReason: 'completed', nextDueAt: null });
    h.clock.advance(FLOW_TTL);
    expect(firedLinks((await h.desk.runDueTimers()).fired)).toEqual([]);
  });

  it('a code entered after the link was swept cannot refresh the session', async () => {
    const { h, adminAuth } = await deskWithBob();
    const { flowId } = await h.desk.login.startStepUp({ auth: adminAuth });
    const code = await lastSmsCode(h, ADMIN_PHONE);
    h.clock.advance(FLOW_TTL);
    await h.desk.runDueTimers();
    await expect(h.desk.login.submitCode({ flowId, code })).rejects.toMatchObject({ code: 'FLOW_EXPIRED' });
  });
});
