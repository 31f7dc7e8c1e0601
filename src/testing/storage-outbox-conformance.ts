import {
  caseAdder,
  check,
  commitOf,
  message,
  random,
  same,
  T0,
  uid,
  write,
  type ConformanceCase,
  type ConformanceTarget,
} from './_conformance-kit.js';

/**
 * The outbox cases of `storageConformanceCases`: claims, leases, retries, dead letters, channels,
 * concurrency, and messages committed with the state or not at all.
 */
export function outboxCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('outbox: pending due messages are claimed once, with attempts counted', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    const future = uid('m');
    await s.commit(
      commitOf({ outbox: [message(id, { availableAt: base }), message(future, { availableAt: base + 1e6 })] }),
    );
    const claimed = (await s.claimOutbox(['email'], base, base + 100, 1000)).filter(
      (m) => m.id === id || m.id === future,
    );
    same(
      claimed.map((m) => [m.id, m.status, m.attempts, m.idempotencyKey]),
      [[id, 'claimed', 1, `idem-${id}`]],
      'claimed',
    );
    same(claimed[0]?.payload, { to: 'a@example.test', subject: 's', text: 't' }, 'payload');
    same(
      (await s.claimOutbox(['email'], base + 50, base + 150, 1000)).filter((m) => m.id === id).length,
      0,
      'not during the lease',
    );
    check(await s.markDelivered(id, base + 60), 'markDelivered');
    check(!(await s.markDelivered(id, base + 61)), 'delivered twice');
    same((await s.listOutbox({ status: 'delivered' })).filter((m) => m.id === id).length, 1, 'listed as delivered');
  });

  add('outbox: a failed message comes back at its retry time; a dead one never', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] }));
    await s.claimOutbox(['email'], base, base + 100, 1000);
    check(await s.markFailed(id, base + 500, 'smtp down'), 'markFailed');
    same(
      (await s.claimOutbox(['email'], base + 499, base + 600, 1000)).filter((m) => m.id === id).length,
      0,
      'before retry time',
    );
    const again = (await s.claimOutbox(['email'], base + 500, base + 600, 1000)).filter((m) => m.id === id);
    same(
      again.map((m) => [m.attempts, m.lastError]),
      [[2, 'smtp down']],
      'second claim',
    );
    check(await s.markDead(id, 'gave up', base + 700), 'markDead');
    same(
      (await s.claimOutbox(['email'], base + 1e7, base + 2e7, 1000)).filter((m) => m.id === id).length,
      0,
      'dead stays dead',
    );
    same(
      (await s.listOutbox({ status: 'dead' })).filter((m) => m.id === id).map((m) => [m.lastError, m.availableAt]),
      [['gave up', base + 700]],
      'listed dead, available from when it died',
    );
  });

  add('outbox: an expired claim can be claimed again (a crashed dispatcher)', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] }));
    await s.claimOutbox(['email'], base, base + 100, 1000);
    same(
      (await s.claimOutbox(['email'], base + 100, base + 200, 1000)).filter((m) => m.id === id).map((m) => m.attempts),
      [2],
      'reclaimed',
    );
  });

  add('outbox: a dispatcher whose lease expired cannot settle a message another claimed', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] }));
    const [first] = (await s.claimOutbox(['email'], base, base + 100, 1000)).filter((m) => m.id === id);
    check(first, 'first claim');
    const [second] = (await s.claimOutbox(['email'], base + 100, base + 200, 1000)).filter((m) => m.id === id);
    check(second, 'second claim after the lease lapsed');
    check(!(await s.markFailed(id, base + 101, 'late timeout', first)), 'stale markFailed must return false');
    check(!(await s.markDead(id, 'late refusal', base + 101, first)), 'stale markDead must return false');
    check(!(await s.markDelivered(id, base + 101, first)), 'stale markDelivered must return false');
    same(
      (await s.listOutbox({ status: 'claimed' }))
        .filter((m) => m.id === id)
        .map((m) => [m.attempts, m.claimedUntil, m.lastError, m.availableAt]),
      [[2, base + 200, null, base]],
      'the later claim is untouched',
    );
    same(
      (await s.claimOutbox(['email'], base + 150, base + 300, 1000)).filter((m) => m.id === id).length,
      0,
      'nobody else claims it during the later lease',
    );
    check(await s.markDelivered(id, base + 160, second), 'the holder of the claim settles it');
    same(
      (await s.listOutbox({ status: 'delivered' })).filter((m) => m.id === id).map((m) => m.deliveredAt),
      [base + 160],
      'delivered by the holder',
    );
  });

  add('outbox: a settlement with the current claim applies; without a claim it still does', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const [failed, dead, bare] = [uid('m'), uid('m'), uid('m')];
    await s.commit(commitOf({ outbox: [failed, dead, bare].map((id) => message(id, { availableAt: base })) }));
    const claimed = (await s.claimOutbox(['email'], base, base + 100, 1000)).filter((m) =>
      [failed, dead, bare].includes(m.id),
    );
    same(claimed.length, 3, 'claimed');
    const claimOf = (id: string) => ({ attempts: claimed.find((m) => m.id === id)!.attempts });
    check(await s.markFailed(failed, base + 500, 'smtp down', claimOf(failed)), 'markFailed under its claim');
    check(await s.markDead(dead, 'refused', base + 50, claimOf(dead)), 'markDead under its claim');
    check(await s.markDelivered(bare, base + 50), 'markDelivered without a claim (host code before 0.2.0)');
    check(!(await s.markFailed(failed, base + 600, 'again', claimOf(failed))), 'a settled claim settles once');
    same(
      (await s.listOutbox({})).filter((m) => [failed, dead, bare].includes(m.id)).map((m) => [m.id, m.status]),
      [
        [failed, 'pending'],
        [dead, 'dead'],
        [bare, 'delivered'],
      ],
      'settled',
    );
  });

  add('outbox: one claim returns a message once, even when its lease ends at the claim time', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] }));
    same(
      (await s.claimOutbox(['email'], base, base, 1000)).filter((m) => m.id === id).map((m) => m.attempts),
      [1],
      'once, attempts 1',
    );
  });

  add('outbox: a claim returns at most `limit` messages', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const ids = Array.from({ length: 5 }, () => uid('m'));
    await s.commit(commitOf({ outbox: ids.map((id) => message(id, { availableAt: base })) }));
    same(await s.claimOutbox(['email'], base, base + 100, 0), [], 'a claim with limit 0');
    const claimed: string[] = [];
    // Claimed messages stay leased past `base`: each claim takes new ones (a shared database may hold others).
    for (let calls = 0; claimed.length < ids.length; calls++) {
      check(calls < 10_000, 'the claims did not run out of due messages');
      const limit = calls === 0 ? 1 : 2;
      const batch = await s.claimOutbox(['email'], base, base + 100, limit);
      check(batch.length <= limit, `a claim with limit ${limit} returned ${batch.length} messages`);
      check(batch.length > 0, `a claim with limit ${limit} claimed nothing, yet messages are due`);
      claimed.push(...batch.map((m) => m.id).filter((id) => ids.includes(id)));
    }
    same([...claimed].sort(), [...ids].sort(), 'each message claimed once');
  });

  add('outbox: listOutbox returns at most `limit` messages, oldest first', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const ids = [uid('m'), uid('m'), uid('m')];
    for (const id of ids) await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] }));
    for (const status of [undefined, 'pending'] as const) {
      const what = `listOutbox of ${status ?? 'every'} status`;
      const all = (await s.listOutbox(status === undefined ? {} : { status })).map((m) => m.id);
      same(
        all.filter((id) => ids.includes(id)),
        ids,
        `${what}: the messages of three commits, oldest first`,
      );
      for (const limit of [0, 1, 2]) {
        const query = status === undefined ? { limit } : { status, limit };
        same(
          (await s.listOutbox(query)).map((m) => m.id),
          all.slice(0, limit),
          `${what} with limit ${limit}`,
        );
      }
    }
  });

  add('outbox: only the asked channels are claimed', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const mail = uid('m');
    const sms = uid('m');
    await s.commit(
      commitOf({ outbox: [message(mail, { availableAt: base }), message(sms, { availableAt: base, channel: 'sms' })] }),
    );
    same(
      (await s.claimOutbox(['sms'], base, base + 100, 1000))
        .filter((m) => m.id === mail || m.id === sms)
        .map((m) => m.id),
      [sms],
      'sms only',
    );
    same(
      (await s.claimOutbox(['email'], base, base + 100, 1000))
        .filter((m) => m.id === mail || m.id === sms)
        .map((m) => m.id),
      [mail],
      'then the mail',
    );
  });

  add('outbox: concurrent claims never return the same message', async (s) => {
    const base = T0 + Math.floor(random() * 1e9);
    const ids = Array.from({ length: 30 }, () => uid('m'));
    await s.commit(commitOf({ outbox: ids.map((id) => message(id, { availableAt: base })) }));
    const batches = await Promise.all([0, 1, 2].map(() => s.claimOutbox(['email'], base, base + 100, 1000)));
    const got = batches
      .flat()
      .map((m) => m.id)
      .filter((id) => ids.includes(id));
    same(got.length, 30, 'all claimed');
    same(new Set(got).size, 30, 'none twice');
  });

  add('outbox messages commit with the state, or not at all', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {})] }));
    check(
      (await s.commit(
        commitOf({ writes: [write(kind, 'a', 0, {})], outbox: [message(id, { availableAt: base })] }),
      )) === null,
      'guard miss',
    );
    same(
      (await s.claimOutbox(['email'], base + 1e6, base + 2e6, 1000)).filter((m) => m.id === id).length,
      0,
      'no message from a refused commit',
    );
  });

  return cases;
}
