/**
 * The mail and SMS templates and the placeholders each one requires. Every
 * locale file must use exactly these placeholders in its subject + text (the
 * parity test in `test/messages.test.ts` holds this).
 *
 * Dates and lifetimes are given as text in the message's locale, never as numbers: a date from
 * `formatDateTime` (`{autoResolveAt}`, `{waitingEndsAt}` in mails), a lifetime from
 * `formatDuration` (`{expiresIn}`: "20 minutes", "1 óra", "14 ημέρες"), so the templates never
 * choose a unit or a plural themselves.
 */
export const TEMPLATE_PLACEHOLDERS = {
  /** Mail: the ticket was received; the subject carries `[#number]` so replies match back. */
  'ticket.confirmation': ['number', 'title'],
  /** Mail: a pending ticket waits for the requester; `autoResolveAt` is a formatted date and time. */
  'ticket.reminder': ['number', 'title', 'autoResolveAt'],
  /** Mail: a pending ticket was solved automatically after the requester did not reply. */
  'ticket.auto_solved': ['number', 'title'],
  /** Mail: an agent answered; `body` is the agent's text. */
  'ticket.agent_reply': ['number', 'title', 'body'],
  /** Mail: a reply to a closed ticket opened a follow-up ticket. */
  'ticket.follow_up_created': ['number', 'previousNumber', 'title'],
  /**
   * Mail: the activation link after registration; `name` greets (the display name, else the login);
   * `expiresIn` is the link's lifetime from `formatDuration`.
   */
  'account.activation': ['name', 'link', 'expiresIn'],
  /**
   * Mail: someone registered with an address that already has an account (uniform registration
   * response); `name` greets, `login` names the existing account so its owner can log in with it.
   */
  'account.already_registered': ['name', 'login'],
  /** Mail to a registrant whose chosen username is taken (sent to the address they gave, so nothing leaks). */
  'account.username_unavailable': ['username'],
  /** Mail or SMS: a one-time code to reset the password; the text is kept short enough for an SMS. */
  'password.reset_code': ['code', 'expiresIn'],
  /** Mail: a single-use link to reset the password. */
  'password.reset_link': ['link', 'expiresIn'],
  /** Mail: the password was changed (security notification); `name` greets (the display name, else the login). */
  'password.changed': ['name'],
  /** Mail: the usernames tied to this address, one per line or comma separated as the host formats them. */
  'username.reminder': ['usernames'],
  /** Mail: a new business user's login and temporary password, to be changed at first login. */
  'business.temporary_password': ['login', 'password', 'expiresIn'],
  /**
   * Mail: the main administrator switched the SMS login code on or off.
   * `enabled` is the new state as a word in the message's locale: see `switchStateLabel`.
   */
  'organization.sms_setting_changed': ['organization', 'enabled', 'changedBy'],
  /** SMS: the one-time login code; short, and says the SMS is free of charge. */
  'login.code': ['code', 'expiresIn'],
  /**
   * Mail to the account's address on record: a recovery case of `login` ended without a change
   * (rejected, or closed without evidence), named by `step` (`recoveryStepLabel`). Final steps only:
   * it says nothing of cancelling.
   */
  'recovery.notice': ['login', 'step'],
  /**
   * Mail to the requester of a recovery case: a step of the case (approved with the end of the waiting
   * period, completed, cancelled, rejected, expired) in `step`; the subject carries `[#number]`.
   */
  'recovery.requester_notice': ['number', 'step'],
  /**
   * Mail to the requester: the recovery request is filed under a ticket; the subject carries `[#number]`;
   * `expiresIn` is how long a request without evidence stays open (`formatDuration`).
   */
  'recovery.requested': ['number', 'expiresIn'],
  /** Mail to the account's address on record: a recovery was requested; how to cancel it. */
  'recovery.opened': ['login', 'cancelLink'],
  /**
   * Mail to the account's address on record: approved; when the waiting period ends (`waitingEndsAt`,
   * from `formatDateTime`); how to cancel.
   */
  'recovery.approved': ['login', 'waitingEndsAt', 'cancelLink'],
  /** Mail to the account's address on record: the old factor (`factor`, a word in the locale) was removed. */
  'recovery.completed': ['login', 'factor'],
  /** Mail to the account's address on record: the recovery was cancelled. */
  'recovery.cancelled': ['login'],
  /** SMS to the account's phone on record: a recovery was requested; the cancel link. */
  'recovery.sms_opened': ['cancelLink'],
  /**
   * SMS to the account's phone on record: approved, when it completes, the cancel link. `waitingEndsAt` is
   * the compact `2026-03-03 09:00 UTC` (`formatInstant`): with the link, a localised date would not fit one SMS.
   */
  'recovery.sms_approved': ['waitingEndsAt', 'cancelLink'],
  /** SMS to the account's phone on record: the recovery ended (`step`: completed, cancelled, ...). */
  'recovery.sms_closed': ['step'],
  /** Mail: a new phone was set up as the second factor (after a recovery), shown masked. */
  'factor.enrolled': ['login', 'maskedPhone'],
  // ── factors ──
  /** Mail to every address on record: a second factor (`factor`, its label and kind) was added to the account. */
  'factor.added': ['login', 'factor'],
  /** Mail to every address on record: a second factor was removed from the account. */
  'factor.removed': ['login', 'factor'],
  /** Mail to every address on record: a second factor was renamed (`previous`: its label and kind before). */
  'factor.renamed': ['login', 'factor', 'previous'],
  /** Mail: a one-time code for the email second factor at login or step-up (never to add a factor). */
  'factor.email_code': ['code', 'expiresIn'],
  /**
   * SMS to the phone being enrolled as a second factor: the code that adds it to the account, worded as
   * adding (never as a login code); one SMS with the longest code and `expiresIn` the policies allow.
   */
  'factor.sms_confirm_code': ['code', 'expiresIn'],
  /** Mail to the address being enrolled as a second factor of `login`: the code that adds it. */
  'factor.email_confirm_code': ['login', 'code', 'expiresIn'],
  /** Mail to the new address of an email change: the code that proves the address is the user's. */
  'email.change_code': ['login', 'code', 'expiresIn'],
  /** Mail to the old address: the account's address was changed to `newEmail` (masked). */
  'email.changed': ['login', 'newEmail'],
  // ── tickets: people ──
  /** Mail to the requester and followers: an agent solved the ticket; `name` greets the recipient. */
  'ticket.status_solved': ['name', 'number', 'title'],
  /** Mail to the requester and followers: an agent put the ticket on hold (working on a fix). */
  'ticket.status_on_hold': ['name', 'number', 'title'],
  /** Mail to the requester and followers: an agent took the ticket off hold. */
  'ticket.status_resumed': ['name', 'number', 'title'],
  /** Mail to the requester and followers: a reply reopened the solved ticket. */
  'ticket.status_reopened': ['name', 'number', 'title'],
  /** Mail to the requester after solving (when the survey is on): the single-use rating `link`. */
  'ticket.survey': ['name', 'number', 'title', 'link'],
  /** Mail to the assignee (else the group): the requester side replied; `body` is the reply. */
  'ticket.requester_replied': ['number', 'title', 'body'],
  /** Mail to the assignee (else the group): the requester side's reply reopened the solved ticket. */
  'ticket.requester_reopened': ['number', 'title', 'body'],
  // ── tickets: shape ──
  /** Mail: the confirmation for a guest (no account), with the single link that opens the ticket. */
  'ticket.confirmation_guest': ['number', 'title', 'link'],
} as const satisfies Record<string, readonly string[]>;

/** The name of a message template. */
export type TemplateName = keyof typeof TEMPLATE_PLACEHOLDERS;

/** Every template name, in declaration order. */
export const TEMPLATE_NAMES = Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateName[];

/** The placeholders a template requires. */
export type TemplatePlaceholder<T extends TemplateName> = (typeof TEMPLATE_PLACEHOLDERS)[T][number];

/** The data a template needs: every placeholder it declares (extra keys are ignored). */
export type TemplateData<T extends TemplateName> = Record<TemplatePlaceholder<T>, string | number> &
  Record<string, string | number>;

/** One template in one locale. Placeholders are written `{name}`. */
export interface MessageTemplate {
  readonly subject: string;
  readonly text: string;
}

/** All templates of one locale. */
export type MessageCatalog = Readonly<Record<TemplateName, MessageTemplate>>;

/** Templates sent as SMS (their `text` must stay short). */
export const SMS_TEMPLATES = [
  'login.code',
  'password.reset_code',
  'factor.sms_confirm_code',
  'recovery.sms_opened',
  'recovery.sms_approved',
  'recovery.sms_closed',
] as const satisfies readonly TemplateName[];
