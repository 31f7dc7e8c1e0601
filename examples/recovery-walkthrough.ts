// A walk through desk.recovery: a user whose phone was stolen asks through the contact form to
// recover their account; support asks for proof, reviews and approves it; every address on record
// is told; after the 24 h waiting period the old phone is removed, sessions end, and the next
// login enrols a new phone.
import type { Helpdesk } from '../src/helpdesk.js';
import type { CapturingMailer, CapturingSms, ManualClock } from '../src/testing/index.js';

const HOUR = 3_600_000;
const OLD_PHONE = '+36305550181';
const NEW_PHONE = '+36705550182';

const lastTo = (list: Array<{ text: string }>) => list.at(-1)?.text ?? '';

/**
 * Runs on any desk with a capturing mailer and SMS sender and a manual clock (it moves the clock
 * 24 hours). It registers its own personal account, so it does not depend on earlier steps.
 */
export async function recoveryWalkthrough(
  desk: Helpdesk,
  log: (line: string) => void,
  mailer: CapturingMailer,
  sms: CapturingSms,
  clock: ManualClock,
): Promise<void> {
  // 0. Rita has an account with her phone on record.
  const username = `rita${(clock.now() % 100_000).toString(36)}`;
  const email = `${username}@example.com`;
  const password = 'rita long passphrase';
  await desk.accounts.register({ username, email, password, displayName: 'Rita', phone: OLD_PHONE });
  await desk.dispatchOutbox();
  const token = /token=([A-Za-z0-9_-]+)/.exec(lastTo(mailer.to(email)))?.[1];
  if (!token) throw new Error('No activation mail reached Rita.');
  await desk.accounts.activate({ token });
  log(`Rita (${username}) has an account; her phone ${OLD_PHONE} receives the login codes.`);

  // 1. Her phone is stolen. Without a helpdesk session, she uses the public contact form.
  const opened = await desk.recovery.open({
    login: username,
    lostFactor: 'phone',
    channel: 'contact_form',
    requester: { email: 'rita.private@example.net', name: 'Rita' },
    description: 'My phone was stolen yesterday; I cannot receive the login code.',
  });
  log(`Contact form → case ${opened.caseId} under ticket #${opened.ticketNumber}, ${opened.status}.`);
  const stranger = await desk.recovery.open({
    login: 'no-such-user',
    lostFactor: 'phone',
    channel: 'contact_form',
    requester: { email: 'someone@example.net' },
  });
  log(`An unknown login gets the same answer: ${stranger.status}, ticket #${stranger.ticketNumber}.`);
  await desk.dispatchOutbox();
  log(`Mail to the account's address: "${mailer.to(email).at(-1)?.subject ?? ''}".`);
  log(`SMS to the phone on record: "${lastTo(sms.to(OLD_PHONE))}".`);

  // 2. Support asks for proof in the ticket; it arrives and is entered on the case.
  const requester = { role: 'requester', ticketId: opened.ticketId } as const;
  await desk.recovery.addEvidence({
    caseId: opened.caseId,
    actor: requester,
    evidence: {
      kind: 'purchase_record',
      description: 'Invoice of the subscription, in her name',
      attachments: [{ name: 'invoice.pdf', contentType: 'application/pdf', size: 48_213 }],
    },
  });
  await desk.recovery.review({
    caseId: opened.caseId,
    actor: { role: 'agent', id: 'anna' },
    outcome: 'accept',
    note: 'Invoice matches the account holder.',
  });
  const approved = await desk.recovery.approve({ caseId: opened.caseId, actor: { role: 'agent', id: 'anna' } });
  log(`Approved by anna; the waiting period ends ${new Date(approved.waitingEndsAt ?? 0).toISOString()}.`);
  await desk.dispatchOutbox();
  log(`Every address on record is told: "${lastTo(sms.to(OLD_PHONE))}".`);

  // 3. Nobody cancels. The sweep completes the case after 24 hours.
  clock.advance(24 * HOUR);
  const { fired } = await desk.runDueTimers();
  const mine = fired.filter((f) => f.id === opened.caseId).map((f) => f.event);
  log(`runDueTimers() after 24 h: ${mine.join(', ')}.`);
  const done = await desk.recovery.get(opened.caseId);
  log(`Case ${done.status}; sessions ${done.sessions}.`);

  // 4. The next login must enrol a new phone before it succeeds.
  const flow = await desk.login.start();
  await desk.login.submitIdentifier({ flowId: flow.flowId, identifier: username });
  const afterPassword = await desk.login.submitPassword({ flowId: flow.flowId, password });
  log(`Next login, after the password: ${afterPassword.state}.`);
  const coding = await desk.login.enrolPhone({ flowId: flow.flowId, number: NEW_PHONE });
  log(`New phone given: ${coding.state} for ${coding.maskedPhone ?? ''}.`);
  await desk.dispatchOutbox();
  const code = /\b(\d{6})\b/.exec(lastTo(sms.to(NEW_PHONE)))?.[1];
  if (!code) throw new Error('No code reached the new phone.');
  const view = await desk.login.submitCode({ flowId: flow.flowId, code });
  log(`Code from the new phone: ${view.state}, amr ${view.result?.amr.join('+') ?? '-'}.`);
  await desk.dispatchOutbox();
  log(`The owner is told: "${mailer.to(email).at(-1)?.subject ?? ''}".`);
}
