// The nodemailer mailer against a real SMTP server (smtp-server on 127.0.0.1, a random port):
// the sender conformance suite, checked on the mail the server received.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodemailerMailer } from '../../src/nodemailer/index.js';
import type { ReceivedDelivery } from '../../src/testing/sender-conformance.js';
import { mailerConformanceCases } from '../../src/testing/sender-conformance.js';
import { makeDesk, ticketInput } from '../helpers.js';
import { receivedMail } from './nodemailer-received-mail.js';

const received: Array<ReceivedDelivery & { raw: string; envelopeFrom: string }> = [];

// The sender address tells the server how to answer, so one server plays every provider.
const refusals: Record<string, { message: string; responseCode: number }> = {
  'busy@helpdesk.test': { message: 'Mailbox busy, try again later', responseCode: 451 },
  'banned@helpdesk.test': { message: 'Sender rejected by policy', responseCode: 550 },
};

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onMailFrom(address, _session, callback) {
    const refusal = refusals[address.address];
    if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1'); // bytes as they came; the parser decodes UTF-8
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      for (const rcpt of session.envelope.rcptTo)
        received.push({ ...receivedMail(rcpt.address, raw), raw, envelopeFrom });
      callback();
    });
  },
});

let port = 0;
let closedPort = 0;

/** A port nothing listens on: bound once by the OS, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as { port: number }).port;
  closedPort = await freePort();
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const transportTo = (targetPort: number) =>
  nodemailer.createTransport({
    host: '127.0.0.1',
    port: targetPort,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 2_000,
  });
const mailerFrom = (from: string, targetPort = port) =>
  createNodemailerMailer({ transport: transportTo(targetPort), from: `Helpdesk <${from}>` });

describe('nodemailer mailer conformance: smtp-server on 127.0.0.1', () => {
  const cases = mailerConformanceCases({
    create: () => mailerFrom('help@helpdesk.test'),
    received: () => received,
    failing: {
      transient: () => mailerFrom('busy@helpdesk.test'),
      permanent: () => mailerFrom('banned@helpdesk.test'),
      unreachable: () => mailerFrom('help@helpdesk.test', closedPort),
    },
  });
  for (const c of cases) it(c.name, c.run);
});

describe('nodemailer mailer on a real SMTP server', () => {
  it('sends from the configured address with the Message-ID derived from the key, on the domain of from', async () => {
    const to = `derived-${Date.now()}@example.test`;
    const mailer = createNodemailerMailer({
      transport: transportTo(port),
      from: 'Helpdesk <help@helpdesk.test>',
      replyTo: 'support@helpdesk.test',
      headers: { 'X-Tenant': 'acme' },
    });
    await mailer.send(
      { to, subject: 'Hi', text: 'Hello', template: 't', locale: 'hu' },
      { idempotencyKey: 'outbox-1', attempt: 1 },
    );
    const mail = received.find((m) => m.to === to)!;
    expect(mail.envelopeFrom).toBe('help@helpdesk.test');
    // SHA-256 of the key (checked with node:crypto), so any process derives the same id for one outbox message
    const digest = createHash('sha256').update('outbox-1').digest('hex');
    expect(mail.dedupeKey).toBe(`<${digest}@helpdesk.test>`);
    expect(mail.raw).toMatch(/^Reply-To: support@helpdesk\.test\r$/m);
    expect(mail.raw).toMatch(/^X-Tenant: acme\r$/m);
    expect(mail.raw).toMatch(/^Content-Language: hu\r$/m);
    expect(mail.raw).not.toContain('outbox-1');
  });
});

describe('nodemailer mailer behind a helpdesk', () => {
  it('delivers the ticket confirmation from the outbox to the SMTP server, with the ticket number', async () => {
    const email = `requester-${Date.now()}@example.test`;
    const { desk } = makeDesk({ mailer: mailerFrom('help@helpdesk.test') });
    const { ticket } = await desk.tickets.submit(ticketInput({ requester: { id: 'cust-smtp', email } }));
    const result = await desk.dispatchOutbox();
    expect(result).toMatchObject({ delivered: 1, failed: 0, dead: 0 });
    const mails = received.filter((m) => m.to === email);
    expect(mails).toHaveLength(1);
    expect(`${mails[0]!.subject}\n${mails[0]!.text}`).toContain(String(ticket.number));
  });

  it('leaves a mail the server refused for now in the outbox, with a retryable reason', async () => {
    const email = `later-${Date.now()}@example.test`;
    const { desk } = makeDesk({ mailer: mailerFrom('busy@helpdesk.test') });
    await desk.tickets.submit(ticketInput({ requester: { id: 'cust-busy', email } }));
    expect(await desk.dispatchOutbox()).toMatchObject({ delivered: 0, failed: 1 });
    const [pending] = await desk.outbox({ status: 'pending' });
    expect(pending?.lastError).toMatch(/retryable \(SMTP 451\)/);
    expect(received.filter((m) => m.to === email)).toEqual([]);
  });
});
