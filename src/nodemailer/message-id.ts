const encoder = new TextEncoder();

/**
 * The Message-ID of a mail from its idempotency key: `<sha256-hex-of-key@domain>`. Every attempt
 * of one outbox message carries the same id, so a receiving server or mail client that sees a
 * retried delivery can recognise it; the key itself is not disclosed.
 */
export async function messageIdFor(idempotencyKey: string, domain: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(idempotencyKey)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return `<${hex}@${domain}>`;
}

/**
 * The domain of a sender address as nodemailer accepts it (`help@example.com`,
 * `Helpdesk <help@example.com>` or `{ name, address }`); undefined when there is none.
 */
export function domainOfSender(from: string | { name?: string; address: string }): string | undefined {
  const raw = typeof from === 'string' ? from : from.address;
  // The address is between angle brackets when a display name precedes it.
  const address = /<([^<>]*)>\s*$/.exec(raw)?.[1] ?? raw;
  const at = address.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = address.slice(at + 1).trim();
  return /^[A-Za-z0-9.-]+$/.test(domain) && !domain.startsWith('.') && !domain.endsWith('.') ? domain : undefined;
}
