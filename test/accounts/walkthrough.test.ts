import { expect, it } from 'vitest';
import { accountsWalkthrough } from '../../examples/accounts-walkthrough.js';
import { makeAccounts } from './_harness.js';

it('the accounts walkthrough registers and activates a user and creates an organisation with a business user', async () => {
  const h = makeAccounts();
  const lines: string[] = [];
  await accountsWalkthrough({ accounts: h.accounts, dispatchOutbox: h.deliver }, (line) => lines.push(line), h.mailer);
  expect(lines.join('\n')).toContain('account eleni is now active');
  expect(lines.join('\n')).toContain('peter@acme');
  expect((await h.internal.findAccountByLogin('peter@acme'))?.value.permissions).toEqual([
    'tickets.read',
    'tickets.create',
  ]);
});
