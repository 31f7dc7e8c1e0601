import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/adapters/memory/index.js';
import type { EventInput } from '../../../src/ports/event-store.js';
import type { PrivacyStore } from '../../../src/ports/privacy-store.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const event = (id: string, subjectId: string): EventInput => ({
  id,
  type: 'ticket.status_changed',
  version: 1,
  at: T0,
  subject: { kind: 'ticket', id: subjectId },
  data: { from: 'new', to: 'open' },
});

describe('memory event log: subjects (issue 16, memory per ticket)', () => {
  it('stores events naming one subject with one frozen subject object, and another subject apart', async () => {
    const storage = createMemoryStorage();
    const commit = (events: EventInput[]) =>
      storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events });
    expect(await commit([event('e1', 't1'), event('e2', 't1')])).not.toBeNull();
    expect(await commit([event('e3', 't1'), event('e4', 't2')])).not.toBeNull();
    const [e1, e2, e3, e4] = await storage.readEvents({ after: 0, limit: 10 });
    expect(e1!.subject).toBe(e2!.subject);
    expect(e3!.subject).toBe(e1!.subject);
    expect(e4!.subject).toEqual({ kind: 'ticket', id: 't2' });
    expect(e4!.subject).not.toBe(e1!.subject);
    expect(Object.isFrozen(e1!.subject)).toBe(true);
  });

  it('a redacted event gets its own subject; the others and later events keep theirs', async () => {
    const storage = createMemoryStorage();
    const commit = (events: EventInput[]) =>
      storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events });
    expect(await commit([event('e1', 'alice'), event('e2', 'alice')])).not.toBeNull();
    expect(await (storage as unknown as PrivacyStore).redactEvent(1, { subjectId: 'erased-1', data: {} })).toBe(true);
    expect(await commit([event('e3', 'alice')])).not.toBeNull();
    const [e1, e2, e3] = await storage.readEvents({ after: 0, limit: 10 });
    expect(e1!.subject).toEqual({ kind: 'ticket', id: 'erased-1' });
    expect(e2!.subject).toEqual({ kind: 'ticket', id: 'alice' });
    expect(e3!.subject).toEqual({ kind: 'ticket', id: 'alice' });
  });
});
