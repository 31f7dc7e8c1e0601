// Reads a raw RFC 5322 mail as the SMTP server received it: the headers the conformance suite
// compares, and the text body with its transfer encoding undone. Enough for the single-part,
// text/plain mails the nodemailer mailer sends; not a general MIME parser.
import type { ReceivedDelivery } from '../../src/testing/sender-conformance.js';

const decoder = new TextDecoder();

function bytesOfQuotedPrintable(text: string, underscoreIsSpace: boolean): Uint8Array {
  const bytes: number[] = [];
  const unfolded = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < unfolded.length; i++) {
    const char = unfolded[i]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(unfolded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(unfolded.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '_' && underscoreIsSpace) bytes.push(0x20);
    else bytes.push(...new TextEncoder().encode(char));
  }
  return new Uint8Array(bytes);
}

/** Undoes RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between adjacent encoded words is not part of the text
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? decoder.decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)))
        : decoder.decode(bytesOfQuotedPrintable(data, true)),
    );
}

/** The headers (lower-case names, folded lines joined) and the decoded text body of a raw mail. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decoder.decode(bytesOfQuotedPrintable(body, false))
      : encoding === 'base64'
        ? decoder.decode(Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0)))
        : body;
  return { headers, text };
}

/** A received mail as the conformance suite reads it. */
export function receivedMail(to: string, raw: string): ReceivedDelivery {
  const { headers, text } = parseMail(raw);
  return {
    to,
    text,
    subject: decodeHeader(headers.get('subject') ?? ''),
    dedupeKey: headers.get('message-id') ?? '',
  };
}
