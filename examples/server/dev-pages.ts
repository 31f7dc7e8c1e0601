// Development pages: the mail the local SMTP server received and the SMS the development sender
// kept, newest first. They show secrets (links, codes) and must never exist in production.
import type { Hono } from 'hono';
import { markup, linkify, page, when, table } from './html.js';
import type { Portal } from './portal.js';

/** Mounts /dev/mail and /dev/sms. */
export function mountDevPages(app: Hono, portal: Portal): void {
  app.get('/dev/mail', (c) => {
    const mails = [...portal.smtp.inbox].reverse().map(
      (mail) =>
        markup`<article class="mail">
          <h2>${mail.subject}</h2>
          <p class="meta">To ${mail.to.join(', ')} · from ${mail.from} · ${when(mail.at)} · ${mail.messageId}</p>
          <pre>${linkify(mail.text)}</pre>
        </article>`,
    );
    const body = markup`<p>Received by the development SMTP server on ${portal.smtp.host}:${portal.smtp.port}.</p>
      ${mails.length ? mails : markup`<p>No mail yet.</p>`}`;
    return c.html(page('Development mail', body));
  });

  app.get('/dev/sms', (c) => {
    const rows = [...portal.sms.inbox].reverse().map(
      (sms) =>
        markup`<tr>
          <td>${when(sms.at)}</td>
          <td class="to">${sms.to}</td>
          <td class="text">${sms.text}</td>
        </tr>`,
    );
    const body = table(['When', 'To', 'Text'], rows, 'No SMS yet.');
    return c.html(page('Development SMS', body));
  });
}
