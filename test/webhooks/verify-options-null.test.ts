import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/webhooks/standard-webhooks.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"type":"ticket.created"}';

describe('verifyWebhook options: only a left-out option takes its default', () => {
  it('throws a TypeError for now: null instead of using Date.now() silently', async () => {
    const headers = await signWebhook({ id: 'evt_1', timestamp: Math.floor(Date.now() / 1000), body, secret: SECRET });
    await expect(verifyWebhook(headers, body, SECRET, { now: null as unknown as number })).rejects.toThrow(TypeError);
  });

  it('throws a TypeError for toleranceSeconds: null instead of using 300 silently', async () => {
    const headers = await signWebhook({ id: 'evt_1', timestamp: 1_800_000_000, body, secret: SECRET });
    await expect(
      verifyWebhook(headers, body, SECRET, { now: 1_800_000_000_000, toleranceSeconds: null as unknown as number }),
    ).rejects.toThrow(TypeError);
  });

  it('takes an absent or undefined now as Date.now() and an absent tolerance as 300 s', async () => {
    const headers = await signWebhook({
      id: 'evt_1',
      timestamp: Math.floor(Date.now() / 1000) - 200,
      body,
      secret: SECRET,
    });
    expect((await verifyWebhook(headers, body, SECRET)).ok).toBe(true);
    expect((await verifyWebhook(headers, body, SECRET, { now: undefined, toleranceSeconds: undefined })).ok).toBe(true);
  });
});
