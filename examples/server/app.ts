// Composition of the example server: the development SMTP server and SMS sender, the storage,
// the desk with its worker, and the Hono app with pages and the JSON API.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import nodemailer from 'nodemailer';
import { createHelpdesk, type Helpdesk } from '../../src/index.js';
import { mountAgentPages } from './agent-pages.js';
import { mountApi } from './api.js';
import { mountDevPages } from './dev-pages.js';
import { startDevSmtpServer, type DevSmtpServer } from './dev-smtp.js';
import { mountGuestPages } from './guest-pages.js';
import { mountSurveyPages } from './survey-pages.js';
import { mountLoginPages } from './login-pages.js';
import { createNodemailerMailer } from '../../src/nodemailer/index.js';
import type { Portal } from './portal.js';
import { mountRequesterPages } from './requester-pages.js';
import { createPortalSessions } from './session.js';
import { DevSmsSender } from './sms.js';
import { openStorage } from './storage.js';

/** Options of {@link startExampleServer}. */
export interface ExampleServerOptions {
  /** PostgreSQL connection string. Default: none, PGlite in-process. */
  databaseUrl?: string;
  /** TCP port. Default 0: a free port chosen by the system. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** Worker loop pause in ms. Default 250, so mail and SMS show within a moment. */
  workerInterval?: number;
  /**
   * How long after solving the satisfaction survey mail goes out, in ms. Default 1 minute, so a
   * visitor sees it while trying the example (a real host keeps the library's 24 h). The e2e tests
   * pass a second: the example runs on the system clock, and the worker sends the mail once due.
   */
  surveyDelay?: number;
}

/** A running example server. */
export interface ExampleServer {
  /** The server's own URL, also the `publicBaseUrl` of mailed links. */
  url: string;
  desk: Helpdesk;
  smtp: DevSmtpServer;
  sms: DevSmsSender;
  storageKind: 'postgresql' | 'pglite';
  /** Stops the worker, the HTTP and SMTP servers and the database connections. */
  close(): Promise<void>;
}

const randomBase64 = (bytes: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));

/** Starts everything; resolves once the server answers on its URL. */
export async function startExampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const smtp = await startDevSmtpServer();
  const sms = new DevSmsSender();

  // The mailed links need the server's own URL, known only once it listens: the app is bound late.
  const bound: { app?: Hono } = {};
  const server = serve({
    fetch: (request, env) => (bound.app ? bound.app.fetch(request, env) : new Response('Starting…', { status: 503 })),
    port: options.port ?? 0,
    hostname,
    overrideGlobalObjects: false,
  });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${hostname}:${port}`;

  const { storage, kind, close: closeStorage } = await openStorage(options.databaseUrl);
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
  const desk = createHelpdesk({
    storage,
    mailer: createNodemailerMailer({ transport, from: 'helpdesk@example.test' }),
    sms,
    // Development secrets, new at every start: mailed links of an earlier run stop working.
    secrets: { pepper: randomBase64(32), encryptionKey: randomBase64(32) },
    publicBaseUrl: url,
    locale: 'en',
    policy: { tickets: { survey: { enabled: true, delay: options.surveyDelay ?? 60_000 } } },
  });
  const stop = new AbortController();
  const worker = desk.worker({
    signal: stop.signal,
    interval: options.workerInterval ?? 250,
    onError: (error, { loop, failures }) => console.error(`worker ${loop} failed (${failures}x):`, error),
  });

  const portal: Portal = {
    desk,
    sessions: createPortalSessions(desk, { secure: url.startsWith('https:') }),
    publicBaseUrl: url,
    agentId: 'agent-demo',
    smtp,
    sms,
  };
  const routes = new Hono();
  // Only the names this server is reached by: a page whose DNS name rebinds to 127.0.0.1 would
  // otherwise read /dev/mail (every mailed link and code) and sign in as the agent.
  const origins = [url, ...(hostname === '127.0.0.1' ? [`http://localhost:${port}`] : [])];
  const hosts = new Set(origins.map((origin) => new URL(origin).host));
  routes.use('*', async (c, next) =>
    hosts.has(c.req.header('host') ?? '') ? next() : c.text('Misdirected Request: open ' + url, 421),
  );
  // SameSite=Lax lets a form on another port or subdomain of the same site post with the cookies:
  // a form post (and a text/plain body, which the JSON API would parse) must come from our origin.
  routes.use('*', csrf({ origin: origins }));
  routes.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
    }),
  );
  // Pages carry addresses, ticket texts and (the guest page) a token in the URL: never cached.
  routes.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  // Before the requester's pages: /tickets/guest must not be taken for the ticket id "guest".
  mountGuestPages(routes, portal);
  mountRequesterPages(routes, portal);
  mountLoginPages(routes, portal);
  mountAgentPages(routes, portal);
  mountSurveyPages(routes, portal);
  mountDevPages(routes, portal);
  mountApi(routes, portal);
  bound.app = routes;

  return {
    url,
    desk,
    smtp,
    sms,
    storageKind: kind,
    async close() {
      stop.abort();
      await worker.stopped;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      transport.close();
      await smtp.close();
      await closeStorage();
    },
  };
}
