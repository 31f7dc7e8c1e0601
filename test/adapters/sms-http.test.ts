// The HTTP SMS sender against a node:http server on 127.0.0.1 that plays the provider: the sender
// conformance suite on the requests the server received, then the request shape and the
// status classification.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { createHttpSmsSender, SmsDeliveryError, type HttpSmsSenderOptions } from '../../src/sms-http/index.js';
import type { ReceivedDelivery } from '../../src/testing/sender-conformance.js';
import { smsSenderConformanceCases } from '../../src/testing/sender-conformance.js';
import { makeLoginDesk, makePersonal, toPassword } from '../login/_harness.js';

interface ProviderRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const requests: ProviderRequest[] = [];

// The path picks the provider's answer: /sms/<status> answers that status, /sms/silent never answers.
const server: Server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const path = request.url ?? '';
    requests.push({
      method: request.method ?? '',
      path,
      headers: request.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
    });
    if (path === '/sms/silent') return; // the sender's timeout must end the wait
    const status = Number(/^\/sms\/(\d{3})$/.exec(path)?.[1] ?? 202);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ echoed: 'provider body, never read' }));
  });
});

let base = '';
let closedBase = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedBase = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const delivered = (): ReceivedDelivery[] =>
  requests
    .filter((r) => r.path === '/sms/202')
    .map((r) => ({
      to: String(r.body.to),
      text: String(r.body.text),
      dedupeKey: String(r.headers['idempotency-key']),
    }));

const sender = (path: string, options: Partial<HttpSmsSenderOptions> = {}) =>
  createHttpSmsSender({ url: `${base}${path}`, timeoutMs: 1_000, ...options });

describe('HTTP SMS sender conformance: node:http provider on 127.0.0.1', () => {
  const cases = smsSenderConformanceCases({
    create: () => sender('/sms/202'),
    received: delivered,
    failing: {
      transient: () => sender('/sms/503'),
      permanent: () => sender('/sms/400'),
      unreachable: () => createHttpSmsSender({ url: `${closedBase}/sms/202` }),
    },
  });
  for (const c of cases) it(c.name, c.run);
});

const message = { to: '+36301234567', text: 'A kód: 123456', template: 'login.code', locale: 'hu' };

async function failureOf(send: Promise<void> | void): Promise<SmsDeliveryError> {
  const error: unknown = await Promise.resolve(send).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SmsDeliveryError);
  return error as SmsDeliveryError;
}

describe('HTTP SMS sender: the request', () => {
  it('POSTs to, text and the mapped fields as JSON, with the host headers and the idempotency key', async () => {
    const path = `/sms/202?case=shape-${Date.now()}`;
    const sms = createHttpSmsSender({
      url: `${base}${path}`,
      headers: { Authorization: 'Bearer secret-token', 'Idempotency-Key': 'host-cannot-set-this' },
      body: (m, context) => ({ sender: 'Helpdesk', reference: `${m.template}/${context.attempt}` }),
    });
    await sms.send(message, { idempotencyKey: 'outbox-77', attempt: 3 });
    const request = requests.find((r) => r.path === path)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer secret-token');
    expect(request.headers['idempotency-key']).toBe('outbox-77');
    expect(request.body).toEqual({
      to: '+36301234567',
      text: 'A kód: 123456',
      sender: 'Helpdesk',
      reference: 'login.code/3',
    });
  });

  it('asks a header function per request, so a rotating token is fresh each time', async () => {
    const path = `/sms/202?case=rotating-${Date.now()}`;
    let token = 0;
    const sms = createHttpSmsSender({
      url: `${base}${path}`,
      headers: async () => ({ Authorization: `Bearer t${++token}` }),
    });
    await sms.send(message, { idempotencyKey: 'a', attempt: 1 });
    await sms.send(message, { idempotencyKey: 'b', attempt: 1 });
    expect(requests.filter((r) => r.path === path).map((r) => r.headers.authorization)).toEqual([
      'Bearer t1',
      'Bearer t2',
    ]);
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const sms = createHttpSmsSender({
      url: 'https://sms.example.test/send',
      fetch: (input) => (calls.push(String(input)), Promise.resolve(new Response(null, { status: 204 }))),
    });
    await sms.send(message, { idempotencyKey: 'k', attempt: 1 });
    expect(calls).toEqual(['https://sms.example.test/send']);
  });
});

describe('HTTP SMS sender: answers', () => {
  it('counts every 2xx as delivered', async () => {
    for (const status of [200, 201, 202, 204])
      await expect(
        Promise.resolve(sender(`/sms/${status}`).send(message, { idempotencyKey: `ok-${status}`, attempt: 1 })),
      ).resolves.toBeUndefined();
  });

  it('retries 408, 429 and 5xx, and gives up on any other 4xx', async () => {
    const verdicts: Record<number, boolean> = {};
    for (const status of [400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504]) {
      const error = await failureOf(
        sender(`/sms/${status}`).send(message, { idempotencyKey: `s-${status}`, attempt: 1 }),
      );
      expect(error.status).toBe(status);
      verdicts[status] = error.retryable;
    }
    expect(verdicts).toEqual({
      400: false,
      401: false,
      403: false,
      404: false,
      408: true,
      409: false,
      422: false,
      429: true,
      500: true,
      502: true,
      503: true,
      504: true,
    });
  });

  it('aborts a request the provider does not answer within timeoutMs, as a retryable failure', async () => {
    const started = performance.now();
    const error = await failureOf(
      sender('/sms/silent', { timeoutMs: 200 }).send(message, { idempotencyKey: 'silent', attempt: 1 }),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect([error.retryable, error.status]).toEqual([true, undefined]);
    expect(error.message).toContain('200 ms');
  });

  it('never puts the text or the provider body in the failure reason (it may hold a one-time code)', async () => {
    const error = await failureOf(sender('/sms/500').send(message, { idempotencyKey: 'secret', attempt: 1 }));
    expect(error.message).not.toContain('123456');
    expect(error.message).not.toContain('provider body');
  });
});

describe('HTTP SMS sender: configuration', () => {
  it('refuses a url that is not an absolute http(s) URL and a timeout that is not positive', () => {
    const invalid: HttpSmsSenderOptions[] = [
      { url: 'sms.example.test/send' },
      { url: 'ftp://sms.example.test/send' },
      { url: 'https://sms.example.test', timeoutMs: 0 },
      { url: 'https://sms.example.test', timeoutMs: Number.NaN },
    ];
    for (const options of invalid) {
      let thrown: unknown;
      try {
        createHttpSmsSender(options);
      } catch (error) {
        thrown = error;
      }
      expect(isHelpdeskError(thrown, 'CONFIGURATION_INVALID'), JSON.stringify(options)).toBe(true);
    }
  });

  it('refuses a timeout that is not a whole number of milliseconds from 1 to 2,147,483,647', () => {
    // A fraction makes AbortSignal.timeout throw and a larger value is cut to 1 ms: every send would fail.
    for (const timeoutMs of [2500.5, 0.5, 2_147_483_648, 3_000_000_000, Number.POSITIVE_INFINITY, -1]) {
      let thrown: unknown;
      try {
        createHttpSmsSender({ url: 'https://sms.example.test', timeoutMs });
      } catch (error) {
        thrown = error;
      }
      expect(isHelpdeskError(thrown, 'CONFIGURATION_INVALID'), String(timeoutMs)).toBe(true);
    }
  });

  it('accepts a timeout of 1 ms and of 2,147,483,647 ms, the bounds a timer can hold', async () => {
    expect(() => createHttpSmsSender({ url: 'https://sms.example.test', timeoutMs: 1 })).not.toThrow();
    await expect(
      sender('/sms/202?case=longest-timeout', { timeoutMs: 2_147_483_647 }).send(message, {
        idempotencyKey: 'longest-timeout',
        attempt: 1,
      }),
    ).resolves.toBeUndefined();
  });
});

describe('HTTP SMS sender behind a helpdesk', () => {
  it('carries the login code to the provider, and the code it carried completes the login', async () => {
    const path = `/sms/202?case=login-${Date.now()}`;
    const h = makeLoginDesk({ sms: createHttpSmsSender({ url: `${base}${path}` }) });
    const alice = await makePersonal(h, { phone: '+36 70 111 2233' });
    await h.desk.accounts.activate({ token: alice.token });
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_code');
    expect(await h.desk.dispatchOutbox()).toMatchObject({ delivered: 1, failed: 0 });
    const [request, ...more] = requests.filter((r) => r.path === path);
    expect(more).toEqual([]);
    expect(request!.body.to).toBe('+36701112233');
    const sent = (await h.desk.outbox({ status: 'delivered' })).filter((m) => m.channel === 'sms');
    expect(sent.map((m) => m.idempotencyKey)).toEqual([request!.headers['idempotency-key']]);
    const code = /\b(\d{6})\b/.exec(String(request!.body.text))![1]!;
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(done.result?.amr).toEqual(['password', 'sms']);
  });
});
