import type { RandomSource } from '../ports/random-source.js';
import type { SecretHasher } from '../security/hmac.js';

/** How many backup codes a set holds. */
export const BACKUP_CODE_COUNT = 10;

// RFC 4648 base32 (no 0, 1, 8 or 9 to misread): 10 characters give 50 bits, ample for a single-use code.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CODE_LENGTH = 10;

/** One stored backup code: its HMAC (never the code) and when it was used (null while unused). */
export interface StoredBackupCode {
  mac: string;
  usedAt: number | null;
}

/** A fresh set: the codes to show once, and what is stored. */
export interface BackupCodeSet {
  /** Shown to the user once, grouped `ABCDE-FGHIJ`; never stored. */
  codes: string[];
  stored: StoredBackupCode[];
}

const purpose = 'backup_code';

/** The code as it is hashed: upper case, without the group dash and spaces people type. */
export function normalizeBackupCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

function randomCode(random: RandomSource): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  random.fill(bytes);
  // 32 divides 256: `byte % 32` is uniform.
  const raw = [...bytes].map((byte) => alphabet[byte % 32]!).join('');
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Draws {@link BACKUP_CODE_COUNT} codes and their HMACs, bound to `accountId` so a code never fits another account. */
export async function newBackupCodes(
  random: RandomSource,
  macs: SecretHasher,
  accountId: string,
): Promise<BackupCodeSet> {
  const codes = new Set<string>();
  while (codes.size < BACKUP_CODE_COUNT) codes.add(randomCode(random));
  const list = [...codes];
  const stored = await Promise.all(
    list.map(async (code) => ({
      mac: await macs.hash(purpose, `${accountId}:${normalizeBackupCode(code)}`),
      usedAt: null,
    })),
  );
  return { codes: list, stored };
}

/**
 * Finds the unused stored code that `code` matches; returns its index, or null. Every stored
 * code is compared (constant time each), so the answer takes the same time wherever it matches.
 */
export async function matchBackupCode(
  macs: SecretHasher,
  accountId: string,
  code: string,
  stored: readonly StoredBackupCode[],
): Promise<number | null> {
  const normalized = normalizeBackupCode(code);
  if (normalized.length !== CODE_LENGTH || ![...normalized].every((char) => alphabet.includes(char))) return null;
  let found: number | null = null;
  for (const [index, entry] of stored.entries()) {
    const equal = await macs.verify(purpose, `${accountId}:${normalized}`, entry.mac);
    if (equal && entry.usedAt === null && found === null) found = index;
  }
  return found;
}

/** How many codes of a set are still unused. */
export function backupCodesLeft(stored: readonly StoredBackupCode[]): number {
  return stored.filter((entry) => entry.usedAt === null).length;
}
