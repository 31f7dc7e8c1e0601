// A walk through desk.login: the first login of a main administrator with a temporary password,
// a business login with the SMS code, and a phone-number login. The Hungarian button labels of the
// self-service pages are in parentheses.
import { isHelpdeskError } from '../src/errors.js';
import type { Helpdesk } from '../src/helpdesk.js';
import type { LoginFlowView } from '../src/login/index.js';
import type { CapturingMailer, CapturingSms } from '../src/testing/index.js';

const ADMIN_PHONE = '+36305550171';
const DESK_PHONE = '205550199';

function codeFrom(sms: CapturingSms, to: string): string {
  const code = /\b(\d{6})\b/.exec(sms.to(to).at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`No login code reached ${to}.`);
  return code;
}

function temporaryPasswordFrom(mailer: CapturingMailer, to: string): string {
  const password = /(?:Temporary password|Ideiglenes jelszó): (\S+)/.exec(mailer.to(to).at(-1)?.text ?? '')?.[1];
  if (!password) throw new Error(`No temporary password reached ${to}.`);
  return password;
}

const describe = (view: LoginFlowView) =>
  `${view.state}${view.error ? ` (${view.error.code})` : ''}${view.maskedPhone && view.state === 'awaiting_code' ? ` for ${view.maskedPhone}` : ''}`;

/**
 * Runs on any desk with a capturing mailer and SMS sender. It creates its own organisation
 * (`acme`, or `acme-login` when `acme` exists already) so it does not depend on earlier steps.
 */
export async function loginWalkthrough(
  desk: Helpdesk,
  log: (line: string) => void,
  sms: CapturingSms,
  mailer: CapturingMailer,
): Promise<void> {
  // 0. An organisation and its main administrator, who receives a temporary password by mail.
  const create = (slug: string) =>
    desk.accounts.createOrganization({
      slug,
      name: 'Acme Kft.',
      admin: { email: `it@${slug}.example`, phone: ADMIN_PHONE, displayName: 'Acme IT', locale: 'hu' },
    });
  const { organization, admin } = await create('acme').catch((error: unknown) => {
    if (isHelpdeskError(error, 'ORGANIZATION_EXISTS')) return create('acme-login');
    throw error;
  });
  await desk.dispatchOutbox();
  const adminMail = `it@${organization.slug}.example`;
  const temporary = temporaryPasswordFrom(mailer, adminMail);
  log(`${admin.login} received a temporary password by mail; it only allows setting a new password.`);

  // 1. First login with the temporary password: password → SMS code → new password.
  let view = await desk.login.start();
  log(`The login page opens a flow valid until ${new Date(view.expiresAt).toISOString()}: ${describe(view)}.`);
  view = await desk.login.submitIdentifier({ flowId: view.flowId, identifier: admin.login });
  log(`The administrator types ${admin.login} ("Tovább") → ${describe(view)}.`);
  view = await desk.login.submitPassword({ flowId: view.flowId, password: temporary });
  log(`…types the temporary password ("Tovább") → ${describe(view)}.`);
  await desk.dispatchOutbox();
  view = await desk.login.submitCode({ flowId: view.flowId, code: codeFrom(sms, ADMIN_PHONE) });
  log(`…types the code from the free SMS ("Belépek") → ${describe(view)}: a new password is required first.`);
  const rejected = await desk.login.changePassword({ flowId: view.flowId, newPassword: temporary });
  log(`Reusing the temporary password as the new one → ${describe(rejected)}, reason ${rejected.error?.reason}.`);
  const adminPassword = 'Acme IT kulcsszava 2026';
  view = await desk.login.changePassword({ flowId: view.flowId, newPassword: adminPassword });
  const first = view.result;
  if (!first) throw new Error(`The first login did not complete: ${describe(view)}`);
  log(
    `A new password ("Tovább") → ${describe(view)} as ${first.amr.join(' + ')}, with ${first.permissions.length} permissions.`,
  );

  // The administrator registers a phone number that may only read tickets.
  await desk.accounts.registerPhoneNumber({
    auth: first.auth,
    phone: DESK_PHONE,
    permissions: ['tickets.read'],
    label: 'Recepció',
  });
  log(`${admin.login} registers the number ${DESK_PHONE} with the single permission tickets.read.`);

  // 2. A normal business login: password, then the SMS code; one early "didn't get the SMS".
  view = await desk.login.start();
  view = await desk.login.submitIdentifier({ flowId: view.flowId, identifier: admin.login });
  view = await desk.login.submitPassword({ flowId: view.flowId, password: 'a wrong guess' });
  log(`Later: ${admin.login} mistypes the password ("Tovább") → ${describe(view)}.`);
  view = await desk.login.submitPassword({ flowId: view.flowId, password: adminPassword });
  log(`…types it right ("Tovább") → ${describe(view)}; ${view.attemptsLeft} wrong codes allowed.`);
  const early = await desk.login.resendCode({ flowId: view.flowId });
  log(
    `"Nem kaptam meg az SMS-t" at once → ${describe(early)}; possible from ${new Date(early.resendAvailableAt ?? 0).toISOString()}, ${early.resendsLeft} resends left.`,
  );
  await desk.dispatchOutbox();
  view = await desk.login.submitCode({ flowId: view.flowId, code: codeFrom(sms, ADMIN_PHONE) });
  log(`…types the code ("Belépek") → ${describe(view)} as ${view.result?.amr.join(' + ')}.`);

  // 3. Phone-number login: only that number's functions.
  const phoneView = await desk.login.startPhoneLogin({ number: DESK_PHONE });
  log(`At reception someone types ${DESK_PHONE} ("Tovább", "Kérem az SMS-t") → ${describe(phoneView)}.`);
  await desk.dispatchOutbox();
  const phoneDone = await desk.login.submitCode({ flowId: phoneView.flowId, code: codeFrom(sms, '+36205550199') });
  const phone = phoneDone.result;
  if (!phone) throw new Error(`The phone login did not complete: ${describe(phoneDone)}`);
  log(
    `…types the code ("Belépek") → ${describe(phoneDone)} as ${phone.amr.join(' + ')}, permissions: ${phone.permissions.join(', ')}.`,
  );
  const refused = await desk.accounts
    .createBusinessUser({ auth: phone.auth, username: 'mallory', email: 'm@acme.example', permissions: [] })
    .then(() => 'allowed')
    .catch((error: unknown) => (isHelpdeskError(error) ? error.code : 'error'));
  log(`The phone session tries to create a user → ${refused}: a phone login never administers.`);

  const unknown = await desk.login.startPhoneLogin({ number: '+36 70 555 0000' });
  log(`An unregistered number gets the same answer (${describe(unknown)}), but no SMS is sent.`);
}
