import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../src/errors.js';
import { createHelpdesk, type HelpdeskOptions } from '../src/helpdesk.js';
import type { WebhookSender } from '../src/webhooks/webhook-sender.js';

const pepper = 'test-pepper-of-at-least-32-bytes!';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const sender: WebhookSender = { send: async () => {} };

/** The `details` of the CONFIGURATION_INVALID that createHelpdesk throws for this cursor, or null when it accepts. */
function cursorRefusal(cursor: unknown): { field?: unknown } | null {
  try {
    createHelpdesk({ secrets: { pepper }, webhooks: { sender, secret: SECRET, cursor } } as HelpdeskOptions);
    return null;
  } catch (error) {
    if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return error.details;
    throw error;
  }
}

describe('webhooks.cursor is text every storage keeps exactly, checked at createHelpdesk', () => {
  it('refuses NUL, a lone surrogate and control characters, naming webhooks.cursor', () => {
    for (const cursor of ['hooks\u0000', 'hooks\ud800', '\udc00hooks', 'hooks\n', 'hooks\u0085', '', 42, null]) {
      expect(cursorRefusal(cursor), JSON.stringify(cursor)).toEqual({ field: 'webhooks.cursor' });
    }
  });

  it('accepts any other non-empty text, a well-formed pair of surrogates included, and no cursor at all', () => {
    for (const cursor of [undefined, 'webhooks', 'crm-β', 'hooks 😀']) {
      expect(cursorRefusal(cursor), JSON.stringify(cursor)).toBeNull();
    }
  });
});
