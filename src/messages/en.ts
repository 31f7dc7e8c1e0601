import type { MessageCatalog } from './templates.js';

/**
 * English mail and SMS templates. Register: neutral and polite ("you", no first names
 * forced, no slang), British spelling to match the British date format of `formatDateTime`.
 */
export const en: MessageCatalog = {
  'ticket.confirmation': {
    subject: '[#{number}] {title}',
    text:
      'We have received your request and opened ticket #{number}: {title}.\n\n' +
      'To add information or ask about its status, reply to this email and keep [#{number}] in the subject, ' +
      'or quote the ticket number when you contact us.',
  },
  'ticket.reminder': {
    subject: '[#{number}] Waiting for your reply: {title}',
    text:
      'Ticket #{number} ({title}) is waiting for your reply. ' +
      'If we do not hear from you, it will be marked as solved automatically on {autoResolveAt}.\n\n' +
      'Reply to this email to keep the ticket open.',
  },
  'ticket.auto_solved': {
    subject: '[#{number}] Solved: {title}',
    text:
      'We did not hear back from you, so ticket #{number} ({title}) has been marked as solved automatically.\n\n' +
      'If the problem is not resolved, reply to this email and we will pick it up again.',
  },
  'ticket.agent_reply': {
    subject: '[#{number}] New reply: {title}',
    text:
      '{body}\n\n' +
      '--\n' +
      'Ticket #{number}: {title}\n' +
      'To answer, reply to this email and keep [#{number}] in the subject.',
  },
  'ticket.follow_up_created': {
    subject: '[#{number}] Follow-up to #{previousNumber}: {title}',
    text:
      'Ticket #{previousNumber} was already closed, so we opened a linked follow-up ticket for your message: ' +
      '#{number} – {title}.\n\n' +
      'Please refer to ticket #{number} from now on.',
  },
  'account.activation': {
    subject: 'Activate your account',
    text:
      'Hello {name},\n\n' +
      'Your account has been created. Before you can log in, activate it by following this link:\n\n' +
      '{link}\n\n' +
      'The link expires in {expiresIn}. If you did not register, you can ignore this email.',
  },
  'account.username_unavailable': {
    subject: 'The username {username} is not available',
    text: 'Hello,\n\nSomeone (probably you) tried to register the username {username} with this email address. That username is already taken, so no account was created.\n\nIf it was you, register again with another username. If it was not you, you can ignore this message.\n',
  },
  'account.already_registered': {
    subject: 'Someone tried to register with your email address',
    text:
      'Hello {name},\n\n' +
      'Someone tried to register a new account with this email address, which already belongs to your account {login}.\n\n' +
      'If it was you, log in with your existing account, or reset your password if you have forgotten it. ' +
      'If it was not you, you can ignore this email: your account has not been changed.',
  },
  'password.reset_code': {
    subject: 'Your password reset code',
    text: 'Your password reset code: {code}. Valid for {expiresIn}. Do not share it with anyone.',
  },
  'password.reset_link': {
    subject: 'Reset your password',
    text:
      'We received a request to reset your password. To choose a new password, follow this link:\n\n' +
      '{link}\n\n' +
      'The link is valid for {expiresIn} and works once. ' +
      'If you did not ask for this, you can ignore this email: your password stays unchanged.',
  },
  'password.changed': {
    subject: 'Your password was changed',
    text:
      'Hello {name},\n\n' +
      'The password of your account was just changed.\n\n' +
      'If you did not do this, reset your password at once and contact support.',
  },
  'username.reminder': {
    subject: 'Your usernames',
    text:
      'You asked for the usernames linked to this email address:\n\n' +
      '{usernames}\n\n' +
      'If you did not ask for this, you can ignore this email.',
  },
  'business.temporary_password': {
    subject: 'Your business user login',
    text:
      'A business user has been created for you.\n\n' +
      'Login: {login}\n' +
      'Temporary password: {password}\n\n' +
      'The temporary password is valid for {expiresIn} and works once: ' +
      'at your first login you must choose a new password.',
  },
  'organization.sms_setting_changed': {
    subject: 'SMS login code setting changed for {organization}',
    text:
      '{changedBy} changed the one-time SMS code setting for logins to {organization}. ' +
      'SMS code at login: {enabled}.\n\n' +
      'If you did not expect this change, contact support at once.',
  },
  'login.code': {
    subject: 'Your login code',
    text: 'Your login code: {code}. Valid for {expiresIn}. Do not share it. This SMS is free of charge.',
  },
  'recovery.notice': {
    subject: 'Recovery of your account {login}: {step}',
    text:
      'There is news about the request to recover your account {login}: {step}.\n\n' +
      'The request has ended. Nothing was changed on your account. ' +
      'If you did not ask to recover it, contact support.',
  },
  'recovery.requester_notice': {
    subject: '[#{number}] Account recovery: {step}',
    text:
      'There is news about your request to recover access to your account (ticket #{number}): {step}.\n\n' +
      'To add information, reply to this email and keep [#{number}] in the subject.',
  },
  'recovery.requested': {
    subject: '[#{number}] Account recovery request received',
    text:
      'We received your request to recover access to your account, under ticket #{number}.\n\n' +
      'Support will ask you for proof that the account is yours; reply to this ticket with it. ' +
      'A request without proof is closed after {expiresIn}.',
  },
  'recovery.opened': {
    subject: 'Someone asked to recover your account {login}',
    text:
      'Someone asked to recover your account {login}, saying that its second factor was lost.\n\n' +
      'If this was you, nothing needs to be done now. If it was not you, cancel the recovery here: {cancelLink}',
  },
  'recovery.approved': {
    subject: 'Recovery of your account {login} approved',
    text:
      'Support approved the recovery of your account {login}. ' +
      'On {waitingEndsAt} the old second factor will be removed and every session ended; ' +
      'at the next login a new second factor must be set up.\n\n' +
      'If you did not ask for this, cancel the recovery before then: {cancelLink}',
  },
  'recovery.completed': {
    subject: 'Recovery of your account {login} completed',
    text:
      'The recovery of your account {login} is complete: your previous {factor} no longer counts as a second ' +
      'factor and every session has been ended. A new second factor is set up at the next login.\n\n' +
      'If you did not ask for this, contact support at once.',
  },
  'recovery.cancelled': {
    subject: 'Recovery of your account {login} cancelled',
    text: 'The recovery of your account {login} was cancelled. Nothing was changed on your account.',
  },
  // The SMS with the cancel link: the link leaves 35 GSM-7 septets, the date 15 more (one segment).
  'recovery.sms_opened': {
    subject: 'Account recovery requested',
    text: 'Not you? Cancel account recovery: {cancelLink}',
  },
  'recovery.sms_approved': {
    subject: 'Account recovery approved',
    text: 'Recovery at {waitingEndsAt}: {cancelLink}',
  },
  'recovery.sms_closed': {
    subject: 'Account recovery',
    text: 'Account recovery: {step}. Not you? Contact support at once.',
  },
  'factor.enrolled': {
    subject: 'New phone number for your account {login}',
    text:
      'The phone number {maskedPhone} was set up as the second factor of your account {login}.\n\n' +
      'If you did not do this, contact support at once.',
  },
  // ── factors ──
  'factor.added': {
    subject: 'A second factor was added to your account {login}',
    text:
      'The second factor {factor} was added to your account {login}.\n\n' +
      'If you did not do this, contact support at once.',
  },
  'factor.removed': {
    subject: 'A second factor was removed from your account {login}',
    text:
      'The second factor {factor} was removed from your account {login}.\n\n' +
      'If you did not do this, contact support at once.',
  },
  'factor.renamed': {
    subject: 'A second factor of your account {login} was renamed',
    text:
      'The second factor {previous} of your account {login} is now called {factor}.\n\n' +
      'If you did not do this, contact support at once.',
  },
  'factor.email_code': {
    subject: 'Your sign-in code',
    text: 'Your sign-in code: {code}. Valid for {expiresIn}. Do not share it with anyone.',
  },
  'factor.sms_confirm_code': {
    subject: 'Your code to add this phone',
    text: 'Your code to add this phone to your account: {code}. Valid for {expiresIn}. If you did not ask for it, ignore this SMS.',
  },
  'factor.email_confirm_code': {
    subject: 'Add this email address to your account {login}',
    text:
      'Enter this code to add this email address as a second factor to your account {login}: {code}. ' +
      'Valid for {expiresIn}. Do not share it with anyone. If you did not ask for this, ignore this mail.',
  },
  'email.change_code': {
    subject: 'Confirm your new email address for {login}',
    text:
      'Enter this code to make this the email address of your account {login}: {code}. ' +
      'Valid for {expiresIn}. If you did not ask for this, ignore this mail.',
  },
  'email.changed': {
    subject: 'The email address of your account {login} was changed',
    text:
      'The email address of your account {login} was changed to {newEmail}. This address gets no further mail.\n\n' +
      'If you did not do this, contact support at once.',
  },
  // ── tickets: people ──
  'ticket.status_solved': {
    subject: '[#{number}] Solved: {title}',
    text:
      'Hello {name},\n\n' +
      'Ticket #{number} ({title}) has been marked as solved.\n\n' +
      'If the problem is not resolved, reply to this email and the ticket will be reopened.',
  },
  'ticket.status_on_hold': {
    subject: '[#{number}] On hold: {title}',
    text:
      'Hello {name},\n\n' +
      'Ticket #{number} ({title}) is on hold: we ran into unexpected behaviour and are working on a fix. ' +
      'We will let you know as soon as there is progress.',
  },
  'ticket.status_resumed': {
    subject: '[#{number}] Back in progress: {title}',
    text: 'Hello {name},\n\n' + 'Ticket #{number} ({title}) is no longer on hold: support is working on it again.',
  },
  'ticket.status_reopened': {
    subject: '[#{number}] Reopened: {title}',
    text:
      'Hello {name},\n\n' +
      'Ticket #{number} ({title}) has been reopened after a new reply, and support will pick it up again.',
  },
  'ticket.survey': {
    subject: '[#{number}] How did we do? {title}',
    text:
      'Hello {name},\n\n' +
      'Ticket #{number} ({title}) was solved recently. Please let us know how we did: ' +
      'rate our help as good or bad at this link (it works once):\n\n' +
      '{link}',
  },
  'ticket.requester_replied': {
    subject: '[#{number}] The requester replied: {title}',
    text: '{body}\n\n--\nA new reply from the requester side on ticket #{number}: {title}.',
  },
  'ticket.requester_reopened': {
    subject: '[#{number}] Reopened by the requester: {title}',
    text: '{body}\n\n--\nThis reply reopened the solved ticket #{number}: {title}.',
  },
  // ── tickets: shape ──
  'ticket.confirmation_guest': {
    subject: '[#{number}] {title}',
    text:
      'We have received your request and opened ticket #{number}: {title}.\n\n' +
      'Follow your ticket and reply here: {link}\n\nKeep this link to yourself: anyone who has it can read and answer the ticket. You can also reply to this email and keep [#{number}] in the subject.',
  },
};
