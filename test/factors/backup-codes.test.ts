import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODE_COUNT,
  backupCodesLeft,
  matchBackupCode,
  newBackupCodes,
  type StoredBackupCode,
} from '../../src/factors/backup-codes.js';
import { createSecretHasher } from '../../src/security/hmac.js';
import { webCryptoRandom } from '../../src/ports/random-source.js';

const macs = createSecretHasher('test-pepper-of-at-least-32-bytes!');

/** Uses a code the way the factor service does: match, then mark it used. */
async function use(stored: StoredBackupCode[], accountId: string, code: string, at: number): Promise<boolean> {
  const index = await matchBackupCode(macs, accountId, code, stored);
  if (index === null) return false;
  stored[index] = { ...stored[index]!, usedAt: at };
  return true;
}

describe('backup codes', () => {
  it('gives 10 distinct grouped codes and stores only their HMACs', async () => {
    const set = await newBackupCodes(webCryptoRandom, macs, 'acc_1');
    expect(set.codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(new Set(set.codes).size).toBe(BACKUP_CODE_COUNT);
    for (const code of set.codes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const stored = JSON.stringify(set.stored);
    for (const code of set.codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
  });

  it('a backup code works once', async () => {
    const set = await newBackupCodes(webCryptoRandom, macs, 'acc_1');
    const stored = [...set.stored];
    const code = set.codes[3]!;
    expect(await use(stored, 'acc_1', code, 1)).toBe(true);
    expect(await use(stored, 'acc_1', code, 2)).toBe(false);
    expect(backupCodesLeft(stored)).toBe(BACKUP_CODE_COUNT - 1);
  });

  it('reads a code typed in lower case, without the dash or with spaces', async () => {
    const set = await newBackupCodes(webCryptoRandom, macs, 'acc_1');
    const stored = [...set.stored];
    expect(await use(stored, 'acc_1', set.codes[0]!.toLowerCase(), 1)).toBe(true);
    expect(await use(stored, 'acc_1', set.codes[1]!.replace('-', ''), 1)).toBe(true);
    expect(await use(stored, 'acc_1', set.codes[2]!.replace('-', ' '), 1)).toBe(true);
  });

  it("never fits another account's set", async () => {
    const set = await newBackupCodes(webCryptoRandom, macs, 'acc_1');
    expect(await matchBackupCode(macs, 'acc_2', set.codes[0]!, set.stored)).toBeNull();
  });

  it('refuses malformed input without matching', async () => {
    const set = await newBackupCodes(webCryptoRandom, macs, 'acc_1');
    for (const code of ['', 'ABCDE', 'ABCDE-FGHI1', `${set.codes[0]!}X`, '\u0000'.repeat(10)]) {
      expect(await matchBackupCode(macs, 'acc_1', code, set.stored)).toBeNull();
    }
  });
});
