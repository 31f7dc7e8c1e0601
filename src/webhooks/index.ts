export {
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookHeaderSource,
  type SignWebhookInput,
  type VerifyWebhookOptions,
  type WebhookVerification,
} from './standard-webhooks.js';
export type { WebhookSender, WebhookDelivery } from './webhook-sender.js';
