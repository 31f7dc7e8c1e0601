import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { isHelpdeskError } from '../../src/error-codes.js';
import {
  ALICE_PHONE,
  agent,
  dpo,
  fileTicket,
  hits,
  makePrivacyDesk,
  registerPerson,
  storeStrings,
} from './_harness.js';

async function aliceAndBob() {
  const h = makePrivacyDesk();
  const alice = await registerPerson(h, 'alice', ALICE_PHONE);
  const bob = await registerPerson(h, 'bob');
  const aliceTicket = await fileTicket(h, alice, 'Alice wrote: the tracker in my blue van is offline.');
  const bobTicket = await fileTicket(h, bob, 'Bob wrote: invoices do not load.');
  // An agent asks Alice, she answers; Bob gets an answer too.
  await h.desk.tickets.reply({ ticketId: aliceTicket.ticket.id, author: agent, body: 'Which van?', askForInfo: true });
  await h.desk.tickets.reply({
    ticketId: aliceTicket.ticket.id,
    author: { role: 'requester', id: alice.accountId },
    body: 'The blue one',
  });
  await h.desk.tickets.reply({ ticketId: bobTicket.ticket.id, author: agent, body: 'Looking into it' });
  const opened = await h.desk.recovery.open({
    login: 'alice',
    lostFactor: 'phone',
    channel: 'web',
    requester: { email: 'alice.private@example.net', name: 'Alice Private' },
    description: 'Alice lost her phone on the tram.',
  });
  await h.desk.recovery.addEvidence({
    caseId: opened.caseId,
    actor: { role: 'requester', ticketId: opened.ticketId },
    evidence: {
      kind: 'identity_document',
      description: 'Passport scan of Alice',
      attachments: [{ name: 'alice-passport.pdf', contentType: 'application/pdf', size: 1000 }],
    },
  });
  await h.desk.login
    .start({})
    .then((view) => h.desk.login.submitIdentifier({ flowId: view.flowId, identifier: 'alice' }));
  await h.desk.dispatchOutbox();
  return { h, alice, bob, aliceTicket, bobTicket, opened };
}

const aliceTraces = (alice: { accountId: string; email: string }) => [
  alice.accountId,
  alice.email,
  ALICE_PHONE,
  'alice.private@example.net',
  'Alice Person',
  'Alice Private',
  'tracker in my blue van',
  'lost her phone on the tram',
  'Passport scan of Alice',
  'alice-passport.pdf',
];

describe('privacy.erase', () => {
  it('leaves none of the subject in any record, id, index, history entry, outbox message or event', async () => {
    const { h, alice } = await aliceAndBob();
    const storage = h.storage as MemoryStorage;
    const before = await storeStrings(storage);
    for (const trace of aliceTraces(alice)) expect(hits(before, trace), trace).not.toEqual([]);

    const result = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'Art. 17 request #42',
    });

    expect(result.status).toBe('done');
    expect(result.pseudonym).toMatch(/^erased-user-[0-9a-f]{8}$/);
    expect(result.attachments).toEqual([{ name: 'alice-passport.pdf', contentType: 'application/pdf', size: 1000 }]);
    const after = await storeStrings(storage);
    for (const trace of aliceTraces(alice)) expect(hits(after, trace), trace).toEqual([]);
    expect(hits(after, result.pseudonym)).not.toEqual([]);
  });

  it('keeps ticket numbers, statuses and history lengths, and leaves other people untouched', async () => {
    const { h, alice, bob, aliceTicket, bobTicket } = await aliceAndBob();
    const storage = h.storage as MemoryStorage;
    const historyBefore = await Promise.all([aliceTicket, bobTicket].map((t) => h.desk.tickets.history(t.ticket.id)));
    const bobBefore = await storeStrings(storage);

    await h.desk.privacy.erase({ subject: { email: alice.email }, actor: dpo, reason: 'request' });

    const ticket = await h.desk.tickets.get(aliceTicket.ticket.id);
    expect(ticket.number).toBe(aliceTicket.ticket.number);
    expect(ticket.status).toBe('open');
    const historyAfter = await Promise.all([aliceTicket, bobTicket].map((t) => h.desk.tickets.history(t.ticket.id)));
    expect(historyAfter.map((list) => list.length)).toEqual(historyBefore.map((list) => list.length));
    expect(historyAfter.map((list) => list.map((e) => [e.type, e.at, e.seq]))).toEqual(
      historyBefore.map((list) => list.map((e) => [e.type, e.at, e.seq])),
    );
    const after = await storeStrings(storage);
    for (const trace of [bob.accountId, bob.email, 'Bob Person', 'invoices do not load']) {
      expect(hits(after, trace).length, trace).toBe(hits(bobBefore, trace).length);
    }
    expect((await h.desk.tickets.get(bobTicket.ticket.id)).number).toBe(bobTicket.ticket.number);
  });

  it('deletes the account: its login no longer works', async () => {
    const { h, alice } = await aliceAndBob();
    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'request' });
    expect(await h.storage.load('account', alice.accountId)).toBeNull();
    const view = await h.desk.login.start({});
    const next = await h.desk.login.submitIdentifier({ flowId: view.flowId, identifier: 'alice' });
    const done = await h.desk.login.submitPassword({ flowId: next.flowId, password: alice.password });
    expect(done.result).toBeUndefined();
  });

  it('records one privacy.erased entry and event naming the actor and the pseudonym, and is idempotent', async () => {
    const { h, alice } = await aliceAndBob();
    const first = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'request',
    });
    const second = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'request',
    });
    expect(second.pseudonym).toBe(first.pseudonym);
    const entries = await h.storage.history('privacy_job', first.pseudonym);
    expect(entries.map((e) => e.type)).toEqual(['privacy.erased', 'privacy.erased']);
    expect(entries[0]!.actor).toEqual(dpo);
    expect(entries[0]!.data).toMatchObject({ pseudonym: first.pseudonym, reason: 'request' });
    const events = (await h.storage.readEvents({ after: 0, limit: 10_000 })).filter((e) => e.type === 'privacy.erased');
    expect(events.map((e) => e.data)).toEqual([
      { pseudonym: first.pseudonym, actor: dpo },
      { pseudonym: first.pseudonym, actor: dpo },
    ]);
    const job = await h.storage.load('privacy_job', first.pseudonym);
    expect(JSON.stringify(job!.state)).not.toContain(alice.email);
  });

  it('resumes an interrupted erasure from runDueTimers', async () => {
    const memory = createMemoryStorage() as MemoryStorage;
    let failures = 1;
    const flaky = new Proxy(memory, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property === 'redactHistory') {
          return async (...args: Parameters<MemoryStorage['redactHistory']>) => {
            if (failures-- > 0) throw new Error('connection lost');
            return target.redactHistory(...args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const h = makePrivacyDesk({ storage: flaky });
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);
    await fileTicket(h, alice, 'Alice wrote: the tracker in my blue van is offline.');

    await expect(
      h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'r' }),
    ).rejects.toThrow('connection lost');
    const [running] = await memory.list('privacy_job', { where: {}, limit: 1 });
    expect((running!.state as { status: string }).status).not.toBe('done');

    await h.desk.runDueTimers();

    const [job] = await memory.list('privacy_job', { where: {}, limit: 1 });
    expect((job!.state as { status: string }).status).toBe('done');
    const after = await storeStrings(memory);
    for (const trace of [alice.accountId, alice.email, ALICE_PHONE, 'tracker in my blue van'])
      expect(hits(after, trace), trace).toEqual([]);
  });

  it('refuses while a recovery case of the account is in its waiting period', async () => {
    const { h, alice, opened } = await aliceAndBob();
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agent, outcome: 'accept' });
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: agent });
    const error = await h.desk.privacy
      .erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'r' })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'PRIVACY_RECOVERY_WAITING' as never)).toBe(true);
    expect(await h.storage.load('account', alice.accountId)).not.toBeNull();
  });
});
