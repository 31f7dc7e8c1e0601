import { commonErrors } from '../errors.js';
import type { DeliveryContext, Mailer, MailMessage } from '../ports/mailer.js';
import { toMailDeliveryError, MailDeliveryError } from './delivery-error.js';
import { domainOfSender, messageIdFor } from './message-id.js';

/** A sender address as nodemailer takes it. */
export type NodemailerAddress = string | { name: string; address: string };

/** The mail options this adapter hands to `sendMail`. */
export interface NodemailerMail {
  from: NodemailerAddress;
  to: string;
  subject: string;
  text: string;
  /** Derived from the idempotency key: the same for every attempt of one outbox message. */
  messageId: string;
  replyTo?: NodemailerAddress;
  headers: Record<string, string>;
}

/** What `sendMail` resolves with; only the rejected recipients are read. */
export interface NodemailerSentInfo {
  rejected?: ReadonlyArray<string | { address: string }>;
}

/**
 * The part of a nodemailer `Transporter` the adapter uses, as a structural type: any
 * `nodemailer.createTransport(...)` result fits, and the package needs neither nodemailer nor its
 * types at run time or in its declarations.
 */
export interface NodemailerTransport {
  /** Must resolve once the server accepted the mail and reject otherwise (nodemailer does). */
  sendMail(mail: NodemailerMail): Promise<NodemailerSentInfo>;
}

/** Options of {@link createNodemailerMailer}. */
export interface NodemailerMailerOptions {
  /** The transport to send through, e.g. `nodemailer.createTransport({ host, port, auth })`. Required. */
  transport: NodemailerTransport;
  /** The sender, e.g. `'Helpdesk <help@example.com>'`. Required; must contain an address with a domain. */
  from: NodemailerAddress;
  /** Where replies go. Default: none (replies go to `from`). */
  replyTo?: NodemailerAddress;
  /**
   * Extra headers on every mail (e.g. `{ 'X-Mailer-Tenant': 'acme' }`). Default: none. They cannot
   * replace `Message-ID`, which the adapter derives from the idempotency key, nor
   * `Content-Language`, the message's locale.
   */
  headers?: Record<string, string>;
  /** Domain of the derived Message-ID. Default: the domain of `from`. */
  messageIdDomain?: string;
}

/**
 * Creates a {@link Mailer} that sends through a nodemailer transport the host created. The
 * Message-ID is `<sha256(idempotencyKey)@domain>`, so a retried delivery repeats the same id and
 * receivers can drop it. `Content-Language` is the message's locale. A failure throws a
 * {@link MailDeliveryError}: `retryable` is false for a 5xx reply or a message nodemailer cannot
 * build, true for a 4xx reply and for network failures.
 */
export function createNodemailerMailer(options: NodemailerMailerOptions): Mailer {
  const { transport, from, replyTo } = options;
  if (typeof transport?.sendMail !== 'function') {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'transport', expected: 'a nodemailer transport (sendMail)' },
      'Expected a nodemailer transport with sendMail.',
    );
  }
  const domain = options.messageIdDomain ?? (from === undefined ? undefined : domainOfSender(from));
  if (domain === undefined || !/^[A-Za-z0-9.-]+$/.test(domain)) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      {
        field: options.messageIdDomain === undefined ? 'from' : 'messageIdDomain',
        expected: 'an address with an ASCII domain',
      },
      'Expected `from` to be a mail address with a domain (or an ASCII `messageIdDomain`).',
    );
  }
  const fixedHeaders = { ...options.headers };
  // The Message-ID comes from the idempotency key and Content-Language from the message's locale:
  // a host header of either name, in any case, is dropped.
  for (const name of Object.keys(fixedHeaders)) {
    if (['message-id', 'content-language'].includes(name.toLowerCase())) delete fixedHeaders[name];
  }

  return {
    async send(message: MailMessage, context: DeliveryContext): Promise<void> {
      const mail: NodemailerMail = {
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: await messageIdFor(context.idempotencyKey, domain),
        headers: { 'Content-Language': message.locale, ...fixedHeaders },
        ...(replyTo === undefined ? {} : { replyTo }),
      };
      let info: NodemailerSentInfo;
      try {
        info = await transport.sendMail(mail);
      } catch (error) {
        throw toMailDeliveryError(error);
      }
      // A server may accept the transaction yet refuse the only recipient; nodemailer then resolves.
      if (info?.rejected && info.rejected.length > 0) {
        throw new MailDeliveryError(
          'mail not accepted, permanent: the server rejected the recipient',
          false,
          undefined,
        );
      }
    },
  };
}
