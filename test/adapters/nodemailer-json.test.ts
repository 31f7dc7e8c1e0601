// The nodemailer mailer on nodemailer's jsonTransport (no server): the conformance suite on the
// message nodemailer built, plus the rules of the adapter that need no network.
import nodemailer, { type Transporter } from 'nodemailer';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import {
  createNodemailerMailer,
  MailDeliveryError,
  type NodemailerMail,
  type NodemailerTransport,
} from '../../src/nodemailer/index.js';
import type { ReceivedDelivery } from '../../src/testing/sender-conformance.js';
import { mailerConformanceCases } from '../../src/testing/sender-conformance.js';

/** A jsonTransport whose built messages are kept, read back as the suite reads deliveries. */
function jsonTransport() {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const built: ReceivedDelivery[] = [];
  const kept: NodemailerTransport = {
    async sendMail(mail) {
      const info = await transport.sendMail(mail);
      const json = JSON.parse(info.message as string) as {
        to: Array<{ address: string }>;
        text: string;
        subject: string;
        messageId: string;
      };
      for (const to of json.to)
        built.push({ to: to.address, text: json.text, subject: json.subject, dedupeKey: json.messageId });
      return info;
    },
  };
  return { transport: kept, built };
}

describe('nodemailer mailer conformance: jsonTransport', () => {
  const { transport, built } = jsonTransport();
  const cases = mailerConformanceCases({
    create: () => createNodemailerMailer({ transport, from: 'help@helpdesk.test' }),
    received: () => built,
  });
  for (const c of cases) it(c.name, c.run);
});

/** A transport that fails as nodemailer's SMTP transport does, with the given fields on the error. */
const failingWith = (fields: Record<string, unknown>): NodemailerTransport => ({
  sendMail: () => Promise.reject(Object.assign(new Error('smtp said no'), fields)),
});

async function failureOf(transport: NodemailerTransport): Promise<MailDeliveryError> {
  const mailer = createNodemailerMailer({ transport, from: 'help@helpdesk.test' });
  const error: unknown = await Promise.resolve(
    mailer.send(
      { to: 'a@example.test', subject: 's', text: 't', template: 't', locale: 'en' },
      { idempotencyKey: 'k', attempt: 1 },
    ),
  ).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MailDeliveryError);
  return error as MailDeliveryError;
}

describe('nodemailer mailer: failures', () => {
  it('treats a 5xx SMTP reply as permanent and keeps the reply code', async () => {
    const error = await failureOf(failingWith({ responseCode: 550, code: 'EENVELOPE' }));
    expect([error.retryable, error.responseCode]).toEqual([false, 550]);
    expect(error.message).toContain('smtp said no');
  });

  it('treats a 4xx SMTP reply as retryable', async () => {
    const error = await failureOf(failingWith({ responseCode: 421, code: 'EPROTOCOL' }));
    expect([error.retryable, error.responseCode]).toEqual([true, 421]);
  });

  it('treats connection, DNS and timeout failures as retryable', async () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ESOCKET', 'ETLS']) {
      expect((await failureOf(failingWith({ code }))).retryable, code).toBe(true);
    }
  });

  it('treats a message nodemailer refuses to build as permanent', async () => {
    expect((await failureOf(failingWith({ code: 'EMESSAGE' }))).retryable).toBe(false);
    expect((await failureOf(failingWith({ code: 'EENVELOPE' }))).retryable).toBe(false);
  });

  it('fails permanently when the server accepted the transaction but rejected the recipient', async () => {
    const error = await failureOf({ sendMail: () => Promise.resolve({ rejected: ['a@example.test'] }) });
    expect(error.retryable).toBe(false);
  });
});

describe('nodemailer mailer: configuration', () => {
  const transport: NodemailerTransport = { sendMail: () => Promise.resolve({}) };

  it('refuses a from without a domain, since the Message-ID needs one', () => {
    for (const from of ['helpdesk', 'Helpdesk <helpdesk>', { name: 'Helpdesk', address: 'x@' }]) {
      let thrown: unknown;
      try {
        createNodemailerMailer({ transport, from });
      } catch (error) {
        thrown = error;
      }
      expect(isHelpdeskError(thrown, 'CONFIGURATION_INVALID'), JSON.stringify(from)).toBe(true);
    }
  });

  it('refuses a missing transport', () => {
    expect(() => createNodemailerMailer({ transport: undefined as never, from: 'a@b.test' })).toThrow(/transport/);
  });

  it('takes the Message-ID domain from messageIdDomain when given, and never lets a header replace it', async () => {
    const sent: NodemailerMail[] = [];
    const mailer = createNodemailerMailer({
      transport: { sendMail: (mail) => (sent.push(mail), Promise.resolve({})) },
      from: { name: 'Helpdesk', address: 'help@helpdesk.test' },
      messageIdDomain: 'mail.helpdesk.test',
      headers: { 'message-id': '<fixed@x>', 'X-Tenant': 'acme' },
    });
    await mailer.send(
      { to: 'a@example.test', subject: 's', text: 't', template: 't', locale: 'nl' },
      { idempotencyKey: 'k', attempt: 1 },
    );
    expect(sent[0]!.messageId).toMatch(/^<[0-9a-f]{64}@mail\.helpdesk\.test>$/);
    expect(sent[0]!.headers).toEqual({ 'Content-Language': 'nl', 'X-Tenant': 'acme' });
  });

  it("keeps Content-Language the message's locale: a host header of any case cannot replace it", async () => {
    const sent: NodemailerMail[] = [];
    const mailer = createNodemailerMailer({
      transport: { sendMail: (mail) => (sent.push(mail), Promise.resolve({})) },
      from: 'help@helpdesk.test',
      headers: { 'content-language': 'en', 'Content-Language': 'en', 'X-Tenant': 'acme' },
    });
    await mailer.send(
      { to: 'a@example.test', subject: 's', text: 't', template: 't', locale: 'hu' },
      { idempotencyKey: 'k', attempt: 1 },
    );
    expect(sent[0]!.headers).toEqual({ 'Content-Language': 'hu', 'X-Tenant': 'acme' });
  });

  it('accepts a transporter from nodemailer.createTransport as its transport type', () => {
    expectTypeOf<Transporter>().toExtend<NodemailerTransport>();
    expectTypeOf<ReturnType<typeof nodemailer.createTransport>>().toExtend<NodemailerTransport>();
  });
});
