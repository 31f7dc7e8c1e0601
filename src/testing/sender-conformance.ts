import type { DeliveryContext, Mailer, MailMessage } from '../ports/mailer.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { ConformanceCase } from './_conformance-kit.js';

// The contract every Mailer and SmsSender is held to, checked from the provider's side: what the
// SMTP server or the HTTP endpoint really received, not what the sender reports.

/** One delivery as the provider received it, read by the target from the provider's side. */
export interface ReceivedDelivery {
  /** The recipient the provider saw (SMTP `RCPT TO`, the JSON `to`). */
  to: string;
  /** The text as received, decoded (quoted-printable or base64 undone). */
  text: string;
  /** The subject, for mail. Default: not checked. */
  subject?: string;
  /**
   * What the provider can deduplicate by: the `Message-ID` of a mail, the `Idempotency-Key` header
   * of an SMS request. Must be the same for every attempt of one message and differ between messages.
   */
  dedupeKey: string;
}

/** How the suite gets senders and reads what their provider received. */
export interface SenderConformanceTarget<S> {
  /** Must return a sender whose provider accepts every message. May share one provider between cases. */
  create: () => S | Promise<S>;
  /**
   * Must return every delivery the provider has received so far, from any sender of this target.
   * The suite uses fresh recipients per case and filters by them.
   */
  received: () => ReceivedDelivery[] | Promise<ReceivedDelivery[]>;
  /**
   * Senders whose provider fails in a known way; each case runs only when its factory is given.
   * `transient`: the provider answers with a temporary refusal (SMTP 4xx, HTTP 429/503).
   * `permanent`: it answers with a final refusal (SMTP 5xx, HTTP 400). `unreachable`: nothing
   * listens at the address.
   */
  failing?: {
    /** Must return a sender whose provider refuses for now; absent: the case is skipped. */
    transient?: () => S | Promise<S>;
    /** Must return a sender whose provider refuses for good; absent: the case is skipped. */
    permanent?: () => S | Promise<S>;
    /** Must return a sender pointed at an address where nothing listens; absent: the case is skipped. */
    unreachable?: () => S | Promise<S>;
  };
  /**
   * Reads whether a thrown failure is worth retrying. Default: the error's boolean `retryable`
   * field (as `MailDeliveryError` and `SmsDeliveryError` carry it).
   */
  isRetryable?: (error: unknown) => boolean | undefined;
  /** Called once per case, after it. */
  dispose?: () => void | Promise<void>;
}

class SenderConformanceFailure extends Error {
  override readonly name = 'SenderConformanceFailure';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SenderConformanceFailure(message);
}

let counter = 0;
// Unique per case and per run, so a provider shared between cases (or runs) keeps them apart.
const runTag = Date.now().toString(36);
function nextTag(): string {
  counter++;
  return `${runTag}${counter.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

/** What differs between a mail and an SMS for the suite. */
interface Channel<M> {
  /** The sender as the case names read it: `a mailer`, `an SMS sender`. */
  kind: 'a mailer' | 'an SMS sender';
  recipient: (tag: string) => string;
  message: (to: string, text: string, subject: string) => M;
}

const mailChannel: Channel<MailMessage> = {
  kind: 'a mailer',
  recipient: (tag) => `sc-${tag}@example.test`,
  message: (to, text, subject) => ({ to, subject, text, template: 'conformance.sample', locale: 'en' }),
};

let smsSerial = 0;
const smsChannel: Channel<SmsMessage> = {
  kind: 'an SMS sender',
  // A Hungarian mobile number in E.164: a serial keeps cases of one run apart, random digits runs.
  recipient: () => {
    smsSerial++;
    const serial = (smsSerial % 1000).toString().padStart(3, '0');
    const random = Math.floor(Math.random() * 10_000)
      .toString()
      .padStart(4, '0');
    return `+3630${serial}${random}`;
  },
  message: (to, text) => ({ to, text, template: 'conformance.sample', locale: 'en' }),
};

// Line endings and the final newline are the transport's business, not the text's.
const normalise = (text: string) => text.replace(/\r\n/g, '\n').replace(/\s+$/, '');

const defaultIsRetryable = (error: unknown): boolean | undefined => {
  const value = (error as { retryable?: unknown } | null)?.retryable;
  return typeof value === 'boolean' ? value : undefined;
};

function casesFor<M, S extends { send(message: M, context: DeliveryContext): Promise<void> | void }>(
  channel: Channel<M>,
  target: SenderConformanceTarget<S>,
): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const isRetryable = target.isRetryable ?? defaultIsRetryable;

  const add = (name: string, body: (tag: string) => Promise<void>) =>
    cases.push({
      name,
      run: async () => {
        try {
          await body(nextTag());
        } finally {
          await target.dispose?.();
        }
      },
    });

  async function receivedBy(to: string): Promise<ReceivedDelivery[]> {
    return (await target.received()).filter((delivery) => delivery.to === to);
  }

  add(`${channel.kind} delivers a message to its recipient with its text`, async (tag) => {
    const sender = await target.create();
    const to = channel.recipient(tag);
    const text = `Your ticket #${tag.length}042 was received.\nWe answer within one working day.`;
    await sender.send(channel.message(to, text, `[#1042] Ticket received`), { idempotencyKey: `k-${tag}`, attempt: 1 });
    const got = await receivedBy(to);
    check(got.length === 1, `expected one delivery to ${to}, the provider received ${got.length}`);
    check(
      normalise(got[0]!.text) === normalise(text),
      `text: expected ${JSON.stringify(text)}, got ${JSON.stringify(got[0]!.text)}`,
    );
    if (got[0]!.subject !== undefined) {
      check(got[0]!.subject === '[#1042] Ticket received', `subject: got ${JSON.stringify(got[0]!.subject)}`);
    }
  });

  add(`${channel.kind} delivers Hungarian, Greek and Dutch text unchanged`, async (tag) => {
    const sender = await target.create();
    const to = channel.recipient(tag);
    const text = 'Kedves Éva, a kód: 483920. Αγαπητή Ελένη, ο κωδικός. Één keer geldig — ő ű.';
    await sender.send(channel.message(to, text, 'Belépési kód — κωδικός'), { idempotencyKey: `k-${tag}`, attempt: 1 });
    const got = await receivedBy(to);
    check(got.length === 1, `expected one delivery to ${to}, the provider received ${got.length}`);
    check(
      normalise(got[0]!.text) === text,
      `text: expected ${JSON.stringify(text)}, got ${JSON.stringify(got[0]!.text)}`,
    );
    if (got[0]!.subject !== undefined) {
      check(got[0]!.subject === 'Belépési kód — κωδικός', `subject: got ${JSON.stringify(got[0]!.subject)}`);
    }
  });

  add(`${channel.kind} marks every attempt of one message with the same dedupe key`, async (tag) => {
    const sender = await target.create();
    const to = channel.recipient(tag);
    const message = channel.message(to, 'Your code is 112233.', 'Code');
    await sender.send(message, { idempotencyKey: `k-${tag}`, attempt: 1 });
    await sender.send(message, { idempotencyKey: `k-${tag}`, attempt: 2 });
    const got = await receivedBy(to);
    // A provider that honours the key may drop the second attempt; one that does not shows both.
    check(got.length === 1 || got.length === 2, `expected one or two deliveries, the provider received ${got.length}`);
    const keys = new Set(got.map((delivery) => delivery.dedupeKey));
    check(keys.size === 1, `both attempts must carry one dedupe key, got ${[...keys].join(', ')}`);
    check([...keys][0]!.length > 0, 'the dedupe key must not be empty');
  });

  add(`${channel.kind} gives two messages to one recipient different dedupe keys`, async (tag) => {
    const sender = await target.create();
    const to = channel.recipient(tag);
    await sender.send(channel.message(to, 'First.', 'One'), { idempotencyKey: `k-${tag}-1`, attempt: 1 });
    await sender.send(channel.message(to, 'Second.', 'Two'), { idempotencyKey: `k-${tag}-2`, attempt: 1 });
    const got = await receivedBy(to);
    check(got.length === 2, `expected two deliveries, the provider received ${got.length}`);
    check(got[0]!.dedupeKey !== got[1]!.dedupeKey, `two messages share the dedupe key ${got[0]!.dedupeKey}`);
  });

  const failures: Array<[keyof NonNullable<SenderConformanceTarget<S>['failing']>, string, boolean]> = [
    ['transient', 'a temporary refusal of the provider', true],
    ['permanent', 'a final refusal of the provider', false],
    ['unreachable', 'an unreachable provider', true],
  ];
  for (const [which, what, retryable] of failures) {
    const create = target.failing?.[which];
    if (!create) continue; // an optional capability of the target: the case is skipped by omission
    add(`${channel.kind} throws a ${retryable ? 'retryable' : 'permanent'} failure on ${what}`, async (tag) => {
      const sender = await create();
      const to = channel.recipient(tag);
      let thrown: unknown = undefined;
      let threw = false;
      try {
        await sender.send(channel.message(to, 'Not delivered.', 'Failure'), { idempotencyKey: `k-${tag}`, attempt: 1 });
      } catch (error) {
        threw = true;
        thrown = error;
      }
      check(threw, `send must throw on ${what}, so the dispatcher retries or gives up`);
      check(thrown instanceof Error, 'the failure must be an Error: the dispatcher stores its message');
      const classified = isRetryable(thrown);
      check(
        classified === retryable,
        `the failure must be classified ${retryable ? 'retryable' : 'permanent'}, got ${String(classified)} (${thrown.message})`,
      );
    });
  }
  return cases;
}

/**
 * The conformance cases of a {@link Mailer}: it delivers to the recipient with subject and text,
 * UTF-8 intact; every attempt of one message carries the same dedupe key (the Message-ID) and two
 * messages different ones; failures throw an `Error` classified retryable (temporary refusal,
 * unreachable server) or permanent (final refusal). Run each case with your test runner:
 * `for (const c of mailerConformanceCases(target)) it(c.name, c.run)`.
 */
export function mailerConformanceCases(target: SenderConformanceTarget<Mailer>): ConformanceCase[] {
  return casesFor(mailChannel, target);
}

/**
 * The conformance cases of an {@link SmsSender}, as {@link mailerConformanceCases} for mail: the
 * dedupe key is what the provider can drop a repeated request by (e.g. an `Idempotency-Key` header).
 */
export function smsSenderConformanceCases(target: SenderConformanceTarget<SmsSender>): ConformanceCase[] {
  return casesFor(smsChannel, target);
}
