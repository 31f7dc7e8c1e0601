import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { makeDesk } from '../helpers.js';

describe('parsing public input', () => {
  it('a hostile value that trips zod after its type check is INVALID_INPUT, never a raw TypeError', async () => {
    const { desk } = makeDesk();
    const hostile = { length: Object.create(null) as object } as never;
    for (const call of [
      () => desk.tickets.history(hostile),
      () => desk.tickets.get(hostile),
      () => desk.login.get(hostile),
      () => desk.recovery.get(hostile),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    }
  });
});

describe('the pure parsing helpers', () => {
  it('answer INVALID_INPUT for the same hostile value, never a raw TypeError', async () => {
    const { parseCalendar } = await import('../../src/calendar/index.js');
    const { parseTicketContent } = await import('../../src/tickets/content.js');
    const { resolveSlaPolicy } = await import('../../src/tickets/sla-policy.js');
    const hostile = { length: Object.create(null) as object };
    for (const call of [
      () => parseCalendar(hostile),
      () => parseTicketContent(hostile),
      () => parseTicketContent({ organization: hostile }),
      () => resolveSlaPolicy({ warningLead: hostile } as never),
    ]) {
      let error: unknown = null;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    }
  });
});
