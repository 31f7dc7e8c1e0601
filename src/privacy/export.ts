import type { Json } from '../ports/json.js';
import type { PrivacyStore } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
import type { PrivacyExport } from './export-schema.js';
import type { PersonalDataHandler } from './handlers.js';
import { concerns, idNamesSubject, mentions, PRIVACY_KINDS, type ResolvedSubject } from './subject.js';
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
      const history = await ctx.storage.history(record.kind, record.id);
      if (
        concerns(handler, record, identifiers) ||
        idNamesSubject(record.id, identifiers) ||
        mentions(record.state, identifiers)
      ) {
        const { kind, id, version, state, indexes } = record;
        page.records.push({ kind, id, version, state, indexes: { ...indexes }, history });
        page.attachments.push(...(handler?.attachmentsOf?.(state) ?? []));
      } else {
        page.history.push(...history.filter((entry) => mentions([entry.actor, entry.data], identifiers)));
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
      if (!mentions(message.payload, identifiers)) continue;
      const { id, channel, status, availableAt, deliveredAt, payload } = message;
      page.outbox.push({ id, channel, status, availableAt, deliveredAt, payload });
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
          record !== null && (concerns(handler, record, identifiers) || mentions(record.state, identifiers)),
        );
      }
      if (!concerning.get(key) && !mentions([event.subject.id, event.data], identifiers)) continue;
      const { seq, id, type, at, subject, data } = event;
      page.events.push({ seq, id, type, at, subject: { ...subject }, data: data as Json });
    }
    const last = events[events.length - 1];
    next = events.length === limit && last ? { part: 'events', after: last.seq } : { part: 'done' };
  }
  page.next = next.part === 'done' ? null : encodeCursor(next);
  return page;
}
