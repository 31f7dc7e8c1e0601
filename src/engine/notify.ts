import type { Locale } from '../messages/locales.js';
import { renderMessage } from '../messages/render.js';
import type { TemplateData, TemplateName } from '../messages/templates.js';
import type { Json } from '../ports/json.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { UnitOfWork } from './unit-of-work.js';

/** Renders a template and queues it in the command's outbox, to be committed with its state. */
export function queueMessage<T extends TemplateName>(
  uow: UnitOfWork,
  ids: IdGenerator,
  channel: 'email' | 'sms',
  to: string,
  template: T,
  locale: Locale,
  data: TemplateData<T>,
): string {
  const { subject, text } = renderMessage(template, locale, data);
  const id = ids.next('msg_');
  const payload: Json = channel === 'email' ? { to, subject, text, template, locale } : { to, text, template, locale };
  uow.outbox({ id, channel, payload, idempotencyKey: id, availableAt: uow.now });
  return id;
}
