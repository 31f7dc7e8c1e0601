import type { EventInput } from '../ports/event-store.js';
import type { HistoryEntryInput } from '../ports/history-store.js';
import type { Json } from '../ports/json.js';
import { EVENT_VERSION, type EventType } from './catalogue.js';

/** An event before it has an id: its type and the projection of the entry's data. */
export interface EventDraft {
  type: EventType;
  data: Record<string, Json>;
}

type Data = Record<string, Json | undefined>;
type Projection = (data: Data, entry: HistoryEntryInput) => EventDraft[];

const str = (value: Json | undefined): string => (typeof value === 'string' ? value : '');
const strOrNull = (value: Json | undefined): string | null => (typeof value === 'string' ? value : null);
const list = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const role = (actor: Json): string =>
  actor !== null && typeof actor === 'object' && !Array.isArray(actor) ? str(actor.role) || 'unknown' : 'unknown';
const idOf = (actor: Json): string =>
  actor !== null && typeof actor === 'object' && !Array.isArray(actor) ? str(actor.id) : '';
const amrOf = (actor: Json): string[] =>
  actor !== null && typeof actor === 'object' && !Array.isArray(actor) ? list(actor.amr) : [];

const one =
  (type: EventType, project: (data: Data, entry: HistoryEntryInput) => Record<string, Json> = () => ({})): Projection =>
  (data, entry) => [{ type, data: project(data, entry) }];

/** A ticket step moves the status (from/to in its entry): one `ticket.status_changed` when it did. */
const statusChange = (data: Data): EventDraft[] =>
  data.from !== null && data.from !== undefined && data.from !== data.to
    ? [{ type: 'ticket.status_changed', data: { from: str(data.from), to: str(data.to) } }]
    : [];

/** A ticket step: its own event (if any) and then the status change it caused. */
const ticketStep =
  (type: EventType | null, project: (data: Data, entry: HistoryEntryInput) => Record<string, Json> = () => ({})) =>
  (data: Data, entry: HistoryEntryInput): EventDraft[] => [
    ...(type ? [{ type, data: project(data, entry) }] : []),
    ...statusChange(data),
  ];

const isRecord = (value: Json | undefined): value is Record<string, Json> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `ticket.update`: what it changed (group from/to, tags added/removed, field names), nothing when it changed nothing. */
const ticketUpdate = (d: Data): EventDraft[] => {
  const data: Record<string, Json> = {};
  if (isRecord(d.groupId)) data.groupId = { from: strOrNull(d.groupId.from), to: strOrNull(d.groupId.to) };
  if (isRecord(d.tags)) data.tags = { added: list(d.tags.added), removed: list(d.tags.removed) };
  if (Array.isArray(d.fields)) data.fields = list(d.fields);
  return Object.keys(data).length > 0 ? [{ type: 'ticket.updated', data }] : [];
};

const caseStep = (type: EventType) => one(type, (d) => ({ from: str(d.from), to: str(d.to) }));

/**
 * The one mapping from history entry types to domain events. A history type missing here emits
 * nothing, on purpose: attempts that must stay invisible (`account.registration_attempted`),
 * requests answered uniformly (`account.password_reset_requested`), login-flow steps (their
 * outcome is `login.succeeded` / `login.locked` on the account) and the account-side copies of
 * recovery steps (the case emits them once).
 */
export const HISTORY_EVENTS: Readonly<Record<string, Projection>> = {
  'ticket.submitted': one('ticket.created', (d) => ({
    number: typeof d.number === 'number' ? d.number : 0,
    channel: str(d.channel),
    priority: str(d.priority),
    followUpOf: strOrNull(d.followUpOf),
  })),
  'ticket.reply': ticketStep('ticket.message_added', (d, entry) => ({
    authorRole: role(entry.actor),
    askForInfo: d.askForInfo === true,
    messageLength: typeof d.body === 'string' ? d.body.length : 0,
  })),
  'ticket.assign': ticketStep('ticket.assigned', (d) => ({ assigneeId: strOrNull(d.assigneeId) })),
  'ticket.hold': ticketStep(null),
  'ticket.resume': ticketStep(null),
  'ticket.solve': ticketStep(null),
  'ticket.setPriority': ticketStep('ticket.priority_changed', (d) => ({ to: str(d.priority) })),
  'ticket.mergeInto': ticketStep('ticket.merged', (d) => ({ intoId: str(d.targetId) })),
  'ticket.mergeFrom': ticketStep(null),
  'ticket.linkFollowUp': ticketStep('ticket.follow_up_linked', (d) => ({ followUpId: str(d.followUpId) })),
  // An update that changed nothing emits nothing; field values never leave history (names only there too).
  'ticket.update': (d) => [...ticketUpdate(d), ...statusChange(d)],
  'ticket.timer.reminder': ticketStep(null),
  'ticket.timer.autoResolve': ticketStep(null),
  'ticket.timer.close': ticketStep(null),
  // `dueAt` is the breach the warning is about, as everywhere else (`sla.*.dueAt`); history
  // entries written before `breachAt` was recorded hold only the warning's own time.
  'ticket.timer.slaWarning': ticketStep('ticket.sla_warning', (d) => ({
    metric: str(d.metric),
    dueAt: typeof d.breachAt === 'number' ? d.breachAt : typeof d.dueAt === 'number' ? d.dueAt : 0,
  })),
  'ticket.timer.slaBreach': ticketStep('ticket.sla_breached', (d) => ({
    metric: str(d.metric),
    dueAt: typeof d.dueAt === 'number' ? d.dueAt : 0,
  })),
  // ── tickets: people ──
  'ticket.follow': one('ticket.follower_added', (d) => ({ kind: str(d.kind), followerId: str(d.id) })),
  'ticket.unfollow': one('ticket.follower_removed', (d) => ({ kind: str(d.kind), followerId: str(d.id) })),
  'ticket.timer.survey': ticketStep('ticket.survey_sent'),
  'ticket.rated': one('ticket.rated', (d) => ({ score: str(d.score), withComment: d.comment === true })),
  'account.registered': one('account.registered', () => ({ accountKind: 'personal', isMainAdmin: false })),
  'account.created': one('account.registered', (d) => ({
    accountKind: 'business',
    isMainAdmin: d.isMainAdmin === true,
  })),
  'account.activated': one('account.activated'),
  'account.password_changed': one('account.password_changed', (d) => ({ reason: str(d.reason) })),
  'account.password_reset': one('account.password_reset', (d) => ({ via: str(d.via) })),
  'account.disabled': one('account.disabled', (d) => ({ from: str(d.from), to: str(d.to) })),
  'account.enabled': one('account.enabled', (d) => ({ from: str(d.from), to: str(d.to) })),
  'account.permissions_changed': one('account.permissions_changed', (d) => ({ from: list(d.from), to: list(d.to) })),
  // ── accounts: factors ── (by type and id; the label, the secret and the masked address stay in history)
  'factor.enrolment_started': (d) => [
    // Backup codes are active at once (no `factor.enrolled` follows): enrolled, not started.
    d.status === 'active'
      ? { type: 'account.factor_enrolled', data: { factor: str(d.type), factorId: str(d.factorId) } }
      : { type: 'account.factor_enrolment_started', data: { factor: str(d.type), factorId: str(d.factorId) } },
  ],
  'factor.enrolled': one('account.factor_enrolled', (d) => ({ factor: str(d.type), factorId: str(d.factorId) })),
  'factor.renamed': one('account.factor_renamed', (d) => ({ factorId: str(d.factorId) })),
  'factor.removed': one('account.factor_removed', (d) => ({
    factor: str(d.type),
    factorId: str(d.factorId),
    caseId: null,
  })),
  // The phone a recovered account verified at login (no stored factor, so no factorId).
  'account.factor_enrolled': one('account.factor_enrolled', (d) => ({ factor: str(d.factor) })),
  // A lost factor removed by a recovery case.
  'account.factor_removed': one('account.factor_removed', (d) => ({ factor: str(d.factor), caseId: str(d.caseId) })),
  'account.email_change_requested': one('account.email_change_requested'),
  'account.email_changed': one('account.email_changed', (d) => ({ wasVerified: d.wasVerified === true })),
  'account.sessions_revoked': one('account.sessions_revoked', (d) => ({
    reason: str(d.reason),
    caseId: strOrNull(d.caseId),
  })),
  'account.login_succeeded': one('login.succeeded', (d, e) => ({ flowId: str(d.flowId), amr: amrOf(e.actor) })),
  'account.step_up_confirmed': one('login.step_up_confirmed', (d, e) => ({
    flowId: str(d.flowId),
    amr: amrOf(e.actor),
  })),
  'account.login_locked': one('login.locked', (d) => ({
    flowId: str(d.flowId),
    until: typeof d.until === 'number' ? d.until : null,
  })),
  'phone.login_succeeded': one('login.succeeded', (d) => ({ flowId: str(d.flowId), amr: ['sms'] })),
  'phone.registered': one('phone.registered', (d) => ({
    organizationId: strOrNull(d.organizationId),
    permissions: list(d.permissions),
  })),
  'phone.permissions_changed': one('phone.permissions_changed', (d) => ({ from: list(d.from), to: list(d.to) })),
  'organization.created': one('organization.created', (d) => ({ mainAdminAccountId: str(d.mainAdminAccountId) })),
  'organization.factors_changed': one('organization.factors_changed', (d) => ({
    allowed: list(d.allowed),
    secondFactorRequired: d.secondFactorRequired === true,
  })),
  'organization.settings_changed': one('organization.settings_changed', (d) => ({
    setting: str(d.setting),
    from: d.from ?? null,
    to: d.to ?? null,
  })),
  'recovery.opened': one('recovery.opened', (d) => ({
    ticketId: str(d.ticketId),
    channel: str(d.channel),
    lostFactor: str(d.lostFactor),
    accountFound: d.accountFound === true,
  })),
  'recovery.evidence_added': caseStep('recovery.evidence_added'),
  'recovery.reviewed': caseStep('recovery.reviewed'),
  'recovery.approved': caseStep('recovery.approved'),
  'recovery.rejected': caseStep('recovery.rejected'),
  'recovery.cancelled': caseStep('recovery.cancelled'),
  'recovery.expired': caseStep('recovery.expired'),
  'recovery.completed': caseStep('recovery.completed'),
  // Who erased whom (the pseudonym); the reason and the counts stay in history.
  'privacy.erased': one('privacy.erased', (d, e) => ({
    pseudonym: str(d.pseudonym),
    actor: { role: role(e.actor), ...(idOf(e.actor) ? { id: idOf(e.actor) } : {}) },
  })),
  'notice.suppressed': one('notice.suppressed', (d) => ({
    channel: str(d.channel),
    template: strOrNull(d.template),
    reason: str(d.reason),
  })),
};

/** Makes a unique event id; must be unique across every instance sharing the storage. Default a random UUID. */
export type EventIdFactory = () => string;

const randomEventId: EventIdFactory = () => `evt_${crypto.randomUUID()}`;

/**
 * The events of a commit's history entries, in entry order: every command emits exactly the
 * events its entries map to, in the same commit, and a refused command (no commit) emits none.
 */
export function eventsFromHistory(
  entries: readonly HistoryEntryInput[],
  newId: EventIdFactory = randomEventId,
): EventInput[] {
  const events: EventInput[] = [];
  for (const entry of entries) {
    const project = HISTORY_EVENTS[entry.type];
    if (!project) continue;
    const data = (
      entry.data !== null && typeof entry.data === 'object' && !Array.isArray(entry.data) ? entry.data : {}
    ) as Data;
    for (const draft of project(data, entry)) {
      events.push({
        id: newId(),
        type: draft.type,
        version: EVENT_VERSION,
        at: entry.at,
        subject: { kind: entry.kind, id: entry.id },
        data: draft.data,
      });
    }
  }
  return events;
}
