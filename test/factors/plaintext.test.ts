import { describe, expect, it } from 'vitest';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { FACTOR_RECORD_KINDS } from '../../src/factors/factor-record.js';
import { LOGIN_RECORD_KINDS } from '../../src/login/service.js';
import type { Storage } from '../../src/ports/storage.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import { jsonStrings } from '../helpers.js';
import { toPassword } from '../login/_harness.js';
import { currentTotp, lastMailedCode, makeFactorDesk, signedInAlice } from './_harness.js';

async function everyString(storage: Storage): Promise<string[]> {
  const out: string[] = [];
  for (const kind of [
    ...ACCOUNT_RECORD_KINDS,
    ...SECURITY_RECORD_KINDS,
    ...LOGIN_RECORD_KINDS,
    ...FACTOR_RECORD_KINDS,
  ]) {
    for (const record of await storage.list(kind, { where: {}, limit: 10_000 })) {
      jsonStrings({ id: record.id, state: record.state, indexes: record.indexes }, out);
      jsonStrings(await storage.history(kind, record.id), out);
    }
  }
  jsonStrings(await storage.listOutbox({ limit: 10_000 }), out);
  return out;
}

describe('no factor secret is stored in clear', () => {
  it('no record, history entry or outbox payload holds a TOTP secret, a backup code or a mailed code', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const app = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
    const firstTotp = await currentTotp(h, app.totp!.secret);
    await h.desk.factors.confirm({ auth: alice.auth, factorId: app.factor.id, code: firstTotp });
    const backup = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    const mail = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    // The codes are read before dispatch, while their messages are pending (sealed) in the outbox.
    const pendingStrings = await everyString(h.storage);
    const mailCode = await lastMailedCode(h, alice.email);
    await h.desk.factors.confirm({ auth: alice.auth, factorId: mail.factor.id, code: mailCode });

    // A login with a backup code, and one waiting for a mailed code.
    h.clock.advance(30_000);
    const used = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: used.flowId, factorId: backup.factor.id });
    await h.desk.login.submitCode({ flowId: used.flowId, code: backup.backupCodes![0]! });
    const waiting = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: waiting.flowId, factorId: mail.factor.id });
    const loginMailCode = await lastMailedCode(h, alice.email);

    const secrets = [app.totp!.secret, ...backup.backupCodes!, ...backup.backupCodes!.map((c) => c.replace('-', ''))];
    const codes = [firstTotp, mailCode, loginMailCode];
    const haystack = [...pendingStrings, ...(await everyString(h.storage))];
    for (const secret of secrets)
      expect(
        haystack.filter((s) => s.includes(secret)),
        `${secret.slice(0, 3)}…`,
      ).toEqual([]);
    // A 6-digit code could appear by chance inside a longer random string; look for it as a whole value or word.
    for (const code of codes)
      expect(
        haystack.filter((s) => new RegExp(`(^|\\D)${code}(\\D|$)`).test(s)),
        `code ${code.slice(0, 2)}…`,
      ).toEqual([]);
  });
});
