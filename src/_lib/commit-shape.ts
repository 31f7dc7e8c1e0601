import { commonErrors } from '../errors.js';
import type { Commit } from '../ports/storage.js';

/**
 * Refuses, with INVALID_INPUT naming the field (e.g. `history[1].id`), a commit whose ids, keys
 * or times are not what the port types say: a string, a finite number, a version that is a
 * non-negative integer. Run before anything is copied or stored, so a refusal changes nothing
 * (a `nextDueAt` of NaN would otherwise be stored and claimed as due, an id of 42 thrown at half
 * way through). The engine never builds such a commit; a host's own commands and adapters might.
 * It runs on every commit: the checks allocate nothing, and a field's path is spelled only on refusal.
 */
export function refuseMalformedCommit(commit: Commit): void {
  if (typeof commit !== 'object' || commit === null) refuse('commit', 'an object');
  const { writes, history, outbox, idempotency, events, deletes } = commit;
  if (!Array.isArray(writes)) refuse('writes', 'an array');
  if (!Array.isArray(history)) refuse('history', 'an array');
  if (!Array.isArray(outbox)) refuse('outbox', 'an array');
  if (!Array.isArray(idempotency)) refuse('idempotency', 'an array');
  if (events !== undefined && !Array.isArray(events)) refuse('events', 'an array when given');
  if (deletes !== undefined && !Array.isArray(deletes)) refuse('deletes', 'an array when given');
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    if (!isObject(w)) refuse(`writes[${i}]`, 'an object');
    if (typeof w.kind !== 'string') refuse(`writes[${i}].kind`, STRING);
    if (typeof w.id !== 'string') refuse(`writes[${i}].id`, STRING);
    if (!isVersion(w.expectedVersion, 0)) refuse(`writes[${i}].expectedVersion`, 'an integer of at least 0');
    if (w.nextDueAt !== null && !isTime(w.nextDueAt)) refuse(`writes[${i}].nextDueAt`, TIME);
    const indexes = w.indexes;
    if (indexes === undefined) continue;
    if (!isObject(indexes)) refuse(`writes[${i}].indexes`, 'an object of strings');
    for (const key in indexes) if (typeof indexes[key] !== 'string') refuse(`writes[${i}].indexes.${key}`, STRING);
  }
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    if (!isObject(h)) refuse(`history[${i}]`, 'an object');
    if (typeof h.kind !== 'string') refuse(`history[${i}].kind`, STRING);
    if (typeof h.id !== 'string') refuse(`history[${i}].id`, STRING);
    if (typeof h.type !== 'string') refuse(`history[${i}].type`, STRING);
    if (!isTime(h.at)) refuse(`history[${i}].at`, TIME);
  }
  for (let i = 0; i < outbox.length; i++) {
    const m = outbox[i]!;
    if (!isObject(m)) refuse(`outbox[${i}]`, 'an object');
    if (typeof m.id !== 'string') refuse(`outbox[${i}].id`, STRING);
    if (typeof m.channel !== 'string') refuse(`outbox[${i}].channel`, STRING);
    if (typeof m.idempotencyKey !== 'string') refuse(`outbox[${i}].idempotencyKey`, STRING);
    if (!isTime(m.availableAt)) refuse(`outbox[${i}].availableAt`, TIME);
  }
  for (let i = 0; i < idempotency.length; i++) {
    const r = idempotency[i]!;
    if (!isObject(r)) refuse(`idempotency[${i}]`, 'an object');
    if (typeof r.scope !== 'string') refuse(`idempotency[${i}].scope`, STRING);
    if (typeof r.key !== 'string') refuse(`idempotency[${i}].key`, STRING);
  }
  for (let i = 0; events !== undefined && i < events.length; i++) {
    const e = events[i]!;
    if (!isObject(e)) refuse(`events[${i}]`, 'an object');
    if (typeof e.id !== 'string') refuse(`events[${i}].id`, STRING);
    if (typeof e.type !== 'string') refuse(`events[${i}].type`, STRING);
    if (!isVersion(e.version, 1)) refuse(`events[${i}].version`, 'an integer of at least 1');
    if (!isTime(e.at)) refuse(`events[${i}].at`, TIME);
    if (!isObject(e.subject)) refuse(`events[${i}].subject`, 'an object');
    if (typeof e.subject.kind !== 'string') refuse(`events[${i}].subject.kind`, STRING);
    if (typeof e.subject.id !== 'string') refuse(`events[${i}].subject.id`, STRING);
  }
  for (let i = 0; deletes !== undefined && i < deletes.length; i++) {
    const d = deletes[i]!;
    if (!isObject(d)) refuse(`deletes[${i}]`, 'an object');
    if (typeof d.kind !== 'string') refuse(`deletes[${i}].kind`, STRING);
    if (typeof d.id !== 'string') refuse(`deletes[${i}].id`, STRING);
    if (!isVersion(d.expectedVersion, 0)) refuse(`deletes[${i}].expectedVersion`, 'an integer of at least 0');
  }
}

const STRING = 'a string';
const TIME = 'a finite number (epoch ms)';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function isVersion(value: unknown, least: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= least;
}

function refuse(field: string, what: string): never {
  throw commonErrors.raise(
    'INVALID_INPUT',
    { field, reason: 'malformed_commit' },
    `Commit field ${field} must be ${what}.`,
  );
}
