/**
 * The mail and SMS templates and the placeholders each one requires. Every
 * locale file must use exactly these placeholders in its subject + text (the
 * parity test in `test/messages.test.ts` holds this).
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
  /** Mail: the activation link after registration; `name` greets (the display name, else the login). */
  'account.activation': ['name', 'link', 'expiresInHours'],
  /**
   * Mail: someone registered with an address that already has an account (uniform registration
   * response); `name` greets, `login` names the existing account so its owner can log in with it.
   */
  'account.already_registered': ['name', 'login'],
  /** Mail to a registrant whose chosen username is taken (sent to the address they gave, so nothing leaks). */
  'account.username_unavailable': ['username'],
  /** Mail or SMS: a one-time code to reset the password; the text is kept short enough for an SMS. */
  'password.reset_code': ['code', 'expiresInMinutes'],
  /** Mail: a single-use link to reset the password. */
  'password.reset_link': ['link', 'expiresInMinutes'],
  /** Mail: the password was changed (security notification); `name` greets (the display name, else the login). */
  'password.changed': ['name'],
  /** Mail: the usernames tied to this address, one per line or comma separated as the host formats them. */
  'username.reminder': ['usernames'],
  /** Mail: a new business user's login and temporary password, to be changed at first login. */
  'business.temporary_password': ['login', 'password', 'expiresInHours'],
  /**
   * Mail: the main administrator switched the SMS login code on or off.
   * `enabled` is the new state as a word in the message's locale: see `switchStateLabel`.
   */
  'organization.sms_setting_changed': ['organization', 'enabled', 'changedBy'],
  /** SMS: the one-time login code; short, and says the SMS is free of charge. */
  'login.code': ['code', 'expiresInMinutes'],
  /** Mail: a step of a lost-factor recovery case (opened, approved, completed, ...), described by the host in `step`. */
  'recovery.notice': ['step'],
  /** Mail to the requester: the recovery request is filed under a ticket; the subject carries `[#number]`. */
  'recovery.requested': ['number', 'expiresInDays'],
  /** Mail to the account's address on record: a recovery was requested; how to cancel it. */
  'recovery.opened': ['login', 'cancelLink'],
  /** Mail to the account's address on record: approved; when the waiting period ends; how to cancel. */
  'recovery.approved': ['login', 'waitingEndsAt', 'cancelLink'],
  /** Mail to the account's address on record: the old factor (`factor`, a word in the locale) was removed. */
  'recovery.completed': ['login', 'factor'],
  /** Mail to the account's address on record: the recovery was cancelled. */
  'recovery.cancelled': ['login'],
  /** SMS to the account's phone on record: a recovery was requested; the cancel link. */
  'recovery.sms_opened': ['cancelLink'],
  /** SMS to the account's phone on record: approved, when it completes, the cancel link. */
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
  /** Mail: a one-time code for the email second factor (login, step-up or confirming the address). */
  'factor.email_code': ['code', 'expiresInMinutes'],
  /** Mail to the new address of an email change: the code that proves the address is the user's. */
  'email.change_code': ['login', 'code', 'expiresInMinutes'],
  /** Mail to the old address: the account's address was changed to `newEmail` (masked). */
  'email.changed': ['login', 'newEmail'],
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
  'recovery.sms_opened',
  'recovery.sms_approved',
  'recovery.sms_closed',
] as const satisfies readonly TemplateName[];
