import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AuthContext } from '../../src/accounts/principal.js';
import { decodeBase32 } from '../../src/factors/base32.js';
import { totpAt } from '../../src/factors/totp.js';
import type { Helpdesk } from '../../src/helpdesk.js';
import { redactSecrets } from '../../src/privacy/export-redaction.js';
import { privacyExportSchema, type PrivacyExport } from '../../src/privacy/export-schema.js';
import type { PrivacyStore } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { ALICE_PHONE, agent, makePrivacyDesk, type PrivacyHarness } from './_harness.js';

// The export is the subject's data, not the desk's credentials: a password hash can be attacked
// offline, a sealed TOTP secret or a code's MAC is half of a login. Views, factors and events never
// carry them (docs/accounts.md, docs/factors.md, docs/events.md); nor does an export.

const MARKER = '[secret]';
const ENCRYPTION_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)));
/** The family of key names that hold secrets, read as broadly as a reviewer would grep for them. */
const SECRET_KEY = /hash|mac|secret|sealed|token|pepper|password|clientkey|knownclients/i;
/** A key of the family, but for the host's ticket field naming a device's MAC address. */
const isSecretKey = (key: string) => SECRET_KEY.test(key) && key !== 'macAddress';

function makeSecretsDesk() {
  return makePrivacyDesk({
    secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
    tickets: { fields: z.object({ macAddress: z.string().optional() }) },
  } as never);
}

async function exportAll(desk: Helpdesk, accountId: string): Promise<PrivacyExport[]> {
  const pages: PrivacyExport[] = [];
  let cursor: string | undefined;
  do {
    const page = await desk.privacy.export({ subject: { accountId }, limit: 7, ...(cursor ? { cursor } : {}) });
    pages.push(privacyExportSchema.parse(page));
    cursor = page.next ?? undefined;
  } while (cursor);
  return pages;
}

async function lastCode(h: PrivacyHarness, to: string, channel: 'sms' | 'mail') {
  await h.desk.dispatchOutbox();
  const sent = channel === 'sms' ? h.sms.to(to) : h.mailer.to(to);
  const code = /\b(\d{6})\b/.exec(sent[sent.length - 1]?.text ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${to}`);
  return code;
}

/**
 * Alice's full life: registered and activated, logged in with an SMS code from a known client
 * (device remembered), TOTP and backup codes enrolled, a recovery case opened (cancel token), a
 * ticket filed whose words and fields say "password", "token" and "MAC", a password reset asked
 * for and left pending (link token, sealed mail, code).
 */
async function aliceLife(h: PrivacyHarness) {
  const email = 'alice@example.com';
  const password = 'alice long passphrase 42';
  await h.desk.accounts.register({
    username: 'alice',
    email,
    password,
    displayName: 'Alice Person',
    phone: ALICE_PHONE,
  });
  await h.desk.dispatchOutbox();
  const activation = /token=([A-Za-z0-9_-]+)/.exec(h.mailer.to(email).at(-1)?.text ?? '')![1]!;
  await h.desk.accounts.activate({ token: activation });

  const flow = await h.desk.login.start({ clientKey: 'alice-laptop-cookie' });
  await h.desk.login.submitIdentifier({ flowId: flow.flowId, identifier: 'alice' });
  await h.desk.login.submitPassword({ flowId: flow.flowId, password });
  const done = await h.desk.login.submitCode({
    flowId: flow.flowId,
    code: await lastCode(h, ALICE_PHONE, 'sms'),
    rememberDevice: true,
    deviceLabel: 'Firefox on Alice laptop',
  });
  const auth = done.result!.auth as AuthContext;
  const accountId = (auth.principal as { accountId: string }).accountId;

  const enrolled = (await h.desk.factors.enrol({ auth, type: 'totp', label: 'Alice phone app' })) as {
    factor: { id: string };
    totp: { uri: string };
  };
  const base32 = /secret=([A-Z2-7]+)/.exec(enrolled.totp.uri)![1]!;
  const totpCode = await totpAt(decodeBase32(base32)!, h.clock.now());
  await h.desk.factors.confirm({ auth, factorId: enrolled.factor.id, code: totpCode });
  await h.desk.factors.enrol({ auth, type: 'backup_codes' });

  await h.desk.recovery.open({
    login: 'alice',
    lostFactor: 'phone',
    channel: 'web',
    requester: { email: 'alice.private@example.net', name: 'Alice Private' },
    description: 'Lost my phone on the tram.',
  });
  const ticket = await h.desk.tickets.submit({
    auth,
    content: {
      organization: 'Acme',
      subject: 'I forgot my password token',
      description: 'The tracker asks for a secret hash and a MAC address, then says my password is wrong.',
    },
    fields: { macAddress: '00:1A:2B:3C:4D:5E' },
  } as never);
  await h.desk.tickets.reply({ ticketId: ticket.ticket.id, author: agent, body: 'Which tracker?', askForInfo: true });
  await h.desk.dispatchOutbox();
  await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
  await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
  return { accountId, base32, ticketId: ticket.ticket.id };
}

/**
 * Strings the store keeps as secrets: every long string under a key of the family, link token and
 * survey ids (a token's HMAC), and the HMAC parts of lockout keys (`|client:<hmac>`).
 */
async function storedSecrets(h: PrivacyHarness): Promise<string[]> {
  const found = new Set<string>();
  const collect = (value: unknown, underSecret: boolean): void => {
    if (typeof value === 'string') {
      if (underSecret && value.length >= 12) found.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) collect(item, underSecret);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) collect(item, underSecret || isSecretKey(key));
    }
  };
  const storage = h.storage as Storage & PrivacyStore;
  for (const record of await storage.scanRecords(null, 100_000)) {
    if (record.kind === 'link_token' || record.kind === 'ticket-survey') found.add(record.id);
    for (const [, hmac] of record.id.matchAll(/(?:identifier|client|session):([^|]{12,})/g)) found.add(hmac!);
    collect(record.state, false);
    collect(record.indexes, false);
    for (const entry of await h.storage.history(record.kind, record.id)) collect([entry.actor, entry.data], false);
  }
  for (const { message } of await storage.scanOutbox(0, 100_000)) collect(message.payload, false);
  for (const event of await h.storage.readEvents({ after: 0, limit: 100_000 })) collect(event.data, false);
  return [...found];
}

/** Every [path, value] of a JSON value, keys included as their own path. */
function leaves(value: unknown, path = '$', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(value)) value.forEach((item, index) => leaves(item, `${path}[${index}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) leaves(item, `${path}.${key}`, out);
  else out.push([path, value]);
  return out;
}

describe('privacy.export and stored secrets', () => {
  it('an export never carries a password hash, a sealed secret, a code or token MAC', async () => {
    const h = makeSecretsDesk();
    const { accountId, base32 } = await aliceLife(h);
    const secrets = await storedSecrets(h);
    // The life stored each family: the password hash, the sealed TOTP secret, 10 backup-code MACs,
    // session and device token MACs, code MACs, the cancel token's hash, link token ids, sealed mail.
    expect(secrets.length).toBeGreaterThanOrEqual(20);

    const pages = await exportAll(h.desk, accountId);
    const text = JSON.stringify(pages);
    const leaked = secrets.filter((secret) => text.includes(secret));
    expect(leaked).toEqual([]);
    expect(text).not.toContain(base32);
    expect(text).not.toContain('alice-laptop-cookie');

    // No key of the family holds anything but the marker: a time, a count, a flag or null may stay.
    const carried = leaves(pages)
      .filter(([path]) => isSecretKey(path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '')))
      .filter(([, value]) => typeof value === 'string' && value !== MARKER);
    expect(carried).toEqual([]);
  });

  it('still says what exists: the factors, the backup codes left, the session and device times', async () => {
    const h = makeSecretsDesk();
    const { accountId } = await aliceLife(h);
    const records = (await exportAll(h.desk, accountId)).flatMap((page) => page.records);
    const byKind = (kind: string) => records.filter((record) => record.kind === kind && !record.excerpt);

    const account = byKind('account')[0]!.state as Record<string, unknown>;
    expect(account['passwordHash']).toBe(MARKER);
    expect(account['passwordChangedAt']).toEqual(expect.any(Number));

    type Factor = { type: string; status: string; label: string; sealedSecret?: unknown; backupCodes?: unknown[] };
    const factors = (byKind('account_factors')[0]!.state as { factors: Factor[] }).factors;
    const totp = factors.find((factor) => factor.type === 'totp')!;
    expect(totp).toMatchObject({ status: 'active', label: 'Alice phone app', sealedSecret: MARKER });
    const backup = factors.find((factor) => factor.type === 'backup_codes')!;
    expect(backup.backupCodes).toHaveLength(10);
    expect(backup.backupCodes).toEqual(Array.from({ length: 10 }, () => ({ mac: MARKER, usedAt: null })));

    const session = byKind('session')[0]!.state as { context: Record<string, unknown> };
    expect(session.context).toMatchObject({ tokenMac: MARKER, createdAt: expect.any(Number) });
    expect(session.context['absoluteExpiresAt']).toEqual(expect.any(Number));
    const device = byKind('remembered_device')[0]!.state as Record<string, unknown>;
    expect(device).toMatchObject({ tokenMac: MARKER, label: 'Firefox on Alice laptop', expiresAt: expect.any(Number) });

    const recovery = byKind('recovery_case')[0]!.state as { context: Record<string, unknown> };
    expect(recovery.context['cancelTokenHashes']).toEqual([MARKER]);
    for (const code of byKind('one_time_code')) expect((code.state as { mac: unknown }).mac).toBe(MARKER);
    const links = byKind('link_token');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.id).toBe(MARKER);
      expect(link.state).toMatchObject({ purpose: expect.any(String), accountId });
    }
  });

  it('redacts by key, never by value: a ticket that says "password", "token" or "MAC" keeps its words', async () => {
    const h = makeSecretsDesk();
    const { accountId, ticketId } = await aliceLife(h);
    const records = (await exportAll(h.desk, accountId)).flatMap((page) => page.records);
    const ticket = records.find((record) => record.id === ticketId)!.state as {
      context: { content: Record<string, unknown>; fields: Record<string, unknown> };
    };
    expect(ticket.context.content['subject']).toBe('I forgot my password token');
    expect(ticket.context.content['description']).toContain('secret hash and a MAC address');
    // A key is read by its words: a device's MAC address is not a message authentication code.
    expect(ticket.context.fields['macAddress']).toBe('00:1A:2B:3C:4D:5E');
  });

  it('redacts a field named like a secret at any depth, declared or not, and keeps times, counts and flags', () => {
    const state = {
      host: {
        apiTokenHash: 'b64-of-a-hash',
        recoveryCodeHMAC: 'b64-of-a-mac',
        otp: { sealedPayload: { iv: 'iv', data: 'data' }, secrets: ['one', 'two'] },
        passwordUpdatedAt: 1772442000000,
        hasPassword: true,
        resetToken: null,
        machine: 'van-7',
        hashtag: '#fleet',
        macAddress: '00:1A:2B:3C:4D:5E',
        note: 'my password token is a secret hash',
      },
      clientKey: 'an-hmac',
    };
    expect(redactSecrets(state, ['clientKey'])).toEqual({
      host: {
        apiTokenHash: MARKER,
        recoveryCodeHMAC: MARKER,
        otp: { sealedPayload: MARKER, secrets: [MARKER, MARKER] },
        passwordUpdatedAt: 1772442000000,
        hasPassword: true,
        resetToken: null,
        machine: 'van-7',
        hashtag: '#fleet',
        macAddress: '00:1A:2B:3C:4D:5E',
        note: 'my password token is a secret hash',
      },
      clientKey: MARKER,
    });
  });
});
