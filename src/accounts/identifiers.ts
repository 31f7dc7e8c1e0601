import { z } from 'zod';
import { commonErrors } from '../errors.js';
import { safeString } from '../_lib/text.js';

// Every schema here starts from safeString (no NUL, no lone surrogate: they would not survive
// storage unchanged); the patterns after canonicalisation refuse any control character.

/**
 * The one spelling of a login identifier that is stored and compared: Unicode NFKC
 * (fullwidth `ＡＢＣ` becomes `ABC`), surrounding whitespace removed, lowercased with the
 * locale-independent `toLowerCase` (so a Turkish host locale cannot change the result).
 */
export function canonicalIdentifier(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}

/** Login id of an organisation's main administrator: `admin@<company>`. */
export const mainAdministratorUsername = 'admin';

export const usernameExpected =
  "a username of 3–32 characters: lowercase letters a–z, digits, '.', '_' or '-', starting with a letter or digit";
export const companySlugExpected =
  "a company name of 2–40 characters: lowercase letters a–z, digits or '-', not starting or ending with '-'";
export const emailExpected = 'an email address such as name@example.com (at most 254 characters)';
export const businessLoginExpected = 'a business login of the form username@company, e.g. admin@acme';

const expectedString = (what: string) => ({ error: `Expected ${what}.` });

/** A business user's username, canonicalised (see {@link canonicalIdentifier}). */
export const usernameSchema = safeString(expectedString(usernameExpected))
  .transform(canonicalIdentifier)
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, { error: `Expected ${usernameExpected}.` }));

/** An organisation's short name as used after the `@` of a business login, canonicalised. */
export const companySlugSchema = safeString(expectedString(companySlugExpected))
  .transform(canonicalIdentifier)
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, { error: `Expected ${companySlugExpected}.` }));

// Pragmatic RFC 5321 shape: a dot-atom local part of at most 64 characters and a domain of
// at least two LDH labels with an alphabetic (or punycode) top-level label. No quoted local
// parts, IP-literal domains or raw Unicode: a mailbox that needs them is rare enough to refuse.
const atext = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
const localPart = new RegExp(`^${atext}(?:\\.${atext})*$`);
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const topLabel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    localPart.test(local) &&
    labels.length >= 2 &&
    labels.every((part) => label.test(part)) &&
    topLabel.test(labels[labels.length - 1]!)
  );
}

/**
 * An email address, canonicalised (lowercased as a whole: mail providers treat the local
 * part case-insensitively in practice, and one account per address is what users expect).
 */
export const emailSchema = safeString(expectedString(emailExpected))
  .transform(canonicalIdentifier)
  .pipe(z.string().refine(isEmail, { error: `Expected ${emailExpected}.` }));

/** A business login split into its parts, both canonical. */
export interface BusinessLogin {
  username: string;
  company: string;
}

/**
 * `username@company`, canonicalised and split. `admin@company` is the organisation's main
 * administrator. A company slug has no dot, so a business login never looks like an email.
 */
export const businessLoginSchema: z.ZodType<BusinessLogin, string> = safeString(expectedString(businessLoginExpected))
  .transform(canonicalIdentifier)
  .pipe(z.string().regex(/^[^@]+@[^@]+$/, { error: `Expected ${businessLoginExpected}.` }))
  .transform((login) => {
    const at = login.indexOf('@');
    return { username: login.slice(0, at), company: login.slice(at + 1) };
  })
  .pipe(z.object({ username: usernameSchema, company: companySlugSchema }));

/** Parses a business login or throws `INVALID_INPUT` with the zod issues and the expected form. */
export function parseBusinessLogin(s: string): BusinessLogin {
  const result = businessLoginSchema.safeParse(s);
  if (!result.success) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { field: 'login', expected: businessLoginExpected, issues: result.error.issues },
      result.error.issues[0]?.message ?? `Expected ${businessLoginExpected}.`,
    );
  }
  return result.data;
}

/** Writes a business login back as `username@company`. */
export function formatBusinessLogin(login: BusinessLogin): string {
  return `${login.username}@${login.company}`;
}

/** True for the main administrator's login, `admin@<company>`. */
export function isMainAdministrator(login: BusinessLogin): boolean {
  return login.username === mainAdministratorUsername;
}
