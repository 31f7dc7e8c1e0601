// helpdesk-core/sms-http: an SmsSender that POSTs JSON to a provider's HTTP API (fetch only).
export {
  createHttpSmsSender,
  DEFAULT_SMS_TIMEOUT_MS,
  type HttpSmsJson,
  type HttpSmsSenderOptions,
} from './http-sms-sender.js';
export { SmsDeliveryError } from './delivery-error.js';
