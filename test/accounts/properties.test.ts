import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, PHONE_GRANTABLE_PERMISSIONS, can, type Permission } from '../../src/accounts/permissions.js';
import { hungarianMobilePrefixes } from '../../src/accounts/phone.js';
import type { Principal } from '../../src/accounts/principal.js';
import { parseLoginIdentifier } from '../../src/accounts/store.js';
import { isHelpdeskError } from '../../src/errors.js';
import { dumpStorage, makeAccounts, makeOrganization } from './_harness.js';

const usernameArb = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{2,15}$/);
const slugArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/);

/** Writes an identifier the way people type it: random case, fullwidth letters, surrounding spaces. */
const typedVariant = (canonical: string) =>
  fc
    .tuple(
      fc.array(fc.constantFrom('upper', 'lower', 'fullwidth'), {
        minLength: canonical.length,
        maxLength: canonical.length,
      }),
      fc.constantFrom('', ' ', '  ', '\t', '\u3000'),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(([styles, before, after]) => {
      const chars = [...canonical].map((ch, i) => {
        const style = styles[i];
        if (style === 'upper') return ch.toUpperCase();
        if (style === 'fullwidth' && /[a-z0-9]/.test(ch)) return String.fromCharCode(ch.charCodeAt(0) + 0xfee0);
        return ch;
      });
      return `${before}${chars.join('')}${after}`;
    });

describe('identifiers are canonicalised (fast-check)', () => {
  it('any typed variant of a username or business login names the same login', () => {
    fc.assert(
      fc.property(usernameArb, slugArb, (username, slug) => {
        fc.assert(
          fc.property(typedVariant(username), typedVariant(`${username}@${slug}`), (typedUser, typedLogin) => {
            expect(parseLoginIdentifier(typedUser)?.login).toBe(username);
            expect(parseLoginIdentifier(typedLogin)?.login).toBe(`${username}@${slug}`);
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 100 },
    );
  });

  it('a registered username is found from any typed variant', async () => {
    await fc.assert(
      fc.asyncProperty(
        usernameArb.chain((u) => fc.tuple(fc.constant(u), typedVariant(u))),
        async ([username, typed]) => {
          const h = makeAccounts();
          await h.accounts.register({
            username: typed,
            email: `${username.replace(/[._-]/g, 'x')}@example.com`,
            password: 'a long enough passphrase',
            displayName: 'Someone',
          });
          expect((await h.internal.findAccountByLogin(username))?.value.username).toBe(username);
        },
      ),
      { numRuns: 30 },
    );
  });
});

const nationalArb = fc
  .tuple(fc.constantFrom(...hungarianMobilePrefixes), fc.stringMatching(/^[0-9]{7}$/))
  .map(([prefix, rest]) => `${prefix}${rest}`);

/** The formats people write a Hungarian mobile number in. */
const formatted = (national: string) => {
  const p = national.slice(0, 2);
  const a = national.slice(2, 5);
  const b = national.slice(5);
  return fc.constantFrom(
    national,
    `+36 ${p} ${a} ${b}`,
    `+36${national}`,
    `06 ${p} ${a} ${b}`,
    `06-${p}/${a}-${b}`,
    `06${national}`,
    `0036${national}`,
    `(06 ${p}) ${a}-${b}`,
    `${p} ${a} ${b}`,
    `+36-${p}-${a}-${b}`,
    ` ${p}/${a}${b} `,
  );
};

describe('phone numbers (fast-check)', () => {
  it('every accepted format registers as the same E.164 number', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await fc.assert(
      fc.asyncProperty(
        nationalArb.chain((n) => fc.tuple(fc.constant(n), formatted(n))),
        async ([national, typed]) => {
          const e164 = `+36${national}`;
          const existing = await h.internal.findPhonePrincipal(typed);
          if (existing) {
            expect(existing.value.phone).toBe(e164);
            return;
          }
          const view = await h.accounts.registerPhoneNumber({
            auth: adminAuth,
            phone: typed,
            permissions: ['tickets.read'],
          });
          expect(view.phone).toBe(e164);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('anything else is INVALID_INPUT with the expected format, and stores nothing', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const before = (await dumpStorage(h.storage)).records.length;
    let accepted = 0;
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.stringMatching(/^[0-9]{1,8}$/),
      fc.stringMatching(/^[0-9]{10,14}$/).filter((s) => !/^(06|36|0036)/.test(s)),
      fc.stringMatching(/^\+[1-9][0-9]{8,12}$/).filter((s) => !s.startsWith('+36')),
      fc.stringMatching(/^1[0-9]{7}$/), // Budapest landline
    );
    await fc.assert(
      fc.asyncProperty(junk, async (input) => {
        const result = await h.accounts.registerPhoneNumber({ auth: adminAuth, phone: input, permissions: [] }).then(
          () => null,
          (e: unknown) => e,
        );
        if (result === null) {
          accepted++; // the generator found a valid number: fine
          return;
        }
        expect(isHelpdeskError(result, 'INVALID_INPUT')).toBe(true);
        expect((result as Error).message).toContain('Hungarian mobile');
      }),
      { numRuns: 200 },
    );
    expect((await dumpStorage(h.storage)).records.length).toBe(before + accepted);
  });
});

const permissionsArb = fc.subarray([...PERMISSIONS]) as fc.Arbitrary<Permission[]>;

describe('can() (fast-check)', () => {
  it('a phone principal never exceeds its grant nor the phone-grantable set', () => {
    fc.assert(
      fc.property(permissionsArb, fc.constantFrom(...PERMISSIONS), (grant, permission) => {
        const principal: Principal = {
          type: 'phone',
          phone: '+36301234567',
          organizationId: 'org_1',
          permissions: grant,
        };
        if (can(principal, permission)) {
          expect(grant).toContain(permission);
          expect(PHONE_GRANTABLE_PERMISSIONS as readonly string[]).toContain(permission);
        }
      }),
    );
  });

  it('the main administrator holds everything; other accounts exactly their grant', () => {
    fc.assert(
      fc.property(permissionsArb, fc.boolean(), fc.constantFrom(...PERMISSIONS), (grant, isMainAdmin, permission) => {
        const principal: Principal = {
          type: 'account',
          accountId: 'acc_1',
          login: 'x@acme',
          organizationId: 'org_1',
          isMainAdmin,
          permissions: grant,
        };
        expect(can(principal, permission)).toBe(isMainAdmin || grant.includes(permission));
      }),
    );
  });

  it('a personal account holds no permission, whatever its principal lists', () => {
    fc.assert(
      fc.property(permissionsArb, fc.boolean(), fc.constantFrom(...PERMISSIONS), (grant, isMainAdmin, permission) => {
        const principal: Principal = {
          type: 'account',
          accountId: 'acc_1',
          login: 'alice',
          organizationId: null,
          isMainAdmin,
          permissions: grant,
        };
        expect(can(principal, permission)).toBe(false);
      }),
    );
  });

  it('unknown permission names are never held', () => {
    const admin: Principal = {
      type: 'account',
      accountId: 'a',
      login: 'admin@acme',
      organizationId: 'o',
      isMainAdmin: true,
      permissions: [],
    };
    expect(can(admin, 'root' as Permission)).toBe(false);
  });
});

describe('fuzzed input (fast-check)', () => {
  it('register, reset request and reminder answer { accepted: true } or throw HelpdeskError — nothing else', async () => {
    const h = makeAccounts();
    await fc.assert(
      fc.asyncProperty(
        fc.anything(),
        fc.constantFrom('register', 'requestPasswordReset', 'requestUsernameReminder', 'resetPassword', 'activate'),
        async (input, method) => {
          try {
            const result = await (h.accounts[method as 'register'] as (i: unknown) => Promise<unknown>)(input);
            expect(result).toBeTypeOf('object');
          } catch (error) {
            expect(isHelpdeskError(error)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect((await dumpStorage(h.storage)).records).toEqual([]);
  });
});
