import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy, dispatchOutbox } from '../../src/engine/dispatcher.js';
import {
  READABLE_PAYLOAD_FIELDS,
  SECRET_BEARING_TEMPLATES,
  withOutboxSecrets,
} from '../../src/engine/outbox-secrets.js';
import { isHelpdeskError } from '../../src/errors.js';
import { LOCALES, MESSAGE_CATALOGS, placeholdersIn, type TemplateName } from '../../src/messages/index.js';
import type { Json } from '../../src/ports/json.js';
import type { OutboxMessageInput } from '../../src/ports/outbox-store.js';
import type { Storage } from '../../src/ports/storage.js';
import type { SealingKeyring } from '../../src/security/sealing.js';
import { CapturingMailer, CapturingSms } from '../../src/testing/index.js';
import { jsonStrings } from '../helpers.js';
import { ADMIN_PHONE, BOB_PHONE, lastSmsCode, makeAcme, makeLoginDesk, toPassword } from '../login/_harness.js';

const T0 = 1_800_000_000_000;
const key = (fill: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));
const K1: SealingKeyring = { current: 'k1', keys: { k1: key(1) } };

/** Placeholders whose value is a secret: a code, a token-bearing link, a temporary password. */
const SECRET_PLACEHOLDERS = new Set(['code', 'link', 'password', 'cancelLink']);

function message(id: string, template: string, secret: string, channel: 'email' | 'sms' = 'email'): OutboxMessageInput {
  const payload: Json =
    channel === 'email'
      ? { to: 'alice@example.test', subject: 'Subject', text: `Your secret: ${secret}`, template, locale: 'en' }
      : { to: '+36301234567', text: `Your secret: ${secret}`, template, locale: 'en' };
  return { id, channel, payload, idempotencyKey: `idem-${id}`, availableAt: T0 };
}

async function queue(storage: Storage, ...messages: OutboxMessageInput[]) {
  expect(await storage.commit({ writes: [], history: [], outbox: messages, idempotency: [] })).not.toBeNull();
}

/** Every string of the raw outbox (payloads and all): what someone reading the database sees. */
async function rawStrings(raw: Storage): Promise<string> {
  return jsonStrings(await raw.listOutbox()).join('\n');
}

function setup(keyring: SealingKeyring = K1) {
  const raw = createMemoryStorage();
  return { raw, storage: withOutboxSecrets(raw, keyring), mailer: new CapturingMailer(), sms: new CapturingSms() };
}

describe('no secret at rest in the outbox', () => {
  it('seals every secret-bearing template while pending, keeping to, subject, template and locale readable', async () => {
    const { raw, storage } = setup();
    const templates = [...SECRET_BEARING_TEMPLATES];
    await queue(storage, ...templates.map((t, i) => message(`m${i}`, t, `SECRET-${i}-4711`)));
    const stored = await raw.listOutbox();
    expect(stored).toHaveLength(templates.length);
    for (const m of stored) {
      expect(m.status).toBe('pending');
      const payload = m.payload as Record<string, Json>;
      expect(Object.keys(payload).sort()).toEqual([...READABLE_PAYLOAD_FIELDS, 'sealed'].sort());
      expect(payload['sealed']).toMatchObject({ kid: 'k1' });
      expect(payload['text']).toBeUndefined();
    }
    expect(await rawStrings(raw)).not.toMatch(/SECRET-\d+-4711/);
  });

  it('leaves messages without a secret as they were', async () => {
    const { raw, storage } = setup();
    const plain = message('t1', 'ticket.confirmation', 'nothing secret here');
    await queue(storage, plain);
    expect((await raw.listOutbox())[0]?.payload).toEqual(plain.payload);
  });

  it('hands the sender the full text, then erases it once delivered', async () => {
    const { raw, storage, mailer, sms } = setup();
    await queue(
      storage,
      message('mail', 'password.reset_link', 'https://desk.example/reset?token=TOKEN123'),
      message('sms', 'login.code', '493817', 'sms'),
    );
    const result = await dispatchOutbox(storage, () => T0, { email: mailer, sms });
    expect(result.delivered).toBe(2);
    expect(mailer.sent[0]?.message).toEqual(
      message('mail', 'password.reset_link', 'https://desk.example/reset?token=TOKEN123').payload,
    );
    expect(sms.sent[0]?.message.text).toBe('Your secret: 493817');
    const stored = await raw.listOutbox({ status: 'delivered' });
    expect(stored.map((m) => m.payload)).toEqual([
      { to: 'alice@example.test', subject: 'Subject', template: 'password.reset_link', locale: 'en', erased: true },
      { to: '+36301234567', template: 'login.code', locale: 'en', erased: true },
    ]);
    expect(await rawStrings(raw)).not.toMatch(/TOKEN123|493817|sealed/);
  });

  it('erases a message that went dead, and keeps one that will be retried sealed', async () => {
    const { raw, storage, mailer } = setup();
    await queue(storage, message('dead', 'business.temporary_password', 'Temp-Pass-9Q'));
    const once = { ...defaultOutboxPolicy, maxAttempts: 2 };
    mailer.failNext(2);
    expect((await dispatchOutbox(storage, () => T0, { email: mailer }, once)).failed).toBe(1);
    const retrying = (await raw.listOutbox({ status: 'pending' }))[0]!;
    expect(retrying.payload).toHaveProperty('sealed');
    expect(await rawStrings(raw)).not.toContain('Temp-Pass-9Q');
    expect((await dispatchOutbox(storage, () => T0 + 3_600_000, { email: mailer }, once)).dead).toBe(1);
    const [dead] = await raw.listOutbox({ status: 'dead' });
    expect(dead?.payload).toEqual({
      to: 'alice@example.test',
      subject: 'Subject',
      template: 'business.temporary_password',
      locale: 'en',
      erased: true,
    });
    expect(await rawStrings(raw)).not.toMatch(/Temp-Pass-9Q|sealed/);
  });

  it('lets a host without a sender read pending messages in full through the decorated storage', async () => {
    const { raw, storage } = setup();
    const queued = message('p', 'account.activation', 'https://desk.example/activate?token=ACT42');
    await queue(storage, queued);
    expect((await storage.listOutbox({ status: 'pending' }))[0]?.payload).toEqual(queued.payload);
    expect(await rawStrings(raw)).not.toContain('ACT42');
  });

  it('shows a settled message as erased even when its erasure did not happen', async () => {
    const { raw, storage } = setup();
    await queue(storage, message('x', 'recovery.sms_opened', 'https://desk.example/c?token=CANCEL7', 'sms'));
    await raw.claimOutbox(['sms'], T0, T0 + 1000, 10); // claimed and settled behind the decorator's back
    await raw.markDelivered('x', T0);
    const [shown] = await storage.listOutbox();
    expect(shown?.payload).toEqual({ to: '+36301234567', template: 'recovery.sms_opened', locale: 'en', erased: true });
    expect(await rawStrings(raw)).not.toContain('CANCEL7');
  });

  it('opens messages sealed under the previous key after a rotation', async () => {
    const { raw, storage, sms } = setup(K1);
    await queue(storage, message('old', 'login.code', '111111', 'sms'));
    const rotated = withOutboxSecrets(raw, { current: 'k2', keys: { k1: key(1), k2: key(2) } });
    await queue(rotated, message('new', 'login.code', '222222', 'sms'));
    expect(((await raw.listOutbox())[1]?.payload as { sealed: { kid: string } }).sealed.kid).toBe('k2');
    await dispatchOutbox(rotated, () => T0, { sms });
    expect(sms.sent.map((s) => s.message.text)).toEqual(['Your secret: 111111', 'Your secret: 222222']);
  });

  it('refuses to hand out a message whose key left the keyring: CONFIGURATION_INVALID naming the kid, no plaintext', async () => {
    const { raw, storage, sms } = setup(K1);
    await queue(storage, message('old', 'login.code', '333333', 'sms'));
    const forgetful = withOutboxSecrets(raw, { current: 'k2', keys: { k2: key(2) } });
    const claimed = await dispatchOutbox(forgetful, () => T0, { sms }).catch((e: unknown) => e);
    expect(isHelpdeskError(claimed, 'CONFIGURATION_INVALID')).toBe(true);
    expect((claimed as { details: unknown }).details).toEqual({ kid: 'k1' });
    const listed = await forgetful.listOutbox({ status: 'claimed' }).catch((e: unknown) => e);
    expect(isHelpdeskError(listed, 'CONFIGURATION_INVALID')).toBe(true);
    expect(sms.sent).toHaveLength(0);
    expect(await rawStrings(raw)).not.toContain('333333');
  });

  it('refuses to open under a wrong key of the same kid', async () => {
    const { raw, storage } = setup(K1);
    await queue(storage, message('m', 'password.reset_code', '444444'));
    const wrong = withOutboxSecrets(raw, { current: 'k1', keys: { k1: key(7) } });
    const error = await wrong.listOutbox().catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
  });

  it('refuses a storage that cannot erase payloads', () => {
    const { erasePayload: _dropped, ...cannotErase } = createMemoryStorage() as Storage & { erasePayload: unknown };
    void _dropped;
    let error: unknown;
    try {
      withOutboxSecrets(cannotErase as Storage, K1);
    } catch (e) {
      error = e;
    }
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
  });

  it('keeps secrets out of every subject a secret-bearing template renders, in every locale', () => {
    for (const locale of LOCALES) {
      for (const template of SECRET_BEARING_TEMPLATES) {
        const { subject, text } = MESSAGE_CATALOGS[locale][template as TemplateName];
        expect(
          placeholdersIn(subject).filter((p) => SECRET_PLACEHOLDERS.has(p)),
          `${locale} ${template}`,
        ).toEqual([]);
        expect(
          placeholdersIn(text).some((p) => SECRET_PLACEHOLDERS.has(p)),
          `${locale} ${template}`,
        ).toBe(true);
      }
    }
  });

  it('covers every template whose text carries a secret placeholder', () => {
    const carrying = Object.entries(MESSAGE_CATALOGS.en)
      .filter(([, t]) => placeholdersIn(t.text).some((p) => SECRET_PLACEHOLDERS.has(p)))
      .map(([name]) => name);
    expect(carrying.sort()).toEqual([...SECRET_BEARING_TEMPLATES].sort());
  });
});

describe('no secret at rest in the outbox, end to end through createHelpdesk', () => {
  it('a temporary password and login codes are sealed while pending and erased after delivery', async () => {
    const raw = createMemoryStorage();
    const h = makeLoginDesk({ storage: withOutboxSecrets(raw, K1) });
    const { bobTemporary } = await makeAcme(h);
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    expect(view.state).toBe('awaiting_code');
    // Pending: the host reads the code through the desk; the raw store holds it sealed only.
    const pending = await h.desk.outbox({ status: 'pending' });
    const pendingCode = /\b(\d{6})\b/.exec(
      (pending.find((m) => (m.payload as { to?: string }).to === BOB_PHONE)?.payload as { text: string }).text,
    )?.[1];
    expect(pendingCode).toMatch(/^\d{6}$/);
    expect(await rawStrings(raw)).not.toContain(pendingCode!);
    expect(await lastSmsCode(h, BOB_PHONE)).toBe(pendingCode);

    const temporaries = h.mailer.sent.map((s) => /Temporary password: (\S+)/.exec(s.message.text)?.[1]);
    const codes = [...h.sms.to(ADMIN_PHONE), ...h.sms.to(BOB_PHONE)].map((s) => /\b(\d{6})\b/.exec(s.text)?.[1]);
    const secrets = [...temporaries, ...codes].filter((s): s is string => s !== undefined);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const haystack = await rawStrings(raw);
    for (const secret of secrets) expect(haystack).not.toContain(secret);
    const delivered = (await raw.listOutbox({ status: 'delivered' })).map((m) => m.payload as Record<string, Json>);
    const secretBearing = delivered.filter((p) => SECRET_BEARING_TEMPLATES.has(p['template'] as string));
    expect(secretBearing.length).toBeGreaterThanOrEqual(4);
    for (const payload of secretBearing) expect(payload).toMatchObject({ erased: true });
    expect(secretBearing.filter((p) => 'sealed' in p || 'text' in p)).toEqual([]);
  });
});
