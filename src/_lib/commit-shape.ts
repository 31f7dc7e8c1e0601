import { commonErrors } from '../errors.js';
import type { Commit } from '../ports/storage.js';

/**
 * Refuses, with INVALID_INPUT naming the field (e.g. `history[1].id`), a commit whose ids, keys
 * or times are not what the port types say: a string, a finite number, a version that is a
 * non-negative integer. Run before anything is copied or stored, so a refusal changes nothing
 * (a `nextDueAt` of NaN would otherwise be stored and claimed as due, an id of 42 thrown at half
 * way through). The engine never builds such a commit; a host's own commands and adapters might.
 */
export function refuseMalformedCommit(commit: Commit): void {
  lists(commit);
  commit.writes.forEach((w, i) => {
    const at = `writes[${i}]`;
    texts(w, at, 'kind', 'id');
    version(w.expectedVersion, `${at}.expectedVersion`, 0);
    if (w.nextDueAt !== null) time(w.nextDueAt, `${at}.nextDueAt`);
    if (w.indexes !== undefined) {
      if (typeof w.indexes !== 'object' || w.indexes === null) refuse(`${at}.indexes`, 'an object of strings');
      for (const key of Object.keys(w.indexes)) text(w.indexes[key], `${at}.indexes.${key}`);
    }
  });
  commit.history.forEach((h, i) => {
    texts(h, `history[${i}]`, 'kind', 'id', 'type');
    time(h.at, `history[${i}].at`);
  });
  commit.outbox.forEach((m, i) => {
    texts(m, `outbox[${i}]`, 'id', 'channel', 'idempotencyKey');
    time(m.availableAt, `outbox[${i}].availableAt`);
  });
  commit.idempotency.forEach((r, i) => texts(r, `idempotency[${i}]`, 'scope', 'key'));
  (commit.events ?? []).forEach((e, i) => {
    texts(e, `events[${i}]`, 'id', 'type');
    version(e.version, `events[${i}].version`, 1);
    time(e.at, `events[${i}].at`);
    if (typeof e.subject !== 'object' || e.subject === null) refuse(`events[${i}].subject`, 'an object');
    texts(e.subject, `events[${i}].subject`, 'kind', 'id');
  });
  (commit.deletes ?? []).forEach((d, i) => {
    texts(d, `deletes[${i}]`, 'kind', 'id');
    version(d.expectedVersion, `deletes[${i}].expectedVersion`, 0);
  });
}

function lists(commit: Commit): void {
  if (typeof commit !== 'object' || commit === null) refuse('commit', 'an object');
  for (const field of ['writes', 'history', 'outbox', 'idempotency'] as const)
    if (!Array.isArray(commit[field])) refuse(field, 'an array');
  for (const field of ['events', 'deletes'] as const)
    if (commit[field] !== undefined && !Array.isArray(commit[field])) refuse(field, 'an array when given');
}

function texts<T extends object>(item: T, at: string, ...fields: Array<keyof T & string>): void {
  if (typeof item !== 'object' || item === null) refuse(at, 'an object');
  for (const field of fields) text(item[field], `${at}.${field}`);
}

function text(value: unknown, field: string): void {
  if (typeof value !== 'string') refuse(field, 'a string');
}

function time(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) refuse(field, 'a finite number (epoch ms)');
}

function version(value: unknown, field: string, least: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < least) refuse(field, `an integer of at least ${least}`);
}

function refuse(field: string, what: string): never {
  throw commonErrors.raise(
    'INVALID_INPUT',
    { field, reason: 'malformed_commit' },
    `Commit field ${field} must be ${what}.`,
  );
}
