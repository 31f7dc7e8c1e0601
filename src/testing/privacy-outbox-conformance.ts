import { hasPrivacyStore, type PrivacyStore } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
import { check, commitOf, message, same, T0, uid, type caseAdder } from './_conformance-kit.js';

/** The storage as a {@link PrivacyStore}; a check failure when it does not claim the capability. */
export function privacyOf(storage: Storage): Storage & PrivacyStore {
  check(hasPrivacyStore(storage), 'the storage must implement the PrivacyStore capability');
  return storage as Storage & PrivacyStore;
}

/** The privacy cases of the outbox (redaction, scan, retention's delete), part of `privacyConformanceCases`. */
export function addOutboxCases(add: ReturnType<typeof caseAdder>): void {
  add(
    'redactOutbox settles a pending message dead, refuses a claimed one; scanOutbox pages in queue order',
    async (s) => {
      const p = privacyOf(s);
      const [m1, m2, m3] = [uid('pm'), uid('pm'), uid('pm')];
      await s.commit(commitOf({ outbox: [message(m1), message(m2), message(m3, { channel: 'sms' })] }));
      const ours = (await p.scanOutbox(0, 1_000_000)).filter((x) => [m1, m2, m3].includes(x.message.id));
      same(
        ours.map((x) => x.message.id),
        [m1, m2, m3],
        'scanOutbox queue order',
      );
      check(ours[0]!.position < ours[1]!.position && ours[1]!.position < ours[2]!.position, 'positions increase');
      same(
        (await p.scanOutbox(ours[0]!.position, 1)).map((x) => x.message.id),
        [m2],
        'scanOutbox cursor and limit',
      );

      await s.claimOutbox(['sms'], T0, T0 + 60_000, 1_000_000);
      check(!(await p.redactOutbox(m3, { erased: true }, 'erased')), 'a claimed message must not be redacted');
      check(await p.redactOutbox(m1, { erased: true }, 'erased'), 'a pending message must be redacted');
      const [after] = (await p.scanOutbox(ours[0]!.position - 1, 1)).map((x) => x.message);
      same(
        [after!.status, after!.payload, after!.lastError],
        ['dead', { erased: true }, 'erased'],
        'pending becomes dead',
      );
    },
  );

  add('redactOutbox replaces the last error of a message with the reason: a refusal quotes the address', async (s) => {
    const p = privacyOf(s);
    const base = T0 + 7 * 86_400_000;
    const [dead, retried, delivered] = [uid('pm'), uid('pm'), uid('pm')];
    await s.commit(
      commitOf({ outbox: [dead, retried, delivered].map((id) => message(id, { channel: 'sms', availableAt: base })) }),
    );
    const refusal = '550 5.1.1 <ann@example.com>: Recipient address rejected';
    const ours = (id: string) => (m: { id: string }) => m.id === id;
    await s.claimOutbox(['sms'], base, base + 100, 1_000_000);
    check(await s.markDead(dead, refusal, base + 1), 'markDead');
    check(await s.markFailed(retried, base + 10, refusal), 'markFailed');
    check(await s.markDelivered(delivered, base + 1), 'markDelivered');
    check(await p.redactOutbox(dead, { erased: true }, 'erased'), 'a dead message must be redacted');
    check(await p.redactOutbox(retried, { erased: true }, 'erased'), 'a pending message must be redacted');
    check(await p.redactOutbox(delivered, { erased: true }, 'retention'), 'a delivered message must be redacted');
    const all = await s.listOutbox({});
    same(
      [dead, retried, delivered].map((id) => {
        const m = all.find(ours(id))!;
        return [m.status, m.payload, m.lastError];
      }),
      [
        ['dead', { erased: true }, 'erased'],
        ['dead', { erased: true }, 'erased'],
        ['delivered', { erased: true }, null],
      ],
      'no last error keeps the refused address; a message that never failed gets none',
    );
  });

  add('deleteSettledOutbox deletes a delivered or dead message only; the others keep their positions', async (s) => {
    const p = privacyOf(s);
    check(typeof p.deleteSettledOutbox === 'function', 'the PrivacyStore must implement deleteSettledOutbox');
    const [pending, claimed, delivered, dead] = [uid('po'), uid('po'), uid('po'), uid('po')];
    const later = { availableAt: T0 + 365 * 24 * 3_600_000 }; // not due at the claim below
    await s.commit(
      commitOf({ outbox: [message(delivered), message(dead), message(claimed), message(pending, later)] }),
    );
    const positioned = await p.scanOutbox(0, 1_000_000);
    const before = positioned.find((x) => x.message.id === pending)!;
    const beforeClaimed = positioned.find((x) => x.message.id === claimed)!;
    const beforeDelivered = positioned.find((x) => x.message.id === delivered)!;
    const claimedIds = (await s.claimOutbox(['email'], T0, T0 + 60_000, 1_000_000)).map((m) => m.id);
    check(
      [delivered, dead, claimed].every((id) => claimedIds.includes(id)) && !claimedIds.includes(pending),
      'the case claims its three due messages',
    );
    check(await s.markDelivered(delivered, T0 + 1), 'markDelivered');
    check(await s.markDead(dead, 'gave up'), 'markDead');

    same(
      await p.deleteSettledOutbox([pending, claimed, uid('missing')]),
      0,
      'pending, claimed or missing: none deleted',
    );
    same(await p.deleteSettledOutbox([]), 0, 'no ids: none deleted');
    same(await p.deleteSettledOutbox([pending, delivered, claimed, dead]), 2, 'the delivered and the dead one deleted');
    same(await p.deleteSettledOutbox([delivered, dead]), 0, 'a deleted message is gone: none the second time');

    const left = (await p.scanOutbox(0, 1_000_000)).filter((x) =>
      [pending, claimed, delivered, dead].includes(x.message.id),
    );
    same(
      left.map((x) => x.message.id),
      [claimed, pending],
      'the settled messages left the queue, the others stayed in order',
    );
    same(left.find((x) => x.message.id === pending)!.position, before.position, 'positions do not move');
    same(left.find((x) => x.message.id === claimed)!.position, beforeClaimed.position, 'positions do not move');
    const gap = (await p.scanOutbox(0, 1_000_000)).find((x) => x.message.id === delivered);
    check(gap === undefined, 'scanOutbox passes the deleted messages by');
    same(
      (await p.scanOutbox(beforeDelivered.position, 1_000_000))
        .map((x) => x.message.id)
        .filter((id) => left.some((l) => l.message.id === id)),
      [claimed, pending],
      'a scan from the position of a deleted message goes on after it',
    );
    const listed = new Set((await s.listOutbox({})).map((m) => m.id));
    check(!listed.has(delivered) && !listed.has(dead), 'listOutbox does not return deleted messages');
    const deliveredListed = (await s.listOutbox({ status: 'delivered' })).map((m) => m.id);
    check(!deliveredListed.includes(delivered), 'listOutbox by status does not return them either');
    check(listed.has(pending) && listed.has(claimed), 'listOutbox still returns the others');
  });
}
