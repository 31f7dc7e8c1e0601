// A small nodemailer Mailer for the example. The lead swaps it for `helpdesk-core/nodemailer`
// once that adapter lands; the shape (a transport in, a Mailer out) stays the same.
import type { Transporter } from 'nodemailer';
import type { DeliveryContext, MailMessage, Mailer } from '../../src/index.js';

/** Options of {@link createNodemailerMailer}. */
export interface NodemailerMailerOptions {
  /** The sender address. Must be one the SMTP server accepts. */
  from: string;
  /** Domain of the Message-ID header. Default: the sender's domain. */
  messageIdDomain?: string;
}

/**
 * Sends each outbox mail through a nodemailer transport. The Message-ID is derived from the
 * idempotency key, so a retried send carries the same id and a receiving server can drop it.
 */
export function createNodemailerMailer(transport: Transporter, options: NodemailerMailerOptions): Mailer {
  const domain = options.messageIdDomain ?? options.from.split('@')[1] ?? 'helpdesk.invalid';
  return {
    async send(message: MailMessage, context: DeliveryContext): Promise<void> {
      const key = context.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: `<${key}@${domain}>`,
        headers: { 'X-Helpdesk-Template': message.template, 'Content-Language': message.locale },
      });
    },
  };
}
