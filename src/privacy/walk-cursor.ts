import { isStorableText } from '../_lib/text.js';
import type { RecordCursor } from '../ports/privacy-store.js';

/** Where a walk over the whole store stands: records (with their history), then the outbox, then events. */
export type WalkCursor =
  | { part: 'records'; after: RecordCursor | null }
  | { part: 'outbox'; after: number }
  | { part: 'events'; after: number }
  | { part: 'done' };

/** The start of a walk. */
export const WALK_START: WalkCursor = { part: 'records', after: null };

/** The opaque text form of a cursor handed to callers (base64url of its JSON). */
export function encodeCursor(cursor: WalkCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify(cursor));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Reads a cursor from {@link encodeCursor}; null when it is not one. It comes back from the caller,
 * so every part is checked before a store sees it: a record position is two storable texts (a
 * number or an object as the id reached PostgreSQL as a raw error), a queue position a whole
 * number of at least 0.
 */
export function decodeCursor(text: string): WalkCursor | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const value = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as WalkCursor;
    if (value.part === 'records' && (value.after === null || isRecordPosition(value.after))) return value;
    if ((value.part === 'outbox' || value.part === 'events') && Number.isSafeInteger(value.after) && value.after >= 0)
      return value;
    return value.part === 'done' ? value : null;
  } catch {
    return null;
  }
}

function isRecordPosition(after: unknown): after is RecordCursor {
  if (after === null || typeof after !== 'object') return false;
  const { kind, id } = after as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && typeof id === 'string' && isStorableText(kind) && isStorableText(id);
}
