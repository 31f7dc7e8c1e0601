import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { createEventDelivery, EVENT_CURSOR_KIND } from '../../src/events/delivery.js';
import { ManualClock } from '../../src/testing/index.js';
import type { WebhookSender } from '../../src/webhooks/webhook-sender.js';

describe('signing of event deliveries', () => {
  it('a signing error rejects the call and uses no attempt of the event', async () => {
    const storage = createMemoryStorage();
    await storage.commit({
      writes: [],
      history: [],
      outbox: [],
      idempotency: [],
      events: [
        {
          id: 'evt_sign_1',
          type: 'ticket.status_changed',
          version: 1,
          at: 1_800_000_000_000,
          subject: { kind: 'ticket', id: 't1' },
          data: { from: 'open', to: 'solved' },
        },
      ],
    });
    const clock = new ManualClock(1_800_000_000_000);
    let sends = 0;
    const sender: WebhookSender = {
      send: async () => {
        sends++;
      },
    };
    const delivery = createEventDelivery(storage, () => clock.now(), {
      sender,
      secret: 'my webhook secret!',
      policy: { ...defaultOutboxPolicy, maxAttempts: 1 },
    });
    for (let i = 0; i < 3; i++) {
      await expect(delivery.deliver()).rejects.toThrow(TypeError);
      clock.advance(defaultOutboxPolicy.maxDelayMs);
    }
    expect(sends).toBe(0);
    const cursor = await storage.load(EVENT_CURSOR_KIND, 'webhooks');
    expect(cursor?.state).toMatchObject({ position: 0, attempts: 0, lastError: null });
    expect(await storage.history(EVENT_CURSOR_KIND, 'webhooks')).toEqual([]); // nothing dead-lettered
  });
});
