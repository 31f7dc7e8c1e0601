import { describe, expect, it } from 'vitest';
import type { PrivacyStore } from '../../src/ports/privacy-store.js';
import type { StoredRecord } from '../../src/ports/record-store.js';
import { collectSources, readSource } from '../../src/privacy/collect-sources.js';
import { DEFAULT_PERSONAL_DATA_HANDLERS } from '../../src/privacy/handlers.js';
import { bobLogsIn, deskWithBob } from '../sessions/_harness.js';
import { fileTicket, registerPerson, type PrivacyHarness } from './_harness.js';

describe("a handler's lookups find every record of its kind by the identifiers it names", () => {
  it('accounts, tickets, sessions, devices, link tokens and factor sets of a small workload', async () => {
    const { h } = await deskWithBob();
    const people = h as unknown as PrivacyHarness;
    const alice = await registerPerson(people, 'alice');
    await fileTicket(people, alice, 'Tracker offline.');
    await h.desk.tickets.submit({
      requester: { id: 'contact:guest@example.net', email: 'guest@example.net' },
      content: { organization: 'Acme', subject: 'Guest question', description: 'Hello.' },
    });
    await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Laptop' });

    const store = h.storage as typeof h.storage & PrivacyStore;
    const records: StoredRecord[] = [];
    for (let after = null as { kind: string; id: string } | null; ;) {
      const page = await store.scanRecords(after, 200);
      records.push(...page);
      if (page.length < 200) break;
      after = { kind: page.at(-1)!.kind, id: page.at(-1)!.id };
    }
    const checked = new Set<string>();
    for (const handler of DEFAULT_PERSONAL_DATA_HANDLERS.filter((candidate) => candidate.lookups)) {
      for (const record of records.filter((candidate) => candidate.kind === handler.kind)) {
        const names = handler.subjectsOf(record.state, record.id);
        const found = [];
        for (const source of collectSources([handler], names))
          found.push(...(await readSource(h.storage, source, null, 1000)).map((hit) => hit.id));
        expect(found, `${record.kind} ${record.id} by ${names.join(', ')}`).toContain(record.id);
        checked.add(record.kind);
      }
    }
    expect([...checked].sort()).toEqual(
      ['account', 'account_factors', 'link_token', 'remembered_device', 'session', 'ticket'].filter((kind) =>
        records.some((record) => record.kind === kind),
      ),
    );
    expect(checked.has('ticket') && checked.has('session') && checked.has('account')).toBe(true);
  });
});
