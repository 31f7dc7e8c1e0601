/**
 * Fuzzing the desk's own commands besides those of `public-commands.test.ts`: GDPR export and
 * erasure (`desk.privacy`), the outbox dispatch, the background worker and the event feed (the
 * harness, its properties and FUZZ_RUNS are described in `harness.ts`). The desk is the accounts
 * seed plus a ticket of Alice's, with a mailer and an SMS sender, so the outbox the seed filled is
 * really dispatched, and an export and an erasure of Alice find her account, login flows, ticket,
 * history, mail and events.
 */
import { PRIVACY_KINDS } from '../../src/privacy/subject.js';
import { CapturingMailer, CapturingSms } from '../../src/testing/capturing-senders.js';
import type { Helpdesk } from '../../src/helpdesk.js';
import { accountDeskOptions, accountKinds, seedAccounts, type AccountSeed } from './accounts-seed.js';
import { fuzzCommands, type FuzzTarget } from './harness.js';

interface DeskSeed extends AccountSeed {
  /** The `next` of the first one-item page of Alice's export. */
  exportCursor: string;
  /** The sequence number of an event in the middle of the feed. */
  midFeed: number;
}

async function seedDesk(desk: Helpdesk): Promise<DeskSeed> {
  const base = await seedAccounts(desk);
  await desk.tickets.submit({
    requester: { id: base.alice.id, email: base.alice.email },
    content: { organization: 'Private', subject: 'Invoice address', description: 'Please change it.' },
  });
  const page = await desk.privacy.export({ subject: { accountId: base.alice.id }, limit: 1 });
  if (page.next === null) throw new Error('seed: an export of Alice in one item');
  const { events } = await desk.events.read({ limit: 1000 });
  if (events.length < 2) throw new Error(`seed: expected events in the feed, got ${events.length}`);
  return { ...base, exportCursor: page.next, midFeed: events[Math.floor(events.length / 2)]!.seq };
}

const targets: FuzzTarget<DeskSeed>[] = [
  {
    name: 'desk.privacy.export',
    valid: (s) => ({ subject: { accountId: s.alice.id }, cursor: s.exportCursor, limit: 20 }),
    call: (desk, arg) => desk.privacy.export(arg as never),
  },
  {
    name: 'desk.privacy.erase',
    valid: (s) => ({
      subject: { accountId: s.alice.id },
      actor: { role: 'agent', id: 'agent-1' },
      reason: 'Erasure request by mail of 2026-03-01',
    }),
    call: (desk, arg) => desk.privacy.erase(arg as never),
  },
  {
    name: 'desk.dispatchOutbox',
    valid: () => ({ limit: 10, budgetMs: 1_000 }),
    call: (desk, arg) => desk.dispatchOutbox(arg as never),
  },
  {
    // `desk.worker(options)` refuses bad options at once (a synchronous throw); a worker it starts is
    // stopped again, which ends it after its first round. A round's error goes to the worker's
    // `onError`, not to the caller: its count in `stats()` is checked, and fails the property as a
    // plain Error. (Functions and AbortSignals cannot be cloned into the near-valid inputs, so the
    // template has none: `signal`, `onError` and `sleep` get only generated values.)
    name: 'desk.worker',
    valid: () => ({ interval: 50, limit: 10, budgetMs: 1_000, backoffBaseMs: 100, backoffMaxMs: 10_000 }),
    call: async (desk, arg) => {
      const worker = desk.worker(arg as never);
      await worker.stop();
      const stats = worker.stats();
      const failed = Object.entries(stats).filter(([, loop]) => loop.errors > 0);
      if (failed.length > 0) throw new Error(`worker loops failed: ${JSON.stringify(Object.fromEntries(failed))}`);
      return stats;
    },
  },
  {
    name: 'desk.events.read',
    valid: (s) => ({ after: s.midFeed, limit: 10 }),
    call: (desk, arg) => desk.events.read(arg as never),
  },
];

fuzzCommands<DeskSeed>('fuzzing desk.privacy, the outbox dispatch, the worker and the event feed', {
  options: () => ({ ...accountDeskOptions(), mailer: new CapturingMailer(), sms: new CapturingSms() }),
  seed: seedDesk,
  kinds: [...accountKinds, ...PRIVACY_KINDS],
  targets,
});
