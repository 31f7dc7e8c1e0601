import { describe, expect, it } from 'vitest';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { authOf } from '../tickets/_callers.js';
import {
  DAY,
  HOUR,
  dpo,
  hits,
  makePrivacyDesk,
  registerPerson,
  storeStrings,
  type PrivacyHarness,
} from './_harness.js';

// The requester's rating comment (`satisfaction.comment`) and the host's fields (default: the
// fleet fields, a driver's name, a VIN) are what they filed or wrote, as the ticket's content is:
// erasure and closed-ticket anonymisation replace their strings by the pseudonym. The score, and
// numbers inside the fields (a vehicle's year), stay.

const agent = { role: 'agent', id: 'anna' } as const;
const VIN = 'WVWZZZ1JZXW000001';

type Stored = {
  value: string;
  context: {
    requesterId: string;
    satisfaction: { score: string; comment: string | null } | null;
    fields: { driver?: { name?: string }; vehicle?: { vin?: string; year?: number } };
  };
};

function surveyDesk(retention: { closedTickets?: number; every?: number } = {}) {
  return makePrivacyDesk({
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    policy: { tickets: { survey: { enabled: true } }, retention },
    publicBaseUrl: 'https://help.example.com',
    secrets: {
      pepper: 'test-pepper-of-at-least-32-bytes!',
      encryptionKey: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))),
    },
  });
}

/** Alice files a ticket with fleet fields, it is solved, and she rates it with a comment. */
async function ratedTicketOfAlice(h: PrivacyHarness) {
  const alice = await registerPerson(h, 'alice');
  const { ticket } = await h.desk.tickets.submit({
    auth: await authOf(h as never, alice.accountId),
    content: { organization: 'Acme', subject: 'Van', description: 'Offline.' },
    fields: { driver: { name: 'Alice Kovacs-Nagy' }, vehicle: { vin: VIN, year: 2019 } },
  });
  await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
  h.clock.advance(25 * HOUR);
  await h.desk.runDueTimers();
  const text = (await h.desk.outbox({ limit: 99 })).map((m) => (m.payload as { text?: string }).text ?? '').join();
  const token = decodeURIComponent(/survey\?token=([\w%-]+)/.exec(text)![1]!);
  await h.desk.tickets.rate({ token, score: 'bad', comment: 'I am pregnant and was treated badly' });
  return { alice, ticketId: ticket.id };
}

const contextOf = async (h: PrivacyHarness, ticketId: string) =>
  ((await h.storage.load('ticket', ticketId))!.state as Stored).context;

describe("the requester's rating comment and the host's fields", () => {
  it('are replaced by the pseudonym on erasure; the score and the numbers stay', async () => {
    const h = surveyDesk();
    const { alice, ticketId } = await ratedTicketOfAlice(h);

    const { pseudonym } = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'Art. 17',
    });

    const after = await storeStrings(h.storage as never);
    expect([...hits(after, 'pregnant'), ...hits(after, 'Kovacs-Nagy'), ...hits(after, VIN)]).toEqual([]);
    const context = await contextOf(h, ticketId);
    expect(context.satisfaction).toMatchObject({ score: 'bad', comment: pseudonym });
    expect(context.fields).toEqual({ driver: { name: pseudonym }, vehicle: { vin: pseudonym, year: 2019 } });
  });

  it('are replaced by the pseudonym when a closed ticket is anonymised', async () => {
    const h = surveyDesk({ closedTickets: 90 * DAY, every: 1000 });
    const { ticketId } = await ratedTicketOfAlice(h);
    h.clock.advance(28 * DAY);
    await h.desk.runDueTimers();
    expect(((await h.storage.load('ticket', ticketId))!.state as Stored).value).toBe('closed');
    h.clock.advance(90 * DAY);
    await h.desk.runDueTimers();

    const context = await contextOf(h, ticketId);
    expect(context.requesterId).toMatch(/^erased-user-[0-9a-f]{8}$/);
    expect(context.satisfaction).toMatchObject({ score: 'bad', comment: context.requesterId });
    expect(context.fields).toEqual({
      driver: { name: context.requesterId },
      vehicle: { vin: context.requesterId, year: 2019 },
    });
    const ticketText = JSON.stringify([
      await h.storage.load('ticket', ticketId),
      await h.storage.history('ticket', ticketId),
    ]);
    for (const trace of ['pregnant', 'Kovacs-Nagy', VIN]) expect(ticketText, trace).not.toContain(trace);
  });
});
