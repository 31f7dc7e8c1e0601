import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { makeLoginDesk, makePersonal } from '../login/_harness.js';

// docs/security.md: a secret-bearing outbox message is erased from the payload once delivered or
// dead. With a host storage and no secrets.encryptionKey nothing is sealed while pending, but the
// erasure after delivery still happens: a delivered activation link is not kept in clear.

const linkIn = (payload: unknown) => JSON.stringify(payload).includes('/activate?token=');

describe('a host storage without an encryption key', () => {
  it('keeps a pending activation link in clear, and erases it once delivered', async () => {
    const storage = createMemoryStorage();
    const h = makeLoginDesk({ storage });
    await h.desk.accounts.register({
      username: 'alice',
      email: 'alice@example.com',
      password: 'alice long passphrase',
      displayName: 'Alice',
    });
    const [pending] = await storage.listOutbox({ limit: 10 });
    expect(pending?.status).toBe('pending');
    expect(linkIn(pending!.payload)).toBe(true);
    await h.desk.dispatchOutbox();
    expect(h.mailer.to('alice@example.com')[0]?.text).toContain('/activate?token=');
    const [delivered] = await storage.listOutbox({ limit: 10 });
    expect(delivered?.status).toBe('delivered');
    expect(linkIn(delivered!.payload)).toBe(false);
    expect(delivered!.payload).toMatchObject({ to: 'alice@example.com', template: 'account.activation', erased: true });
  });

  it('leaves a ticket confirmation (no secret) whole after delivery', async () => {
    const storage = createMemoryStorage();
    const h = makeLoginDesk({ storage });
    await h.desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
    });
    await h.desk.dispatchOutbox();
    const [delivered] = await storage.listOutbox({ limit: 10 });
    expect(delivered).toMatchObject({ status: 'delivered', payload: { template: 'ticket.confirmation' } });
    expect((delivered!.payload as { text?: string }).text).toContain('Tracker offline');
  });

  it('still works on a storage that cannot erase a payload: nothing is erased, nothing fails', async () => {
    const inner = createMemoryStorage();
    const storage = new Proxy(inner, {
      get: (target, key) => (key === 'erasePayload' ? undefined : (Reflect.get(target, key, target) as unknown)),
      has: (target, key) => key !== 'erasePayload' && Reflect.has(target, key),
    }) as Storage;
    expect('erasePayload' in storage).toBe(false);
    const h = makeLoginDesk({ storage });
    const alice = await makePersonal(h); // registers and delivers the activation mail
    expect(alice.token.length).toBeGreaterThan(20);
    const [delivered] = await inner.listOutbox({ limit: 10 });
    expect(delivered?.status).toBe('delivered');
    expect(linkIn(delivered!.payload)).toBe(true);
  });
});
