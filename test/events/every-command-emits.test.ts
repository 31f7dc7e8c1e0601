/**
 * Every accepted command that changes state writes its typed domain events in the same commit:
 * the factor commands, the email change, the organisation's factor rules and a ticket update
 * included. None of them carries a secret, a label, an address or a phone number.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { domainEventSchema } from '../../src/events/catalogue.js';
import type { Storage } from '../../src/ports/storage.js';
import { ADMIN_PASSWORD, ADMIN_PHONE, loginWithCode } from '../login/_harness.js';
import { currentTotp, lastMailedCode, makeFactorDesk, signedInAlice, signedInBob } from '../factors/_harness.js';
import { agent, jsonStrings, makeDesk, ticketInput } from '../helpers.js';

/** Runs `command` and returns the events it wrote (and only those), each checked against its catalogue schema. */
async function emitted(storage: Storage, command: () => Promise<unknown>) {
  const head = async () => (await storage.readEvents({ after: 0, limit: 10_000 })).at(-1)?.seq ?? 0;
  const start = await head();
  await command();
  const events = await storage.readEvents({ after: start, limit: 10_000 });
  for (const event of events) {
    expect(domainEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
    // No address, phone number or label: only ids, factor types and what changed.
    expect(
      jsonStrings(event.data).filter((s) => /@|\+\d|My app|Drawer/.test(s)),
      event.type,
    ).toEqual([]);
  }
  return events.map(({ type, subject, data }) => ({ type, subject, data }));
}

describe('factor commands emit their events', () => {
  it('enrol, confirm, rename and remove a TOTP app: one event each, by factor id and type', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const subject = { kind: 'account', id: alice.accountId };
    let started!: Awaited<ReturnType<typeof h.desk.factors.enrol>>;
    expect(
      await emitted(h.storage, async () => {
        started = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp', label: 'My app' });
      }),
    ).toEqual([
      { type: 'account.factor_enrolment_started', subject, data: { factor: 'totp', factorId: started.factor.id } },
    ]);
    const factorId = started.factor.id;
    const code = await currentTotp(h, started.totp!.secret);
    expect(await emitted(h.storage, () => h.desk.factors.confirm({ auth: alice.auth, factorId, code }))).toEqual([
      { type: 'account.factor_enrolled', subject, data: { factor: 'totp', factorId } },
    ]);
    expect(
      await emitted(h.storage, () => h.desk.factors.rename({ auth: alice.auth, factorId, label: 'Drawer' })),
    ).toEqual([{ type: 'account.factor_renamed', subject, data: { factorId } }]);
    expect(await emitted(h.storage, () => h.desk.factors.remove({ auth: alice.auth, factorId }))).toEqual([
      { type: 'account.factor_removed', subject, data: { factor: 'totp', factorId, caseId: null } },
    ]);
  });

  it('backup codes are enrolled at once: account.factor_enrolled, never the codes', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    let codes: readonly string[] = [];
    let factorId = '';
    const events = await emitted(h.storage, async () => {
      const result = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
      codes = result.backupCodes ?? [];
      factorId = result.factor.id;
    });
    expect(events).toEqual([
      {
        type: 'account.factor_enrolled',
        subject: { kind: 'account', id: alice.accountId },
        data: { factor: 'backup_codes', factorId },
      },
    ]);
    expect(codes.length).toBeGreaterThan(0);
    expect(jsonStrings(events).some((s) => codes.some((c) => s.includes(c)))).toBe(false);
  });

  it('an email change emits account.email_change_requested, then account.email_changed, never an address', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const subject = { kind: 'account', id: alice.accountId };
    expect(
      await emitted(h.storage, () => h.desk.factors.changeEmail({ auth: alice.auth, email: 'alice.new@example.org' })),
    ).toEqual([{ type: 'account.email_change_requested', subject, data: {} }]);
    const code = await lastMailedCode(h, 'alice.new@example.org');
    expect(await emitted(h.storage, () => h.desk.factors.confirmEmailChange({ auth: alice.auth, code }))).toEqual([
      { type: 'account.email_changed', subject, data: { wasVerified: true } },
    ]);
  });

  it('setOrganizationFactors emits organization.factors_changed with the new rules', async () => {
    const h = makeFactorDesk();
    const { organization } = await signedInBob(h);
    const adminAuth = (await loginWithCode(h, 'admin@acme', ADMIN_PASSWORD, ADMIN_PHONE)).auth;
    const events = await emitted(h.storage, () =>
      h.desk.factors.setOrganizationFactors({ auth: adminAuth, allowed: ['sms', 'totp'], secondFactorRequired: true }),
    );
    expect(events).toEqual([
      {
        type: 'organization.factors_changed',
        subject: { kind: 'organization', id: organization.id },
        data: { allowed: ['sms', 'totp'], secondFactorRequired: true },
      },
    ]);
  });
});

describe('a ticket update emits ticket.updated with what changed', () => {
  const hostFields = z.object({ contractNumber: z.string(), site: z.enum(['north', 'south']).optional() });

  it('the group (from/to), the tags added and removed, the names of the fields changed, never their values', async () => {
    const { desk, storage } = makeDesk({ tickets: { fields: hostFields } });
    const { ticket } = await desk.tickets.submit(ticketInput({ fields: { contractNumber: 'C-1234' } }));
    const subject = { kind: 'ticket', id: ticket.id };
    const update = (change: object) => () => desk.tickets.update({ ticketId: ticket.id, actor: agent, ...change });
    expect(await emitted(storage, update({ groupId: 'billing', tags: ['invoice', 'vip'] }))).toEqual([
      {
        type: 'ticket.updated',
        subject,
        data: { groupId: { from: null, to: 'billing' }, tags: { added: ['invoice', 'vip'], removed: [] } },
      },
    ]);
    expect(await emitted(storage, update({ tags: ['vip'], fields: { site: 'south' } }))).toEqual([
      { type: 'ticket.updated', subject, data: { tags: { added: [], removed: ['invoice'] }, fields: ['site'] } },
    ]);
    const withValues = await emitted(storage, update({ fields: { contractNumber: 'C-9876' } }));
    expect(withValues).toEqual([{ type: 'ticket.updated', subject, data: { fields: ['contractNumber'] } }]);
    expect(jsonStrings(withValues).some((s) => s.includes('C-9876'))).toBe(false);
  });

  it('an update that changes nothing emits nothing', async () => {
    const { desk, storage } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput({ groupId: 'billing' } as never));
    const again = () => desk.tickets.update({ ticketId: ticket.id, actor: agent, groupId: ticket.groupId ?? null });
    expect(await emitted(storage, again)).toEqual([]);
  });
});
