// What the HTTP SMS sender refuses at creation, and how a send that can never work fails: the
// provider's credentials never reach a failure reason (stored with the message, docs/ports.md),
// and a request the runtime cannot build is a permanent SmsDeliveryError, not a bare TypeError
// the dispatcher would retry until the message goes dead.
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { createHttpSmsSender, SmsDeliveryError } from '../../src/sms-http/index.js';

const message = { to: '+36301234567', text: 'Your code: 123456' } as never;
const context = { idempotencyKey: 'k-1', attempt: 1 };
const unreachable = (() => Promise.reject(new Error('fetch must not be called'))) as unknown as typeof fetch;

function configurationField(create: () => unknown): string | undefined {
  try {
    create();
  } catch (error) {
    if (isHelpdeskError(error) && error.code === 'CONFIGURATION_INVALID')
      return (error.details as { field?: string }).field;
    throw error;
  }
  return undefined;
}

describe('the HTTP SMS sender', () => {
  it('refuses an endpoint URL with a user name or password at creation (they belong in headers)', () => {
    expect(configurationField(() => createHttpSmsSender({ url: 'https://user:secret@sms.example.com/send' }))).toBe(
      'url',
    );
    expect(configurationField(() => createHttpSmsSender({ url: 'https://user@sms.example.com/send' }))).toBe('url');
  });

  it('refuses headers that are neither an object of strings nor a function, and a header value no request can carry', () => {
    const url = 'https://sms.example.com/send';
    expect(configurationField(() => createHttpSmsSender({ url, headers: 5 as never }))).toBe('headers');
    expect(configurationField(() => createHttpSmsSender({ url, headers: { 'X-Bad': 'a\nb' } }))).toBe('headers');
    expect(configurationField(() => createHttpSmsSender({ url, headers: { 'X-Count': 5 as never } }))).toBe('headers');
  });

  it('a header from the host function that no request can carry fails the send as permanent, without its value', async () => {
    const sender = createHttpSmsSender({
      url: 'https://sms.example.com/send',
      headers: () => ({ Authorization: 'Bearer tok\nen-secret' }),
      fetch: unreachable,
    });
    const failure = await Promise.resolve(sender.send(message, context)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SmsDeliveryError);
    expect((failure as SmsDeliveryError).retryable).toBe(false);
    expect((failure as Error).message).not.toContain('secret');
  });

  it('a host header function that throws fails the send as retryable (a token service may answer later)', async () => {
    const sender = createHttpSmsSender({
      url: 'https://sms.example.com/send',
      headers: () => Promise.reject(new Error('token service down')),
      fetch: unreachable,
    });
    const failure = await Promise.resolve(sender.send(message, context)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SmsDeliveryError);
    expect((failure as SmsDeliveryError).retryable).toBe(true);
  });
});
