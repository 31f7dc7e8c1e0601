import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/webhooks/standard-webhooks.js';

// The published Standard Webhooks test vector (the reference libraries' tests use it).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR = VECTOR.timestamp * 1000;

describe('Standard Webhooks signing', () => {
  it('reproduces the specification’s test vector exactly', async () => {
    const headers = await signWebhook(VECTOR);
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
  });

  it('signs with every secret during a rotation, space-separated', async () => {
    const headers = await signWebhook({ ...VECTOR, secret: ['whsec_c2Vjb25kLXNlY3JldA==', VECTOR.secret] });
    const parts = headers['webhook-signature'].split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(VECTOR.signature);
  });

  it('refuses a secret that is not base64', async () => {
    await expect(signWebhook({ ...VECTOR, secret: 'whsec_not base64!' })).rejects.toThrow(TypeError);
  });
});

describe('Standard Webhooks verification', () => {
  const headers = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
  };

  it('accepts the test vector within the tolerance', async () => {
    expect(await verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now: AT_VECTOR + 299_000 })).toEqual({
      ok: true,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
  });

  it('accepts when any one of several signatures matches, and reads headers of any case', async () => {
    const several = {
      'Webhook-Id': VECTOR.id,
      'Webhook-Timestamp': String(VECTOR.timestamp),
      'Webhook-Signature': `v1,bm9wZQ== v2,abc ${VECTOR.signature}`,
    };
    expect((await verifyWebhook(several, VECTOR.body, VECTOR.secret, { now: AT_VECTOR })).ok).toBe(true);
    expect((await verifyWebhook(new Headers(several), VECTOR.body, VECTOR.secret, { now: AT_VECTOR })).ok).toBe(true);
  });

  it('refuses a timestamp older or newer than the tolerance (a replay)', async () => {
    for (const now of [AT_VECTOR + 301_000, AT_VECTOR - 301_000]) {
      expect(await verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now })).toEqual({
        ok: false,
        reason: 'TIMESTAMP_OUT_OF_TOLERANCE',
      });
    }
    expect(
      (await verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now: AT_VECTOR + 3_000_000, toleranceSeconds: 3600 }))
        .ok,
    ).toBe(true);
  });

  it('refuses a changed body, id or timestamp, a wrong secret, and missing headers', async () => {
    const now = AT_VECTOR;
    const refused = async (h: Record<string, string>, body = VECTOR.body, secret = VECTOR.secret) =>
      (await verifyWebhook(h, body, secret, { now })).ok;
    expect(await refused(headers, '{"test": 2432232315}')).toBe(false);
    expect(await refused({ ...headers, 'webhook-id': 'msg_other' })).toBe(false);
    expect(await refused({ ...headers, 'webhook-timestamp': String(VECTOR.timestamp + 1) })).toBe(false);
    expect(await refused(headers, VECTOR.body, 'whsec_c2Vjb25kLXNlY3JldA==')).toBe(false);
    expect(await verifyWebhook({ 'webhook-id': VECTOR.id }, VECTOR.body, VECTOR.secret, { now })).toEqual({
      ok: false,
      reason: 'MISSING_HEADERS',
    });
    expect(
      (await verifyWebhook({ ...headers, 'webhook-timestamp': '16e8' }, VECTOR.body, VECTOR.secret, { now })).ok,
    ).toBe(false);
  });

  it('refuses a tolerance that is not a finite number of seconds from 0 up, instead of skipping the replay check', async () => {
    // e.g. `toleranceSeconds: Number(process.env.UNSET)` is NaN, and `age > NaN` is never true.
    const replayed = { ...headers, 'webhook-timestamp': String(VECTOR.timestamp - 100_000) };
    const badTolerances = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1,
      '300' as unknown as number,
    ];
    for (const toleranceSeconds of badTolerances) {
      for (const delivery of [replayed, headers]) {
        await expect(
          verifyWebhook(delivery, VECTOR.body, VECTOR.secret, { now: AT_VECTOR, toleranceSeconds }),
          String(toleranceSeconds),
        ).rejects.toThrow(TypeError);
      }
    }
  });

  it('refuses a now that is not a finite time in epoch milliseconds', async () => {
    for (const now of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      '1614265330000' as unknown as number,
    ]) {
      await expect(verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now }), String(now)).rejects.toThrow(TypeError);
    }
  });

  it('takes a tolerance of 0 as the same second only', async () => {
    const at = async (now: number) => verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now, toleranceSeconds: 0 });
    expect((await at(AT_VECTOR + 999)).ok).toBe(true);
    expect(await at(AT_VECTOR + 1_000)).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
  });

  it('verifies what it signs', async () => {
    const body = JSON.stringify({ type: 'ticket.created', data: { number: 10001 } });
    const signed = await signWebhook({ id: 'evt_1', timestamp: 1_800_000_000, body, secret: VECTOR.secret });
    expect((await verifyWebhook(signed, body, VECTOR.secret, { now: 1_800_000_000_000 })).ok).toBe(true);
  });
});
