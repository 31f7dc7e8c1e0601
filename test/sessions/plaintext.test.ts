import { describe, expect, it } from 'vitest';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { LOGIN_RECORD_KINDS } from '../../src/login/service.js';
import type { Storage } from '../../src/ports/storage.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import { SESSION_RECORD_KINDS } from '../../src/sessions/index.js';
import { jsonStrings } from '../helpers.js';
import { ADMIN_PHONE, bobLogsIn, deskWithBob, lastSmsCode, sessionTokenOf } from './_harness.js';

async function dump(storage: Storage) {
  const strings: string[] = [];
  const kinds = [...ACCOUNT_RECORD_KINDS, ...SECURITY_RECORD_KINDS, ...LOGIN_RECORD_KINDS, ...SESSION_RECORD_KINDS];
  let sessions = 0;
  let devices = 0;
  for (const kind of kinds) {
    for (const record of await storage.list(kind, { where: {}, limit: 10_000 })) {
      if (kind === 'session') sessions += 1;
      if (kind === 'remembered_device') devices += 1;
      jsonStrings({ id: record.id, state: record.state, indexes: record.indexes }, strings);
      jsonStrings(await storage.history(kind, record.id), strings);
    }
  }
  jsonStrings(await storage.listOutbox({ limit: 10_000 }), strings);
  return { strings, sessions, devices };
}

describe('no session or device token is stored in clear', () => {
  it('no record, index, history entry or outbox message holds a session or device token, or its secret part', async () => {
    const { h, adminAuth } = await deskWithBob();
    const tokens: string[] = [];
    const remembered = await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Laptop' });
    tokens.push(sessionTokenOf(remembered), remembered.device!.token);
    const again = await bobLogsIn(h);
    tokens.push(sessionTokenOf(again));
    const auth = await h.desk.sessions.verify(sessionTokenOf(again));
    h.clock.advance(2 * 60_000);
    await h.desk.sessions.verify(sessionTokenOf(again)); // a touch writes the record again
    await h.desk.sessions.revokeOthers(auth);
    // A step-up refreshes the main administrator's session in place.
    const stepUp = await h.desk.login.startStepUp({ auth: adminAuth });
    await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, ADMIN_PHONE) });
    // A device token given to login.start is kept with the flow only as its device id and MAC.
    const { flowId } = await h.desk.login.start({ deviceToken: remembered.device!.token });
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    await h.desk.dispatchOutbox();

    const d = await dump(h.storage);
    expect(d.sessions).toBeGreaterThanOrEqual(3);
    expect(d.devices).toBe(1);
    for (const token of tokens) {
      // The scan does see the records: the public id part of each token is there.
      expect(d.strings.some((s) => s === token.split('.')[0])).toBe(true);
      const secret = token.split('.')[1]!;
      expect(secret).toHaveLength(43);
      const leaks = d.strings.filter((s) => s.includes(secret));
      expect(leaks, `token ${token.slice(0, 8)}… leaked`).toEqual([]);
    }
  });
});
