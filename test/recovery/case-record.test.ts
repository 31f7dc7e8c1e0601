import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { UnitOfWork } from '../../src/engine/unit-of-work.js';
import type { Storage } from '../../src/ports/storage.js';
import {
  RECOVERY_CASE_KIND,
  recoveryCases,
  toCaseView,
  toRequesterView,
  type CaseExtra,
} from '../../src/recovery/case-record.js';
import { defaultRecoveryPolicy } from '../../src/recovery/policy.js';
import type { RecoveryEvent, RecoveryInput } from '../../src/recovery/recovery-machine.js';
import { DAY, HOUR, SECOND, agentA, agentB } from './_harness.js';

// The recovery_case aggregate on its own: what it stores, indexes and schedules, how it refuses,
// and the two views built from the stored record.

const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const policy = defaultRecoveryPolicy;

const input = (overrides: Partial<RecoveryInput> = {}): RecoveryInput => ({
  id: 'rcv_1',
  ticketId: 'tkt_1',
  ticketNumber: 10001,
  channel: 'web',
  lostFactor: 'phone',
  login: 'alice',
  accountId: 'acc_alice',
  accountIsMainAdmin: false,
  requesterEmail: 'alice.private@example.net',
  requesterName: 'Alice',
  locale: 'en',
  openedAt: T0,
  cancelTokenHashes: ['hash-of-the-opening-link'],
  policy,
  ...overrides,
});

const evidenceAt = (at: number): RecoveryEvent => ({
  type: 'addEvidence',
  at,
  actor: { role: 'requester' },
  evidence: { id: 'evd_1', kind: 'other', description: 'd', attachments: [], addedAt: at, addedBy: 'requester' },
});

/** Runs `build` in a unit of work at `now` and commits it, like a command does. */
async function commit(storage: Storage, now: number, build: (uow: UnitOfWork) => Promise<unknown> | unknown) {
  const uow = new UnitOfWork(storage, now);
  await build(uow);
  expect(await storage.commit(uow.toCommit())).not.toBeNull();
}

/** Steps the stored case through `events` (one commit each), optionally replacing its extra fields. */
async function stepped(storage: Storage, events: RecoveryEvent[], extra?: CaseExtra) {
  for (const event of events) {
    await commit(storage, event.at, async (uow) => {
      const loaded = await recoveryCases.load(uow, 'rcv_1');
      recoveryCases.apply(uow, loaded, event, extra ? { extra } : {});
    });
  }
  return (await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!;
}

async function created(overrides: Partial<RecoveryInput> = {}) {
  const storage = createMemoryStorage();
  await commit(storage, T0, (uow) => recoveryCases.create(uow, input(overrides)));
  return storage;
}

describe('the recovery_case record', () => {
  it('is indexed by status, ticket and account, and due when its evidence expires', async () => {
    const storage = await created();
    const record = (await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!;
    expect(record.indexes).toEqual({ status: 'awaiting_evidence', ticket: 'tkt_1', account: 'acc_alice' });
    expect(record.nextDueAt).toBe(T0 + 14 * DAY);
    expect(record.state).toMatchObject({ value: 'awaiting_evidence', sessions: null });
  });

  it('has no account index when no account has the login', async () => {
    const storage = await created({ accountId: null, cancelTokenHashes: [] });
    const record = (await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!;
    expect(record.indexes).toEqual({ status: 'awaiting_evidence', ticket: 'tkt_1' });
  });

  it('is due at the end of the waiting period once approved, then while its sessions wait to be revoked', async () => {
    const storage = await created();
    const t = T0 + HOUR;
    const approved = await stepped(storage, [
      evidenceAt(t),
      { type: 'review', at: t + SECOND, actor: agentA, outcome: 'accept', note: null, policy },
      { type: 'approve', at: t + 2 * SECOND, actor: agentA, policy, cancelTokenHash: 'h2' },
    ]);
    expect(approved.nextDueAt).toBe(t + 2 * SECOND + 24 * HOUR);
    const end = t + 2 * SECOND + 24 * HOUR;
    const completed = await stepped(storage, [{ type: 'timer.complete', at: end }], { sessions: 'pending' });
    expect(completed.nextDueAt).toBe(end);
    expect(completed.indexes.status).toBe('completed');
    await commit(storage, end, async (uow) => {
      const loaded = await recoveryCases.load(uow, 'rcv_1');
      recoveryCases.save(uow, { ...loaded, extra: { sessions: 'revoked' } });
    });
    expect((await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!.nextDueAt).toBeNull();
  });

  it('is due no more once it has evidence under review', async () => {
    const storage = await created();
    expect((await stepped(storage, [evidenceAt(T0 + HOUR)])).nextDueAt).toBeNull();
  });
});

describe('refusals of the recovery_case record', () => {
  const refusalOf = async (storage: Storage, event: RecoveryEvent) => {
    const uow = new UnitOfWork(storage, event.at);
    const loaded = await recoveryCases.load(uow, 'rcv_1');
    try {
      recoveryCases.apply(uow, loaded, event);
    } catch (error) {
      expect(uow.isEmpty).toBe(true);
      return error;
    }
    throw new Error(`${event.type} was accepted`);
  };

  it('names the status, the command, the role and what an approval lacks', async () => {
    const storage = await created();
    const t = T0 + HOUR;
    await stepped(storage, [evidenceAt(t)]);
    const approve = { type: 'approve', at: t + SECOND, actor: agentA, policy, cancelTokenHash: 'h' } as const;
    expect(await refusalOf(storage, approve)).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { caseId: 'rcv_1', status: 'under_review', command: 'approve', actor: 'agent', reason: 'not_reviewed' },
    });
    expect(await refusalOf(storage, { type: 'timer.complete', at: t + SECOND })).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { status: 'under_review', command: 'timer.complete', actor: 'system' },
      message: 'Cannot timer.complete recovery case rcv_1 as system: it is under_review.',
    });
  });

  it("answers SECOND_AGENT_REQUIRED when a main administrator's reviewer approves", async () => {
    const storage = await created({ accountIsMainAdmin: true });
    const t = T0 + HOUR;
    await stepped(storage, [
      evidenceAt(t),
      { type: 'review', at: t + SECOND, actor: agentA, outcome: 'accept', note: null, policy },
    ]);
    const approve = (actor: typeof agentA | typeof agentB) =>
      ({ type: 'approve', at: t + 2 * SECOND, actor, policy, cancelTokenHash: 'h' }) as const;
    expect(await refusalOf(storage, approve(agentA))).toMatchObject({ code: 'SECOND_AGENT_REQUIRED' });
    expect((await stepped(storage, [approve(agentB)])).indexes.status).toBe('approved');
  });

  it('answers RECOVERY_NOT_FOUND for a case that does not exist', async () => {
    const storage = createMemoryStorage();
    await expect(recoveryCases.load(new UnitOfWork(storage, T0), 'rcv_none')).rejects.toMatchObject({
      code: 'RECOVERY_NOT_FOUND',
      details: { caseId: 'rcv_none' },
    });
  });
});

describe('the views of a case', () => {
  it('shows agents every field of the case but the cancel-link hashes, as a frozen copy', async () => {
    const storage = await created();
    const record = await stepped(storage, [evidenceAt(T0 + HOUR)]);
    const view = toCaseView(record);
    expect(Object.keys(view).sort()).toEqual(
      [
        'id',
        'status',
        'ticketId',
        'ticketNumber',
        'channel',
        'lostFactor',
        'login',
        'accountId',
        'accountFound',
        'accountIsMainAdmin',
        'agentsRequired',
        'requesterEmail',
        'requesterName',
        'locale',
        'openedAt',
        'updatedAt',
        'evidenceDueAt',
        'evidence',
        'review',
        'approval',
        'waitingEndsAt',
        'endedAt',
        'rejectReason',
        'cancelledBy',
        'sessions',
        'version',
      ].sort(),
    );
    expect(JSON.stringify(view)).not.toContain('hash-of-the-opening-link');
    expect(view).toMatchObject({ status: 'under_review', accountFound: true, agentsRequired: 1, version: 2 });
    expect(Object.isFrozen(view)).toBe(true);
    view.evidence[0]!.description = 'changed by a host';
    expect(toCaseView(record).evidence[0]!.description).toBe('d');
  });

  it('needs two agents for a main administrator', async () => {
    const storage = await created({ accountIsMainAdmin: true });
    expect(toCaseView((await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!).agentsRequired).toBe(2);
  });

  it('shows the requester nothing that tells whether the account exists, and the waiting end only while approved', async () => {
    const known = await created();
    const unknown = await created({ accountId: null, accountIsMainAdmin: false, cancelTokenHashes: [] });
    const load = async (storage: Storage) => toRequesterView((await storage.load(RECOVERY_CASE_KIND, 'rcv_1'))!);
    expect(await load(unknown)).toEqual(await load(known));
    const t = T0 + HOUR;
    const approved = await stepped(known, [
      evidenceAt(t),
      { type: 'review', at: t + SECOND, actor: agentA, outcome: 'accept', note: null, policy },
      { type: 'approve', at: t + 2 * SECOND, actor: agentA, policy, cancelTokenHash: 'h' },
    ]);
    expect(toRequesterView(approved).waitingEndsAt).toBe(t + 2 * SECOND + 24 * HOUR);
    const cancelled = await stepped(known, [{ type: 'cancel', at: t + 3 * SECOND, actor: { role: 'owner' } }]);
    expect(toRequesterView(cancelled)).toMatchObject({ status: 'cancelled', waitingEndsAt: null });
    expect(toCaseView(cancelled).waitingEndsAt).toBe(t + 2 * SECOND + 24 * HOUR);
  });
});
