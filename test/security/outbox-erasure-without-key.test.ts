import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { makeLoginDesk, makePersonal, type LoginHarness } from '../login/_harness.js';

// docs/security.md: a secret-bearing outbox message is erased from the payload once delivered or
// dead. With a host storage and no secrets.encryptionKey nothing is sealed while pending, but the
// erasure after delivery still happens: a delivered activation link is not kept in clear.

const linkIn = (payload: unknown) => JSON.stringify(payload).includes('/activate?token=');

/** Registers alice: her activation link is queued in the outbox. */
const registerAlice = (h: LoginHarness) =>
  h.desk.accounts.register({
    username: 'alice',
    email: 'alice@example.com',
    password: 'alice long passphrase',
    displayName: 'Alice',
  });

describe('a host storage without an encryption key', () => {
  it('keeps a pending activation link in clear, and erases it once delivered', async () => {
    const storage = createMemoryStorage();
    const h = makeLoginDesk({ storage });
    await registerAlice(h);
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

describe('mixed keys and failed erasures', () => {
  const key = 'MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=';
  const ticket = {
    requester: { id: 'cust-1', email: 'cust@example.test' },
    content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
  };

  it('encryptionKey: null is "not given", as undefined: nothing sealed, delivered secrets erased', async () => {
    const storage = createMemoryStorage();
    const h = makeLoginDesk({
      storage,
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: null as never },
    });
    await registerAlice(h);
    const [pending] = await storage.listOutbox({ limit: 10 });
    expect(linkIn(pending!.payload)).toBe(true);
    await h.desk.dispatchOutbox();
    expect(linkIn((await storage.listOutbox({ limit: 10 }))[0]!.payload)).toBe(false);
  });

  it('a desk without the key leaves a message another instance sealed, and delivers the rest', async () => {
    const storage = createMemoryStorage();
    const keyed = makeLoginDesk({
      storage,
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: key },
    });
    await registerAlice(keyed);
    const keyless = makeLoginDesk({ storage });
    for (let i = 0; i < 3; i++)
      await keyless.desk.tickets.submit({ ...ticket, requester: { id: `c${i}`, email: `c${i}@example.test` } });
    const result = await keyless.desk.dispatchOutbox();
    expect(result.delivered).toBe(3);
    expect(keyless.mailer.sent.map((c) => c.message.template)).toEqual(Array(3).fill('ticket.confirmation'));
    const listed = await keyless.desk.outbox({ limit: 10 }); // does not throw on the sealed one
    expect(listed.filter((m) => m.status === 'delivered')).toHaveLength(3);
    keyed.clock.advance(10 * 60_000); // the keyless claim has lapsed: the keyed instance sends it
    await keyed.desk.dispatchOutbox();
    expect(keyed.mailer.to('alice@example.com')[0]?.text).toContain('/activate?token=');
  });

  it('a delivered secret whose erasure failed is shown erased by desk.outbox(), never in clear', async () => {
    const inner = createMemoryStorage();
    const storage = new Proxy(inner, {
      get: (target, k) =>
        k === 'erasePayload'
          ? () => Promise.reject(new Error('disk full'))
          : (Reflect.get(target, k, target) as unknown),
    }) as Storage;
    const h = makeLoginDesk({ storage });
    await registerAlice(h);
    await h.desk.dispatchOutbox().catch(() => undefined);
    const [raw] = await inner.listOutbox({ limit: 10 });
    expect(raw?.status).toBe('delivered');
    expect(linkIn(raw!.payload)).toBe(true); // the erasure failed: still in the store
    const [shown] = await h.desk.outbox({ limit: 10 });
    expect(linkIn(shown!.payload)).toBe(false);
    expect(shown!.payload).toMatchObject({ erased: true, template: 'account.activation' });
  });
});
