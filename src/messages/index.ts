export { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from './locales.js';
export {
  SMS_TEMPLATES,
  TEMPLATE_NAMES,
  TEMPLATE_PLACEHOLDERS,
  type MessageCatalog,
  type MessageTemplate,
  type TemplateData,
  type TemplateName,
  type TemplatePlaceholder,
} from './templates.js';
export { MESSAGE_CATALOGS, placeholdersIn, renderMessage, switchStateLabel, type RenderedMessage } from './render.js';
export { DEFAULT_TIME_ZONE, formatDateTime } from './format.js';
export { formatDuration } from './duration.js';
export { smsSegments, type SmsSegments } from './sms-segments.js';
