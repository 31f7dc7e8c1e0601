import type { Locale } from '../messages/locales.js';
import { renderMessage } from '../messages/render.js';
import type { TemplateData, TemplateName } from '../messages/templates.js';
import type { Json } from '../ports/json.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * Which sending budget a message counts in (`engine/sending-budget.ts`): `shared`, the recipient's
 * one budget for everything anyone can trigger (the default); `owner`, a separate allowance for
 * what only the account's owner can cause (a login code after the right password, a step-up), so
 * strangers spending the shared budget cannot keep the owner's own codes from arriving; `support`,
 * what only support causes (an agent's reply or status notice, the reminder and automatic solve
 * after an agent's question): it counts in the shared budget and may use the support reserve beyond it;
 * `checked`, counted as `shared`, for a message whose command answered from the shared budget (an
 * anonymous login's "code sent"): it is never held back silently, its commit is refused instead and
 * the command re-runs on the budget as it is (and answers `SMS_LIMIT`).
 */
export type SendingBudgetClass = 'shared' | 'owner' | 'support' | 'checked';

/** Renders a template and queues it in the command's outbox, to be committed with its state. */
export function queueMessage<T extends TemplateName>(
  uow: UnitOfWork,
  ids: IdGenerator,
  channel: 'email' | 'sms',
  to: string,
  template: T,
  locale: Locale,
  data: TemplateData<T>,
  budget: SendingBudgetClass = 'shared',
): string {
  const { subject, text } = renderMessage(template, locale, data);
  const id = ids.next('msg_');
  const payload: Record<string, Json> =
    channel === 'email' ? { to, subject, text, template, locale } : { to, text, template, locale };
  if (budget !== 'shared') payload.budget = budget;
  uow.outbox({ id, channel, payload, idempotencyKey: id, availableAt: uow.now });
  return id;
}
