import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { formatTicketReference, parseTicketReference } from '../../src/tickets/reference.js';

describe('ticket references', () => {
  it('formats a ticket number as [#number]', () => {
    expect(formatTicketReference(12345)).toBe('[#12345]');
  });

  it('refuses to format zero, negative, fractional or unsafe numbers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => formatTicketReference(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it.each([
    ['Re: [#10042] Printer on fire', 10042],
    ['AW: RE: [#7]', 7],
    ['[#1] first', 1],
    ['Fwd: see [#12] and [#13]', 12],
    ['Re: [#0] then [#44]', 44],
    ['Re:[#99]Printer', 99],
  ])('finds the ticket number in %j', (subject, expected) => {
    expect(parseTicketReference(subject)).toBe(expected);
  });

  it.each([
    'Re: #123 printer',
    'printer [#12a]',
    '[# 12]',
    '[12]',
    '[#]',
    '[#-5]',
    '[#007]',
    '[#0]',
    '[#9007199254740993]',
    '',
  ])('finds no ticket number in %j', (subject) => {
    expect(parseTicketReference(subject)).toBeNull();
  });

  it('reads back every formatted reference, wherever it sits in the subject', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.string().filter((s) => !s.includes('[#')),
        fc.string(),
        (ticketNumber, before, after) => {
          expect(parseTicketReference(`${before}${formatTicketReference(ticketNumber)}${after}`)).toBe(ticketNumber);
        },
      ),
    );
  });

  it('returns null or a positive safe integer for any subject', () => {
    fc.assert(
      fc.property(fc.string(), (subject) => {
        const found = parseTicketReference(subject);
        expect(found === null || (Number.isSafeInteger(found) && found > 0)).toBe(true);
      }),
    );
  });

  it('throws HelpdeskError, not a plain error', () => {
    try {
      formatTicketReference(-3);
      expect.unreachable();
    } catch (error) {
      expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
    }
  });
});
