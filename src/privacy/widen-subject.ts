import type { Storage } from '../ports/storage.js';
import { collectSources, readSource } from './collect-sources.js';
import type { PersonalDataHandler } from './handlers.js';
import { budgetKeysOf, concerns, otherAccountKeys, type ResolvedSubject } from './subject.js';

/** Records read per page of a lookup. */
const PAGE = 500;
/** Lookup rounds: an identifier found in one round is looked up in the next (as erasure's collect passes). */
const MAX_ROUNDS = 4;

/**
 * The subject with every identifier their records name, found as an erasure's collect finds them
 * through the handlers' index lookups: a requester the host filed under its own id
 * (`{ id: 'cust-1', email }`), asked for by the address, brings `cust-1`, and with it the messages
 * they wrote. Never another account's key ({@link otherAccountKeys}). Kinds without lookups are not
 * read here (export walks them anyway): an identifier only such a record names (a recovery case's
 * private address) is not learned. Reads the subject's records, in proportion to the subject.
 */
export async function widenSubject(
  storage: Storage,
  registry: ReadonlyMap<string, PersonalDataHandler>,
  subject: ResolvedSubject,
): Promise<ResolvedSubject> {
  const identifiers = new Set(subject.identifiers);
  // Index values keep their case: look up the stored forms too (an account id as written).
  const names = new Set([...(subject.accountId !== null ? [subject.accountId] : []), ...subject.identifiers]);
  const othersKey = otherAccountKeys(storage, subject.accountId);
  const indexed = [...registry.values()].filter((handler) => handler.lookups);
  const read = new Set<string>();
  const learned: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const sources = collectSources(indexed, [...names]).filter((source) => !read.has(source.key));
    if (sources.length === 0) break;
    for (const source of sources) {
      read.add(source.key);
      for (let after: string | null = null; ;) {
        const page = await readSource(storage, source, after, PAGE);
        for (const record of page) {
          const handler = registry.get(record.kind);
          if (!concerns(handler, record, identifiers)) continue;
          for (const value of handler!.subjectsOf(record.state, record.id)) {
            if (identifiers.has(value.toLowerCase()) || (await othersKey(value))) continue;
            identifiers.add(value.toLowerCase());
            names.add(value);
            learned.push(value);
          }
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.id;
      }
    }
  }
  // An address learned here spends its mailbox's budget when it has a `+tag`: that window is theirs
  // too. The resolved subject's own addresses already name theirs (resolveSubject).
  for (const key of await budgetKeysOf(learned, othersKey)) identifiers.add(key);
  return { ...subject, identifiers: [...identifiers] };
}

/**
 * Whether some record found through the handlers' index lookups concerns `identifier` (a ticket
 * the host filed under its own requester id): what makes an id that names no account a subject.
 */
export async function namesAnyRecord(
  storage: Storage,
  registry: ReadonlyMap<string, PersonalDataHandler>,
  identifier: string,
): Promise<boolean> {
  const indexed = [...registry.values()].filter((handler) => handler.lookups);
  const identifiers = new Set([identifier.toLowerCase()]);
  for (const source of collectSources(indexed, [identifier])) {
    for (const record of await readSource(storage, source, null, 10)) {
      if (concerns(registry.get(record.kind), record, identifiers)) return true;
    }
  }
  return false;
}
