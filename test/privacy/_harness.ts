import { makeDesk } from '../helpers.js';
import type { HelpdeskOptions } from '../../src/helpdesk.js';
import type { PrivacyStore } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const ALICE_PHONE = '+36305550111';
export const agent = { role: 'agent', id: 'agent-anna' } as const;
export const dpo = { role: 'agent', id: 'dpo-1' } as const;

export function makePrivacyDesk(options: Partial<HelpdeskOptions> = {}) {
  const h = makeDesk(options);
  // makeDesk reports its own memory storage; a test that passes one reads that one.
  return { ...h, storage: (options.storage ?? h.storage) as typeof h.storage };
}
export type PrivacyHarness = ReturnType<typeof makePrivacyDesk>;

/** Registers and activates a personal account; returns its id. */
export async function registerPerson(h: PrivacyHarness, username: string, phone?: string) {
  const email = `${username}@example.com`;
  await h.desk.accounts.register({
    username,
    email,
    password: `${username} long passphrase`,
    displayName: `${username[0]!.toUpperCase()}${username.slice(1)} Person`,
    ...(phone ? { phone } : {}),
  });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error(`no activation mail to ${email}`);
  await h.desk.accounts.activate({ token });
  const [record] = await h.storage.list('account', { where: { email }, limit: 1 });
  return { accountId: record!.id, email, username, password: `${username} long passphrase` };
}

/** Files a ticket as `person`; the description is text only they wrote. */
export async function fileTicket(h: PrivacyHarness, person: { accountId: string; email: string }, description: string) {
  return h.desk.tickets.submit({
    requester: { id: person.accountId, email: person.email },
    content: { organization: 'Acme', subject: `Issue of ${person.email}`, description },
  });
}

/** Every string the store holds: record kinds, ids, states, indexes, history, outbox, events. */
export async function storeStrings(storage: Storage & PrivacyStore): Promise<string[]> {
  const out: string[] = [];
  let after: { kind: string; id: string } | null = null;
  for (;;) {
    const page = await storage.scanRecords(after, 200);
    for (const record of page) {
      out.push(record.id, ...strings(record.state), ...strings(record.indexes));
      for (const entry of await storage.history(record.kind, record.id))
        out.push(...strings([entry.actor, entry.data]));
    }
    if (page.length < 200) break;
    after = { kind: page[page.length - 1]!.kind, id: page[page.length - 1]!.id };
  }
  for (const { message } of await storage.scanOutbox(0, 1_000_000)) out.push(...strings(message.payload));
  for (const event of await storage.readEvents({ after: 0, limit: 1_000_000 })) {
    out.push(event.subject.id, ...strings(event.data));
  }
  return out;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}

/** The stored strings that contain `needle`, ignoring case. */
export function hits(all: readonly string[], needle: string): string[] {
  const lower = needle.toLowerCase();
  return all.filter((text) => text.toLowerCase().includes(lower));
}
