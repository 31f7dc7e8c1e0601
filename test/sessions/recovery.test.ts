import { describe, expect, it } from 'vitest';
import { DEVICE_KIND } from '../../src/sessions/index.js';
import {
  ALICE_PHONE,
  DAY,
  HOUR,
  SECOND,
  agentA,
  evidence,
  lastSmsCode,
  makeAlice,
  makeRecoveryDesk,
  openInput,
} from '../recovery/_harness.js';
import { resultOf, sessionTokenOf, toPassword } from './_harness.js';

describe('a completed lost-factor recovery', () => {
  it('ends the account’s sessions and remembered devices in its commit, not before', async () => {
    const h = makeRecoveryDesk({ policy: { sessions: { idle: 2 * DAY } } });
    const alice = await makeAlice(h);
    const view = await toPassword(h, 'alice', alice.password);
    const code = await lastSmsCode(h, ALICE_PHONE);
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code, rememberDevice: true });
    resultOf(done);
    const token = sessionTokenOf(done);
    const deviceId = done.device!.token.split('.')[0]!;

    const opened = await h.desk.recovery.open(openInput());
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: agentA });

    h.clock.advance(24 * HOUR - SECOND);
    await h.desk.runDueTimers();
    await expect(h.desk.sessions.verify(token)).resolves.toMatchObject({ amr: ['password', 'sms'] });

    h.clock.advance(SECOND);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('completed');
    await expect(h.desk.sessions.verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    const device = await h.storage.load(DEVICE_KIND, deviceId);
    expect(device?.state).toMatchObject({ endReason: 'recovery_completed' });
  });
});
