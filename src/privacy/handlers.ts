import type { Json } from '../ports/json.js';
import { mapStrings } from './redact-strings.js';

type JsonObject = { [key: string]: Json };

/** How to find records of a kind by one identifier: an exact-match index query, or a record id. */
export type RecordLookup = { where: Readonly<Record<string, string>> } | { id: string };

/** Records of another kind found by one lookup: an exact-match index query, or a record id. */
export interface DependentRecords {
  kind: string;
  lookup: RecordLookup;
}

/**
 * How one record kind holds personal data. Each kind registers one handler; adding a kind that
 * stores people's data is one entry in `DEFAULT_PERSONAL_DATA_HANDLERS` (or in the
 * `handlers` option of the privacy service).
 */
export interface PersonalDataHandler {
  /** The record kind, e.g. `ticket`. */
  kind: string;
  /**
   * Must return every identifier of a person this record concerns (account ids, emails, phone
   * numbers, logins), as stored: unique keys only, never a display name or a username that is
   * not a whole login (erasure deletes or redacts any record naming them). Matching ignores case. Each must appear (ignoring case) in the
   * record's state or id: a store's filtered scan (`MentionScan`) finds the record by that text.
   */
  subjectsOf(state: Json, id: string): string[];
  /**
   * Must return the state with the subject's personal data (names, addresses, numbers, free text)
   * replaced by `pseudonym`, keeping numbers, statuses, times and structure. Must be pure and
   * idempotent. The strings it removes are also hunted down in every other record, history
   * entry, outbox message and event of the store.
   */
  redact(state: Json, pseudonym: string): Json;
  /** `delete` when the record exists only for its subject (an account, a login flow). Default `redact`. */
  onErase?: 'delete' | 'redact';
  /**
   * The index queries (or record ids) that find every record of this kind the identifier
   * (lower-cased, as erasure holds it) concerns, so erasure reads the subject's records, not the
   * store. Must miss none the handler's `subjectsOf` would name. Absent: the kind is read whole.
   */
  lookups?(identifier: string): RecordLookup[];
  /** The attachment metadata the record holds, handed to the host to delete the files. Default none. */
  attachmentsOf?(state: Json): Json[];
  /**
   * The records of other kinds that exist only for this record and act as its subject without
   * naming them (a guest link, a survey link of their ticket: a token's HMAC and the ticket's id).
   * Erasure deletes them before it redacts or deletes the record, so each such link then answers
   * as one never issued. Default none.
   */
  dependentsOf?(state: Json, id: string): DependentRecords[];
}

const asObject = (value: Json | undefined): JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
const strings = (...values: Array<Json | undefined>): string[] =>
  values.filter((value): value is string => typeof value === 'string' && value.length > 0);

/** Replaces the named string fields (when present and not null) by `pseudonym`. */
function replaceFields(object: JsonObject, fields: readonly string[], pseudonym: string): JsonObject {
  const out: JsonObject = { ...object };
  for (const field of fields) if (typeof out[field] === 'string') out[field] = pseudonym;
  return out;
}

/** Every string inside `value` replaced by `pseudonym` (free text the subject wrote). */
const replaceAllStrings = (value: Json, pseudonym: string): Json => mapStrings(() => pseudonym)(value);

const ACCOUNT_PERSONAL_FIELDS = ['username', 'login', 'email', 'phone', 'displayName'] as const;
/**
 * The account's unique keys. Not the display name (people share names) nor the bare username (two
 * business users are both `bob`: `bob@acme`, `bob@globex`): those are only redacted as texts in
 * the subject's own records. A personal account's login is its username, unique among logins.
 */
const ACCOUNT_KEY_FIELDS = ['id', 'login', 'email', 'phone'] as const;
const ACCOUNT_SECRET_FIELDS = ['passwordHash', 'temporaryPasswordHash'] as const;

/** `account`: deleted on erasure (login becomes impossible); its unique keys are the subject's identifiers. */
export const accountHandler: PersonalDataHandler = {
  kind: 'account',
  subjectsOf: (state) => {
    const account = asObject(state);
    return strings(...ACCOUNT_KEY_FIELDS.map((field) => account[field]));
  },
  redact: (state, pseudonym) => {
    const out = replaceFields(asObject(state), ACCOUNT_PERSONAL_FIELDS, pseudonym);
    for (const field of ACCOUNT_SECRET_FIELDS) if (field in out) out[field] = null;
    return out;
  },
  onErase: 'delete',
  lookups: (identifier): RecordLookup[] => [
    { id: identifier },
    { where: { email: identifier } },
    { where: { phone: identifier } },
  ],
};

const TICKET_REQUESTER_PREFIXES = ['', 'contact:', 'phone:'] as const;

/**
 * The links that act as a ticket's requester, stored by the ticket's id (index `ticket`): the
 * guest link of a contact-form ticket (`ticket-guest-access`, src/tickets/guest-access.ts) and the
 * survey's rating links (`ticket-survey`, src/tickets/survey.ts). Named here, not imported: the
 * privacy module stays out of the ticket module's bundle chunk.
 */
const TICKET_LINK_KINDS = ['ticket-guest-access', 'ticket-survey'] as const;

/**
 * `ticket`: the requester's address and what they filed become the pseudonym (the title, every
 * string of the content and of the host's `fields`, and the comment of their rating); number,
 * status, SLA, the rating's score and the numbers inside content and fields stay. The host's
 * fields are the requester's facts as content is (the default fleet fields: a driver's name, a
 * VIN), and the library cannot tell which of a host's strings are personal.
 */
export const ticketHandler: PersonalDataHandler = {
  kind: 'ticket',
  subjectsOf: (state) => {
    const context = asObject(asObject(state)['context']);
    const requesterId = typeof context['requesterId'] === 'string' ? context['requesterId'] : '';
    return strings(requesterId, requesterId.replace(/^(contact|phone):/, ''), context['requesterEmail']);
  },
  redact: (state, pseudonym) => {
    const snapshot = asObject(state);
    const context = asObject(snapshot['context']);
    const satisfaction = context['satisfaction'];
    return {
      ...snapshot,
      context: {
        ...replaceFields(context, ['requesterId', 'requesterEmail', 'requesterName', 'title'], pseudonym),
        content: replaceAllStrings(context['content'] ?? {}, pseudonym),
        ...('fields' in context ? { fields: replaceAllStrings(context['fields'] ?? {}, pseudonym) } : {}),
        ...(satisfaction !== undefined && satisfaction !== null
          ? { satisfaction: replaceFields(asObject(satisfaction), ['comment'], pseudonym) }
          : {}),
      },
    };
  },
  // The `requester` index holds the requester id (an account id, `contact:<email>`, `phone:<number>`,
  // or the host's own id); `requesterEmail` the address, lower-cased: a requester the host filed
  // under its own id (`{ id: 'cust-1', email }`) is found by the address, and so learns the id.
  lookups: (identifier) => [
    ...TICKET_REQUESTER_PREFIXES.map((prefix) => ({ where: { requester: `${prefix}${identifier}` } })),
    ...(identifier.includes('@') && !/^(contact|phone):/.test(identifier)
      ? [{ where: { requesterEmail: identifier.toLowerCase() } }]
      : []),
  ],
  attachmentsOf: (state) => {
    const content = asObject(asObject(asObject(state)['context'])['content']);
    return Array.isArray(content['attachments']) ? content['attachments'] : [];
  },
  // Erased, the requester's guest and survey links go: they would still open the ticket, list it,
  // and write their replies and rating comment onto it under the pseudonym.
  dependentsOf: (_state, id) => TICKET_LINK_KINDS.map((kind) => ({ kind, lookup: { where: { ticket: id } } })),
};

/** `recovery_case`: requester's address, name, login and evidence texts become the pseudonym. */
export const recoveryCaseHandler: PersonalDataHandler = {
  kind: 'recovery_case',
  subjectsOf: (state) => {
    const context = asObject(asObject(state)['context']);
    return strings(context['accountId'], context['requesterEmail'], context['login']);
  },
  redact: (state, pseudonym) => {
    const snapshot = asObject(state);
    const context = asObject(snapshot['context']);
    const evidence = Array.isArray(context['evidence']) ? context['evidence'] : [];
    return {
      ...snapshot,
      context: {
        ...replaceFields(context, ['requesterEmail', 'requesterName', 'login'], pseudonym),
        evidence: evidence.map((item) => {
          const entry = asObject(item);
          const attachments = Array.isArray(entry['attachments']) ? entry['attachments'] : [];
          return {
            ...replaceFields(entry, ['description'], pseudonym),
            attachments: attachments.map((file) => replaceFields(asObject(file), ['name'], pseudonym)),
          };
        }),
      },
    };
  },
  attachmentsOf: (state) => {
    const evidence = asObject(asObject(state)['context'])['evidence'];
    return (Array.isArray(evidence) ? evidence : []).flatMap((item) => {
      const attachments = asObject(item)['attachments'];
      return Array.isArray(attachments) ? attachments : [];
    });
  },
};

/** A kind that exists only for one account (`accountId` in its state or context): deleted on erasure. */
export function accountOwnedHandler(
  kind: string,
  fields: readonly string[] = ['accountId'],
  /** The index key holding the account id, when the kind has one covering every field. */
  index?: string,
): PersonalDataHandler {
  return {
    ...(index !== undefined ? { lookups: (identifier: string) => [{ where: { [index]: identifier } }] } : {}),
    kind,
    subjectsOf: (state) => {
      const snapshot = asObject(state);
      const context = asObject(snapshot['context']);
      return strings(...fields.flatMap((field) => [snapshot[field], context[field]]));
    },
    redact: (state) => state,
    onErase: 'delete',
  };
}

/** `ticket-message`: a message the subject wrote; its body and attachment names become the pseudonym. */
export const ticketMessageHandler: PersonalDataHandler = {
  kind: 'ticket-message',
  subjectsOf: (state) => {
    const author = asObject(asObject(state)['author']);
    const id = typeof author['id'] === 'string' ? author['id'] : '';
    return strings(id, id.replace(/^(contact|phone):/, ''), author['email']);
  },
  redact: (state, pseudonym) => {
    const message = asObject(state);
    const attachments = Array.isArray(message['attachments']) ? message['attachments'] : [];
    return {
      ...message,
      author: replaceFields(asObject(message['author']), ['id', 'email', 'name'], pseudonym),
      body: pseudonym,
      attachments: attachments.map((file) => replaceFields(asObject(file), ['name'], pseudonym)),
    };
  },
  attachmentsOf: (state) => {
    const attachments = asObject(state)['attachments'];
    return Array.isArray(attachments) ? attachments : [];
  },
};

/** `session`: exists only for its principal (an account or a phone number): deleted on erasure. */
export const sessionHandler: PersonalDataHandler = {
  kind: 'session',
  subjectsOf: (state) => {
    const principal = asObject(asObject(asObject(state)['context'])['principal']);
    return strings(principal['accountId'], principal['login'], principal['phone']);
  },
  redact: (state) => state,
  onErase: 'delete',
  // Sessions are indexed by their subject key (src/sessions/session-record.ts).
  lookups: (identifier) => [
    { where: { subject: `account:${identifier}` } },
    { where: { subject: `phone:${identifier}` } },
  ],
};

/** `account_factors`: the account's second factors; their addresses are the subject's too. Deleted. */
export const factorSetHandler: PersonalDataHandler = {
  kind: 'account_factors',
  subjectsOf: (state) => {
    const set = asObject(state);
    const factors = Array.isArray(set['factors']) ? set['factors'] : [];
    return strings(set['accountId'], set['pendingEmail'], ...factors.map((factor) => asObject(factor)['address']));
  },
  redact: (state) => state,
  onErase: 'delete',
  // Stored under the account id; its other addresses are found from there.
  lookups: (identifier) => [{ id: identifier }],
};

/**
 * The handlers of the record kinds that hold personal data. Records whose id names the subject
 * (login and email claims, rate windows, lockouts) need no handler: erasure deletes them.
 */
export const DEFAULT_PERSONAL_DATA_HANDLERS: readonly PersonalDataHandler[] = [
  accountHandler,
  ticketHandler,
  recoveryCaseHandler,
  accountOwnedHandler('login_flow', ['accountId', 'phone']),
  accountOwnedHandler('link_token', ['accountId'], 'account'),
  ticketMessageHandler,
  sessionHandler,
  factorSetHandler,
  accountOwnedHandler('remembered_device', ['accountId'], 'accountId'),
];

/** Handlers by kind. Must be given at most one handler per kind. */
export function personalDataRegistry(
  handlers: readonly PersonalDataHandler[],
): ReadonlyMap<string, PersonalDataHandler> {
  const registry = new Map<string, PersonalDataHandler>();
  for (const handler of handlers) {
    if (registry.has(handler.kind)) throw new Error(`Two personal-data handlers for kind "${handler.kind}".`);
    registry.set(handler.kind, handler);
  }
  return registry;
}
