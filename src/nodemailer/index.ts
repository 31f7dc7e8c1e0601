// helpdesk-core/nodemailer: a Mailer over a nodemailer transport. A separate entry with no run-time
// import of nodemailer: the host creates the transport, so hosts without mail never load it.
export {
  createNodemailerMailer,
  type NodemailerAddress,
  type NodemailerMail,
  type NodemailerMailerOptions,
  type NodemailerSentInfo,
  type NodemailerTransport,
} from './nodemailer-mailer.js';
export { MailDeliveryError } from './delivery-error.js';
