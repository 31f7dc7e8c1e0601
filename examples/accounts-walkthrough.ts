// A walk through desk.accounts: a personal user registers and activates, then a business
// organisation is created with its main administrator and one business user.
import type { AccountService } from '../src/accounts/service.js';
import type { AuthContext } from '../src/accounts/principal.js';
import type { CapturingMailer } from '../src/testing/index.js';

function lastMailTo(mailer: CapturingMailer, address: string) {
  const mails = mailer.to(address);
  const mail = mails[mails.length - 1];
  if (!mail) throw new Error(`No mail reached ${address}.`);
  return mail;
}

export async function accountsWalkthrough(
  desk: { accounts: AccountService; dispatchOutbox(): Promise<unknown> },
  log: (line: string) => void,
  mailer: CapturingMailer,
): Promise<void> {
  // 1. Registration: the answer is the same whether or not the name is free.
  const answer = await desk.accounts.register({
    username: 'Eleni',
    email: 'eleni@example.gr',
    password: 'a long and private passphrase',
    displayName: 'Eleni Papadopoulou',
    locale: 'el',
  });
  log(`Eleni registers as "Eleni"; the desk answers ${JSON.stringify(answer)} and stores the username as "eleni".`);

  await desk.dispatchOutbox();
  const activationMail = lastMailTo(mailer, 'eleni@example.gr');
  log(`An activation mail arrives: "${activationMail.subject}". Until she follows the link she cannot log in.`);

  // 2. Activation: the token comes from the link in the mail.
  const token = /token=([A-Za-z0-9_-]+)/.exec(activationMail.text)?.[1];
  if (!token) throw new Error('The activation mail holds no link.');
  const activated = await desk.accounts.activate({ token });
  if (!activated.ok) throw new Error(`Activation failed: ${activated.code}`);
  log(`She follows the link: account ${activated.login} is now active.`);
  const again = await desk.accounts.activate({ token });
  log(`Following the same link again answers ${again.ok ? 'ok' : again.code}: links work once.`);

  // 3. A business organisation and its main administrator.
  const { organization, admin } = await desk.accounts.createOrganization({
    slug: 'Acme',
    name: 'Acme Kft.',
    admin: { email: 'it@acme.example', phone: '06-30/123-4567', displayName: 'Acme IT', locale: 'hu' },
  });
  log(`Organisation "${organization.name}" is created; its main administrator logs in as ${admin.login}.`);
  log(
    `SMS code at login is ${organization.settings.smsCodeForLogin ? 'on' : 'off'} by default; only ${admin.login} may change it.`,
  );
  await desk.dispatchOutbox();
  log(
    `${admin.login} receives a temporary password by mail ("${lastMailTo(mailer, 'it@acme.example').subject}"), to be changed at first login.`,
  );

  // 4. The administrator creates a business user. The login module produces this AuthContext;
  // here the demo stands in for the administrator's completed login (password + SMS code).
  const adminAuth: AuthContext = {
    principal: {
      type: 'account',
      accountId: admin.id,
      login: admin.login,
      organizationId: organization.id,
      isMainAdmin: true,
      permissions: [],
    },
    amr: ['password', 'sms'],
    authenticatedAt: admin.createdAt,
  };
  const user = await desk.accounts.createBusinessUser({
    auth: adminAuth,
    username: 'Peter',
    email: 'peter@acme.example',
    permissions: ['tickets.read', 'tickets.create'],
  });
  log(`${admin.login} creates business user ${user.login} with permissions: ${user.permissions.join(', ')}.`);
  await desk.dispatchOutbox();
  log(`${user.login} receives his own temporary password (valid 72 hours) at peter@acme.example.`);

  // 5. A phone number with restricted rights.
  const phone = await desk.accounts.registerPhoneNumber({
    auth: adminAuth,
    phone: '+36 20 987 6543',
    permissions: ['tickets.read'],
  });
  log(
    `The number ${phone.phone} is tied to ${organization.slug}; logging in with it gives only: ${phone.permissions.join(', ')}.`,
  );
}
