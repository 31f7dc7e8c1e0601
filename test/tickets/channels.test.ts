import { describe, expect, it } from 'vitest';
import { CHANNELS, channelSchema } from '../../src/tickets/channels.js';

describe('channels', () => {
  it('accepts the six channels a ticket can come from and nothing else', () => {
    expect(CHANNELS).toEqual(['web', 'email', 'phone', 'dashboard', 'contact_form', 'sales']);
    for (const channel of CHANNELS) expect(channelSchema.parse(channel)).toBe(channel);
    expect(channelSchema.safeParse('fax').success).toBe(false);
  });
});
