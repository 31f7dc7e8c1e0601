/**
 * `npm run example` — the example server: requester and agent pages, a JSON API, development
 * mail and SMS pages. PGlite in-process unless DATABASE_URL points at PostgreSQL; PORT picks the
 * port (default: a free one).
 */
import { startExampleServer } from './app.js';

const server = await startExampleServer({
  databaseUrl: process.env.DATABASE_URL || undefined,
  port: process.env.PORT ? Number(process.env.PORT) : 0,
});
console.log(`helpdesk-core example on ${server.url} (storage: ${server.storageKind})`);
console.log(`  requester: ${server.url}/register   agent: ${server.url}/agent`);
console.log(
  `  mail: ${server.url}/dev/mail   SMS: ${server.url}/dev/sms   (SMTP on ${server.smtp.host}:${server.smtp.port})`,
);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
