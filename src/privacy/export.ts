import type { Json } from '../ports/json.js';
import type { PrivacyStore } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
import { exportedId, OUTBOX_SECRET_FIELDS, redactSecrets, secretFieldsOf } from './export-redaction.js';
import type { PrivacyExport } from './export-schema.js';
import type { PersonalDataHandler } from './handlers.js';
import { concerns, idNamesSubject, mentions, PRIVACY_KINDS, textKeys, type ResolvedSubject } from './subject.js';
import { encodeCursor, type WalkCursor } from './walk-cursor.js';

/** What an export page needs. */
export interface ExportContext {
  storage: Storage;
  store: PrivacyStore;
  registry: ReadonlyMap<string, PersonalDataHandler>;
  now: number;
}

/** Reads one page (a slice of `limit` records, messages or events) of a subject's export. */
export async function exportPage(
  subject: ResolvedSubject,
  cursor: WalkCursor,
  limit: number,
  ctx: ExportContext,
): Promise<PrivacyExport> {
  const identifiers = new Set(subject.identifiers);
  // Keys decide that a record is the subject's; every identifier (a personal login too) picks texts.
  const keys = new Set(textKeys(subject.identifiers, subject.words));
  const words = new Set(subject.words);
  const page: PrivacyExport = {
    format: 'helpdesk-core/privacy-export@1',
    subject: { accountId: subject.accountId, identifiers: subject.identifiers },
    generatedAt: ctx.now,
    records: [],
    history: [],
    outbox: [],
    events: [],
    attachments: [],
    next: null,
  };
  let next: WalkCursor = { part: 'done' };
  if (cursor.part === 'records') {
    const records = await ctx.store.scanRecords(cursor.after, limit);
    for (const record of records) {
      if (PRIVACY_KINDS.has(record.kind)) continue;
      const handler = ctx.registry.get(record.kind);
      // Support's own notes are not the subject's to read, even on their ticket or naming them.
      if (isInternal(record.state)) continue;
      const history = await ctx.storage.history(record.kind, record.id);
      const { kind, id, version, state, indexes } = record;
      if (concerns(handler, record, identifiers) || idNamesSubject(id, keys, kind, words)) {
        page.records.push({ kind, id, version, state, indexes: { ...indexes }, history });
        page.attachments.push(...(handler?.attachmentsOf?.(state) ?? []));
      } else if (mentions([state, indexes], keys)) {
        // Someone else's record naming the subject whole by a unique key: only the texts that name
        // them. (A bare login is a word: in another's text it may be anyone's, "Anna" or "ticket".)
        const naming = history.filter((entry) => mentions([entry.actor, entry.data], keys));
        page.records.push({
          kind,
          id,
          version,
          state: excerptOf(state, keys) ?? {},
          indexes: (excerptOf(indexes as Json, keys) ?? {}) as Record<string, string>,
          history: naming.map((entry) => entryFor(entry, keys)),
          excerpt: true,
        });
      } else {
        const naming = history.filter((entry) => mentions([entry.actor, entry.data], keys));
        page.history.push(...naming.map((entry) => entryFor(entry, keys)));
      }
    }
    const last = records[records.length - 1];
    next =
      records.length === limit && last
        ? { part: 'records', after: { kind: last.kind, id: last.id } }
        : { part: 'outbox', after: 0 };
  } else if (cursor.part === 'outbox') {
    const messages = await ctx.store.scanOutbox(cursor.after, limit);
    for (const { message } of messages) {
      // A unique key, whole (never a substring, nor a bare login word in another's mail).
      if (!mentions(message.payload, keys)) continue;
      const { id, channel, status, availableAt, deliveredAt, payload } = message;
      // Mail to the subject is theirs; mail to someone else that names them, only the texts that do.
      const to = (payload as { to?: unknown } | null)?.to;
      if (typeof to === 'string' && identifiers.has(to.toLowerCase())) {
        page.outbox.push({ id, channel, status, availableAt, deliveredAt, payload });
      } else {
        const excerpt = excerptOf(payload, keys) ?? {};
        page.outbox.push({ id, channel, status, availableAt, deliveredAt, payload: excerpt, excerpt: true });
      }
    }
    const last = messages[messages.length - 1];
    next = messages.length === limit && last ? { part: 'outbox', after: last.position } : { part: 'events', after: 0 };
  } else if (cursor.part === 'events') {
    const events = await ctx.storage.readEvents({ after: cursor.after, limit });
    const concerning = new Map<string, boolean>();
    for (const event of events) {
      const key = `${event.subject.kind}\u0000${event.subject.id}`;
      if (!concerning.has(key)) {
        const record = await ctx.storage.load(event.subject.kind, event.subject.id);
        const handler = ctx.registry.get(event.subject.kind);
        concerning.set(
          key,
          record !== null &&
            (concerns(handler, record, identifiers) || idNamesSubject(record.id, keys, record.kind, words)),
        );
      }
      if (!concerning.get(key) && !mentions([event.subject.id, event.data], keys)) continue;
      const { seq, id, type, at, subject, data } = event;
      page.events.push({ seq, id, type, at, subject: { ...subject }, data: data as Json });
    }
    const last = events[events.length - 1];
    next = events.length === limit && last ? { part: 'events', after: last.seq } : { part: 'done' };
  }
  page.next = next.part === 'done' ? null : encodeCursor(next);
  return withoutSecrets(page);
}

/**
 * The page as handed out: every stored secret (a password hash, a sealed TOTP secret, a code's or
 * token's MAC, a link token's id) replaced by the marker, by key name and per kind
 * (`export-redaction.ts`). Applied last, to whole records and excerpts alike.
 */
function withoutSecrets(page: PrivacyExport): PrivacyExport {
  const entry = (item: PrivacyExport['history'][number]) => {
    const declared = secretFieldsOf(item.kind);
    return {
      ...item,
      id: exportedId(item.kind, item.id),
      actor: redactSecrets(item.actor, declared),
      data: redactSecrets(item.data, declared),
    };
  };
  return {
    ...page,
    records: page.records.map((record) => {
      const declared = secretFieldsOf(record.kind);
      return {
        ...record,
        id: exportedId(record.kind, record.id),
        state: redactSecrets(record.state, declared),
        indexes: redactSecrets(record.indexes, declared),
        history: record.history.map(entry),
      };
    }),
    history: page.history.map(entry),
    outbox: page.outbox.map((message) => ({
      ...message,
      payload: redactSecrets(message.payload, OUTBOX_SECRET_FIELDS),
    })),
    events: page.events.map((event) => ({
      ...event,
      subject: { ...event.subject, id: exportedId(event.subject.kind, event.subject.id) },
      data: redactSecrets(event.data, secretFieldsOf(event.subject.kind)),
    })),
    attachments: page.attachments.map((attachment) => redactSecrets(attachment)),
  };
}

/** An entry of someone else's record: whole when the subject acted in it, else cut to what names them. */
function entryFor<E extends { actor: Json; data: Json }>(entry: E, keys: ReadonlySet<string>): E {
  const actorId = (entry.actor as { id?: unknown } | null)?.id;
  if (typeof actorId === 'string' && keys.has(actorId.toLowerCase())) return entry;
  return { ...entry, data: excerptOf(entry.data, keys) ?? null };
}

/** A ticket message for support only (`desk.tickets.addNote`): never shown to a requester. */
function isInternal(state: Json): boolean {
  return (state as { visibility?: unknown } | null)?.visibility === 'internal';
}

/**
 * The part of `value` that names the subject: the strings holding one of `identifiers` whole,
 * with the keys and array slots leading to them; undefined when none does.
 */
function excerptOf(value: Json, identifiers: ReadonlySet<string>): Json | undefined {
  if (typeof value === 'string') return mentions(value, identifiers) ? value : undefined;
  if (Array.isArray(value)) {
    const kept = value.map((item) => excerptOf(item, identifiers)).filter((item) => item !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const kept = Object.entries(value).flatMap(([key, item]) => {
      const part = excerptOf(item as Json, identifiers);
      return part === undefined ? [] : [[key, part] as const];
    });
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  }
  return undefined;
}
