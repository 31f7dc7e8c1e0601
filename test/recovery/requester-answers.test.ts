import { describe, expect, it } from 'vitest';
import { agentA, cancelTokenFor, evidence, makeAlice, makeRecoveryDesk, openInput } from './_harness.js';

// docs/recovery.md: "The requester never learns whether the login belongs to an account". The
// answer to a requester's (or the owner's) own command is the requester's view, the same for a
// login an account has and one no account has; agents get the agents' view.

const AGENT_ONLY = ['accountFound', 'accountId', 'accountIsMainAdmin', 'agentsRequired', 'login', 'sessions'];

async function requesterAnswers(login: string) {
  const h = makeRecoveryDesk();
  await makeAlice(h);
  const opened = await h.desk.recovery.open(openInput({ login }));
  const requester = { role: 'requester', ticketId: opened.ticketId } as const;
  const added = await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
  const cancelled = await h.desk.recovery.cancel({ caseId: opened.caseId, actor: requester });
  const shape = (view: object) => {
    const { id: _id, ticketId: _t, ticketNumber: _n, ...rest } = view as Record<string, unknown>;
    return rest;
  };
  return { added, cancelled, same: { added: shape(added), cancelled: shape(cancelled) } };
}

describe("a requester's own recovery commands answer the requester's view", () => {
  it('addEvidence and cancel answer alike for a login an account has and one none has', async () => {
    const known = await requesterAnswers('alice');
    const unknown = await requesterAnswers('nobody-has-this');
    for (const view of [known.added, known.cancelled, unknown.added, unknown.cancelled]) {
      for (const field of AGENT_ONLY) expect(view, field).not.toHaveProperty(field);
    }
    expect(known.same).toEqual(unknown.same);
    expect(known.added).toMatchObject({ status: 'under_review', evidenceCount: 1 });
    expect(known.cancelled).toMatchObject({ status: 'cancelled' });
  });

  it("the owner's cancel by link answers the requester's view too; an agent's answers the agents' view", async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const first = await h.desk.recovery.open(openInput());
    const token = await cancelTokenFor(h, alice.email);
    const byOwner = await h.desk.recovery.cancel({ caseId: first.caseId, actor: { role: 'owner', token } });
    for (const field of AGENT_ONLY) expect(byOwner, field).not.toHaveProperty(field);
    expect(byOwner.status).toBe('cancelled');

    const second = await h.desk.recovery.open(openInput({ requester: { email: 'other@example.net', name: 'O' } }));
    const byAgent = await h.desk.recovery.cancel({ caseId: second.caseId, actor: agentA });
    expect(byAgent).toMatchObject({ status: 'cancelled', accountFound: true, accountId: alice.accountId });
  });
});
