/**
 * Issue 15 and issue 13, through createHelpdesk() on memory storage: text that can reach a mail
 * subject, a greeting or a header is one line (line breaks become a space, other controls go);
 * bodies keep their lines; ids, keys and cursors with a control character are refused; and a
 * refused submit draws no ticket number.
 */
import { describe, expect, it } from 'vitest';
import { defaultTicketPolicy } from '../../src/tickets/policy.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';

const firstTicketNumber = defaultTicketPolicy.firstTicketNumber;
const injected = 'Hi\r\nBcc: everyone@victim.example';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('single-line text', () => {
  it('turns CR/LF in a ticket subject into a space, so the mail subject stays one header line', async () => {
    const { desk, mailer } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({ content: { organization: 'Acme', subject: injected, description: 'Printer.' } }),
    );
    expect(ticket.title).toBe('Acme - Hi Bcc: everyone@victim.example');
    await desk.dispatchOutbox();
    expect(mailer.sent.length).toBeGreaterThan(0);
    for (const { message } of mailer.sent) {
      expect(message.subject).not.toMatch(/[\r\n]/);
      expect(message.subject).toContain('Hi Bcc: everyone@victim.example');
    }
  });

  it('makes the organisation, the requester name and short content fields one line without controls', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({
        requester: { id: 'cust-1', email: 'cust@example.test', name: 'Eve\r\nX-Priority: 1' },
        content: {
          organization: 'Acme\u0085Corp',
          subject: 'Tracker\u2028offline',
          description: 'Van 7.',
          location: 'Depot\t3',
          appVersion: '4.2\u0007.1\u009B',
          hardware: { model: 'TT\u001B[31m-100' },
        },
      }),
    );
    const stored = await desk.tickets.get(ticket.id);
    expect(stored.title).toBe('Acme Corp - Tracker offline');
    expect(stored.content).toMatchObject({
      organization: 'Acme Corp',
      subject: 'Tracker offline',
      location: 'Depot 3',
      appVersion: '4.2.1',
      hardware: { model: 'TT[31m-100' },
    });
    expect(JSON.stringify(stored)).not.toContain('X-Priority: 1\\n');
    expect(JSON.stringify(stored)).not.toMatch(/\\r|\\u0085|\\u0007|\\u001b/i);
  });

  it('refuses an organisation that a line break would turn into an ambiguous title', async () => {
    const { desk } = makeDesk();
    const error = await refusal(
      desk.tickets.submit(ticketInput({ content: { organization: 'Acme\n- x', subject: 'S', description: 'D' } })),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps the lines of a description and a reply: CRLF and CR become LF, tabs stay, other controls go', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({
        content: { organization: 'Acme', subject: 'S', description: 'one\r\ntwo\rthree\tcol\u0007umn\u001B' },
      }),
    );
    expect((await desk.tickets.get(ticket.id)).content.description).toBe('one\ntwo\nthree\tcolumn');
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'a\r\nb\u0008c' });
    const history = await desk.tickets.history(ticket.id);
    expect(JSON.stringify(history)).toContain('a\\nbc');
  });
});

describe('identifiers with control characters', () => {
  it('refuses a ticket id, an idempotency key, a requester id and a cursor holding a line break or control', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get', () => desk.tickets.get(`${ticket.id}\r\nx`)],
      ['reply', () => desk.tickets.reply({ ticketId: `${ticket.id}\u0085`, author: agent, body: 'b' })],
      ['submit key', () => desk.tickets.submit(ticketInput({ idempotencyKey: 'form\n1' }))],
      [
        'submit requester',
        () => desk.tickets.submit(ticketInput({ requester: { id: 'c\r1', email: 'c@example.test' } })),
      ],
      ['list filter', () => desk.tickets.list({ requesterId: 'cust\u00001' })],
      ['list cursor', () => desk.tickets.list({ cursor: 'a\u009Fb' })],
    ];
    for (const [what, call] of calls) expect(await refusal(call()), what).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('a refused submit draws no ticket number', () => {
  const spoiled: Array<[string, () => Parameters<ReturnType<typeof makeDesk>['desk']['tickets']['submit']>[0]]> = [
    [
      'a NUL byte in the description',
      () => ticketInput({ content: { organization: 'A', subject: 'S', description: 'd\u0000' } }),
    ],
    ['a lone surrogate in requester.id', () => ticketInput({ requester: { id: 'p\uD800', email: 'p@example.test' } })],
    ['a NUL byte in the idempotency key', () => ticketInput({ idempotencyKey: 'k\u0000' })],
    [
      'a lone surrogate in the subject',
      () => ticketInput({ content: { organization: 'A', subject: '\uDC00', description: 'd' } }),
    ],
    ['a line break in requester.id', () => ticketInput({ requester: { id: 'p\n1', email: 'p@example.test' } })],
  ];
  for (const [what, input] of spoiled) {
    it(`${what}: INVALID_INPUT, and the next good ticket still gets the first number`, async () => {
      const { desk } = makeDesk();
      expect(await refusal(desk.tickets.submit(input()))).toMatchObject({ code: 'INVALID_INPUT' });
      const { ticket } = await desk.tickets.submit(ticketInput());
      expect(ticket.number).toBe(firstTicketNumber);
    });
  }
});

describe('account names', () => {
  it('makes an organisation name and the administrator display name one line without controls', async () => {
    const { desk } = makeDesk();
    const created = await desk.accounts.createOrganization({
      slug: 'globex',
      name: 'Globex\r\nZrt.',
      admin: { email: 'ceo@globex.example', displayName: 'C\r\nE\u0007O' },
    });
    expect(created.organization.name).toBe('Globex Zrt.');
    expect(created.admin.displayName).toBe('C EO');
  });
});
