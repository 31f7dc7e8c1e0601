import { z } from 'zod';
import { safeParseHostile } from '../_lib/safe-parse.js';
import { commonErrors } from '../errors.js';
import { describeValue } from '../messages/describe.js';
import { PRIORITIES, priorityDefinitions, type ChannelAdvice, type Priority } from './priorities.js';

/**
 * What the requester (or an agent) can say about a problem's impact. Each
 * Greek priority definition reads off these facts; see {@link suggestPriority}.
 */
export const impactFactsSchema = z.strictObject({
  /**
   * How many workstations cannot do their productive work: none, the reporter's
   * own, a small number, or every workstation of the business.
   */
  scope: z.enum(['none', 'single_user', 'few_workstations', 'all_workstations']),
  /** A function of the system, network or peripherals fails and keeps the affected people from working. */
  blocksWork: z.boolean(),
  /** The failing part is a central system: a server, the web site or a mail server. */
  centralSystem: z.boolean(),
  /** Core operating resources of the business cannot be reached. */
  coreResourcesUnreachable: z.boolean(),
  /** The requester knows what causes the problem. */
  causeKnown: z.boolean(),
  /**
   * What the request is: a general question, a question on using programs,
   * system or network settings or (new) peripherals, or a malfunction.
   */
  kind: z.enum(['question', 'usage', 'malfunction']).optional(),
});

/** Facts about a problem's impact; see {@link impactFactsSchema}. */
export type ImpactFacts = z.infer<typeof impactFactsSchema>;

/**
 * Suggests a priority from impact facts. Pure and total: every combination of
 * facts, contradictory ones included, gives one priority. The rules run from
 * the highest priority down and the first that matches wins:
 *
 * 1. critical: core resources unreachable, all workstations, cause unknown
 *    (the Greek definition, all three conditions).
 * 2. urgent: every workstation stopped, whatever the cause. This includes the
 *    critical picture with a known cause: the Greek definition makes an unknown
 *    cause part of "critical" (the diagnosis is still to do), but a whole
 *    business standing still is never less than a few workstations standing
 *    still, so it stays urgent and keeps the phone advice.
 * 3. urgent: a central system stops work at a small number of workstations.
 * 4. high: anything else that keeps someone from working.
 * 5. normal: usage questions, or a failure that does not stop work.
 * 6. low: general questions and everything that affects no one's work.
 *
 * The result never drops when scope widens, when work is blocked, when the
 * failing part is central or when core resources become unreachable, and never
 * rises when the cause becomes known (property tests hold this).
 *
 * Throws `INVALID_INPUT` with `details.issues` (the zod issues) when `impact` does not
 * match {@link impactFactsSchema}: facts of the wrong type are never read as a guess.
 */
export function suggestPriority(impact: ImpactFacts): Priority {
  const parsed = safeParseHostile(impactFactsSchema, impact);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const summary = issues.map((issue) => `${issue.path.map(String).join('.') || '(impact)'}: ${issue.message}`);
    throw commonErrors.raise('INVALID_INPUT', { issues }, `Invalid impact facts: ${summary.join('; ')}`);
  }
  const facts = parsed.data;
  const { scope, causeKnown, coreResourcesUnreachable, kind } = facts;
  // Unreachable core resources are central by definition and stop the work of whoever needs them.
  const central = facts.centralSystem || coreResourcesUnreachable;
  const stopped = facts.blocksWork || coreResourcesUnreachable;

  // The Greek critical definition, word for word: core resources, all workstations, unknown cause.
  if (coreResourcesUnreachable && scope === 'all_workstations' && !causeKnown) return 'critical';
  // A whole business at a standstill is at least the urgent picture (see rule 2 above).
  if (stopped && scope === 'all_workstations') return 'urgent';
  // The Greek urgent definition: a central system stops a small number of workstations.
  if (stopped && central && scope === 'few_workstations') return 'urgent';
  // The Greek high definition: a failing function keeps the user from working. A blocked reporter
  // with scope 'none' still counts: someone who cannot work is at least one workstation.
  if (stopped) return 'high';
  // The Greek normal definition covers usage and settings questions; a failure that still lets
  // people work, or any trouble with a central system, is below high but above a general question.
  if (kind === 'usage' || kind === 'malfunction' || central) return 'normal';
  // The Greek low definition: not particularly important, or a general question.
  return 'low';
}

/**
 * How to advise the requester to reach support for `priority`: by phone for urgent and critical.
 * Throws `INVALID_INPUT` when `priority` is not one of {@link PRIORITIES}.
 */
export function priorityChannelAdvice(priority: Priority): ChannelAdvice {
  // By name, never a bare key lookup: `__proto__` or `toString` would find Object.prototype's.
  if (!(PRIORITIES as readonly unknown[]).includes(priority)) {
    throw commonErrors.raise('INVALID_INPUT', { priority }, `Unknown priority ${describeValue(priority)}.`);
  }
  return priorityDefinitions[priority].channelAdvice;
}
