// The HTTP SMS sender and the caller's AbortSignal (`context.signal`, aborted by the dispatcher at
// its send timeout): a stub fetch that never answers records the signal it got and, like a real
// fetch, rejects with the signal's reason once it aborts.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createDispatcher, defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { createHttpSmsSender, SmsDeliveryError, type HttpSmsSenderOptions } from '../../src/sms-http/index.js';

const message = { to: '+36301234567', text: 'A kód: 123456', template: 'login.code', locale: 'hu' };

/** A fetch that never answers: it records each request's signal and rejects only when that signal aborts. */
function silentFetch() {
  const signals: AbortSignal[] = [];
  const fetch = ((_input: unknown, init?: RequestInit) => {
    const signal = init!.signal!;
    signals.push(signal);
    return new Promise<Response>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }) as typeof globalThis.fetch;
  return { fetch, signals };
}

const sender = (fetch: typeof globalThis.fetch, options: Partial<HttpSmsSenderOptions> = {}) =>
  createHttpSmsSender({ url: 'https://sms.example.test/send', fetch, timeoutMs: 60_000, ...options });

/** The promise's rejection, or a failure when it is still pending after `ms` of real time. */
async function rejectionWithin(promise: Promise<void> | void, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  const outcome = Promise.resolve(promise).then(
    () => new Error('resolved, expected a rejection'),
    (error: unknown) => ({ rejected: error }),
  );
  try {
    const settled = await Promise.race([outcome, late]);
    if (settled instanceof Error) throw settled;
    return settled.rejected;
  } finally {
    clearTimeout(timer);
  }
}

const originalAny = AbortSignal.any;
afterEach(() => {
  AbortSignal.any = originalAny;
});

describe('HTTP SMS sender: the caller’s signal', () => {
  it('passes the caller’s signal on to fetch: its abort ends the request as a retryable failure', async () => {
    const { fetch, signals } = silentFetch();
    const caller = new AbortController();
    const sending = sender(fetch).send(message, { idempotencyKey: 'k1', attempt: 1, signal: caller.signal });
    await Promise.resolve();
    caller.abort(new Error('send timed out after 20 ms'));
    const error = await rejectionWithin(sending, 1_000);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect([(error as SmsDeliveryError).retryable, (error as SmsDeliveryError).status]).toEqual([true, undefined]);
    expect((error as Error).message).toContain('aborted by the caller');
    expect((error as Error).message).not.toContain('60000 ms');
    expect((error as Error).message).not.toContain('123456');
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('still ends the request at its own timeoutMs when the caller’s signal does not abort', async () => {
    const { fetch, signals } = silentFetch();
    const caller = new AbortController();
    const sending = sender(fetch, { timeoutMs: 50 }).send(message, {
      idempotencyKey: 'k2',
      attempt: 1,
      signal: caller.signal,
    });
    const error = (await rejectionWithin(sending, 2_000)) as SmsDeliveryError;
    expect([error.retryable, error.status]).toEqual([true, undefined]);
    expect(error.message).toContain('no answer within 50 ms');
    expect(signals[0]!.aborted).toBe(true);
    expect(caller.signal.aborted).toBe(false);
  });

  it('fails at once, retryable, when the caller’s signal has already aborted', async () => {
    const { fetch, signals } = silentFetch();
    const error = (await rejectionWithin(
      sender(fetch).send(message, { idempotencyKey: 'k3', attempt: 1, signal: AbortSignal.abort() }),
      1_000,
    )) as SmsDeliveryError;
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error.retryable).toBe(true);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('combines both signals without AbortSignal.any (older runtimes), and leaves no listener on the caller’s signal', async () => {
    (AbortSignal as { any?: unknown }).any = undefined;
    const { fetch, signals } = silentFetch();
    const caller = new AbortController();
    const aborted = sender(fetch).send(message, { idempotencyKey: 'k4', attempt: 1, signal: caller.signal });
    await Promise.resolve();
    caller.abort(new Error('send timed out after 20 ms'));
    const error = (await rejectionWithin(aborted, 1_000)) as SmsDeliveryError;
    expect([error.retryable, error.message.includes('aborted by the caller')]).toEqual([true, true]);
    expect(signals[0]!.aborted).toBe(true);

    const kept = new AbortController();
    const timedOut = sender(fetch, { timeoutMs: 50 }).send(message, {
      idempotencyKey: 'k5',
      attempt: 1,
      signal: kept.signal,
    });
    expect(((await rejectionWithin(timedOut, 2_000)) as SmsDeliveryError).message).toContain('no answer within 50 ms');
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('behind the dispatcher: the request is aborted when the send times out', async () => {
    const storage = createMemoryStorage();
    const outbox = [
      {
        id: 's1',
        channel: 'sms' as const,
        payload: { to: '+36301234567', text: 'A kód: 123456', template: 'login.code', locale: 'hu' },
        idempotencyKey: 'key-s1',
        availableAt: 0,
      },
    ];
    expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
    const { fetch, signals } = silentFetch();
    const policy = { ...defaultOutboxPolicy, sendTimeoutMs: 20 };
    const dispatcher = createDispatcher(storage, () => 0, { sms: sender(fetch) }, policy);
    expect(await dispatcher.dispatch()).toMatchObject({ delivered: 0, failed: 1 });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    const [stored] = await storage.listOutbox({});
    expect(stored).toMatchObject({ status: 'pending', lastError: 'send timed out after 20 ms' });
  });
});
