import { describe, expect, it } from 'vitest';
import { jsonStrings as strings } from '../helpers.js';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import { LOGIN_RECORD_KINDS } from '../../src/login/service.js';
import { RECOVERY_CASE_KIND } from '../../src/recovery/case-record.js';
import { toPassword } from '../login/_harness.js';
import {
  ALICE_PHONE,
  HOUR,
  NEW_PHONE,
  agentA,
  cancelTokenFor,
  evidence,
  lastSmsCode,
  makeAlice,
  makeRecoveryDesk,
  openInput,
} from './_harness.js';

describe('no recovery secret is stored in clear', () => {
  it('keeps cancel tokens, passwords and enrolment codes out of every record, index and history entry, and out of the outbox except the text that delivers them', async () => {
    const h = makeRecoveryDesk({ policy: { recovery: { maxOpenCasesPerAccount: 3 } } });
    const alice = await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const openingToken = await cancelTokenFor(h, alice.email);
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: agentA });
    const approvalToken = await cancelTokenFor(h, ALICE_PHONE);
    expect(approvalToken).not.toBe(openingToken);
    // A second case, cancelled with its link.
    const other = await h.desk.recovery.open(openInput());
    const otherToken = await cancelTokenFor(h, alice.email);
    await h.desk.recovery.cancel({ caseId: other.caseId, actor: { role: 'owner', token: otherToken } });
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.login.enrolPhone({ flowId: view.flowId, number: NEW_PHONE });
    const code = await lastSmsCode(h, NEW_PHONE);
    await h.desk.login.submitCode({ flowId: view.flowId, code });

    const secrets = [openingToken, approvalToken, otherToken, alice.password, code];
    const stored: unknown[] = [];
    const kinds = new Set([
      RECOVERY_CASE_KIND,
      ...ACCOUNT_RECORD_KINDS,
      ...LOGIN_RECORD_KINDS,
      ...SECURITY_RECORD_KINDS,
      'ticket',
    ]);
    for (const kind of kinds) {
      for (const record of await h.storage.list(kind, { where: {}, limit: 10_000 })) {
        stored.push(record, await h.storage.history(kind, record.id));
      }
    }
    const outbox = await h.storage.listOutbox({ limit: 10_000 });
    // The message text is what delivers a link or code; every other field must not hold one.
    stored.push(outbox.map(({ payload, ...rest }) => ({ ...rest, payload: { ...(payload as object), text: '' } })));
    const all = strings(stored);
    for (const secret of secrets) {
      expect(
        all.filter((s) => s.includes(secret)),
        `secret ${secret.slice(0, 4)}… leaked`,
      ).toEqual([]);
    }
    // The tokens do go out, in the notices to the addresses on record...
    await h.desk.dispatchOutbox();
    const sent = [...h.mailer.sent, ...h.sms.sent].map((c) => c.message.text).join('\n');
    for (const token of [openingToken, approvalToken, otherToken]) expect(sent).toContain(token);
    // ...and once delivered they are erased from the outbox, with no encryption key configured.
    const delivered = (await h.storage.listOutbox({ limit: 10_000 })).filter((m) => m.status === 'delivered');
    expect(delivered.length).toBeGreaterThan(0);
    const kept = JSON.stringify(delivered.map((m) => m.payload));
    for (const token of [openingToken, approvalToken, otherToken]) expect(kept).not.toContain(token);
  });
});
