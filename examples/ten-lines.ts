// The README's ten-line example. `npm run typecheck` checks it; test/docs.test.ts checks the
// README shows exactly the lines between the markers.
import type { Mailer, SmsSender } from '../src/index.js';

declare const mailer: Mailer;
declare const sms: SmsSender;

// README:start
import { createHelpdesk } from 'helpdesk-core';

const desk = createHelpdesk({ mailer, sms, secrets: { pepper: process.env.HELPDESK_PEPPER! } }); // in-memory storage by default
const { ticket } = await desk.tickets.submit({
  requester: { id: 'cust-1', email: 'bob@example.com' },
  content: { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
});
await desk.tickets.reply({ ticketId: ticket.id, auth: { role: 'agent', id: 'anna' }, body: 'Which van?', askForInfo: true });
const worker = desk.worker({ onError: console.error }); // deadlines, then mail and SMS, in bounded loops
process.once('SIGTERM', () => void worker.stop());
// README:end
