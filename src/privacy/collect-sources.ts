import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import type { PersonalDataHandler, RecordLookup } from './handlers.js';

/**
 * Where the collect phase of an erasure stands: the sources it finished (by key), and the page
 * cursor inside the current one. Sources are derived from the identifiers known so far, so an
 * identifier found late adds sources and they are read too.
 */
export interface CollectCursor {
  part: 'collect';
  done: string[];
  /** Key of the source being paged and the last id of its previous full page. */
  current: string | null;
  after: string | null;
}

/** The start of an indexed collect pass. */
export const COLLECT_START: CollectCursor = { part: 'collect', done: [], current: null, after: null };

/** One place to read: a record by id, the records of a kind matching an index, or a whole kind. */
export interface CollectSource {
  key: string;
  kind: string;
  lookup: RecordLookup;
}

/**
 * The sources that find every record concerning `identifiers`, kind by kind: a handler's
 * `lookups` where it has them (an index or an id: cost in proportion to the subject), else the
 * whole kind (one page at a time). Deterministic for a given handler list and identifiers.
 */
export function collectSources(
  handlers: Iterable<PersonalDataHandler>,
  identifiers: readonly string[],
): CollectSource[] {
  const sources = new Map<string, CollectSource>();
  for (const handler of handlers) {
    if (!handler.lookups) {
      sources.set(`${handler.kind}|*`, { key: `${handler.kind}|*`, kind: handler.kind, lookup: { where: {} } });
      continue;
    }
    for (const identifier of identifiers) {
      for (const lookup of handler.lookups(identifier)) {
        const key = `${handler.kind}|${JSON.stringify(lookup)}`;
        sources.set(key, { key, kind: handler.kind, lookup });
      }
    }
  }
  return [...sources.values()];
}

/** One page of a source, at most `limit` records in id order after `after`. */
export async function readSource(
  storage: Storage,
  source: CollectSource,
  after: string | null,
  limit: number,
): Promise<StoredRecord[]> {
  if ('id' in source.lookup) {
    if (after !== null) return [];
    const record = await storage.load(source.kind, source.lookup.id);
    return record ? [record] : [];
  }
  return storage.list(source.kind, { where: source.lookup.where, limit, ...(after !== null ? { after } : {}) });
}
