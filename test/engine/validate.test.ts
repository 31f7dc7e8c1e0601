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
