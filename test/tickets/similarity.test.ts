import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diceCoefficient, isNearDuplicateSubject, normalizeSubject } from '../../src/tickets/similarity.js';

describe('normalizeSubject', () => {
  it.each([
    ['Re: [#10042] Printer on fire!', 'printer on fire'],
    ['AW: RE: Fwd:  Printer   on fire', 'printer on fire'],
    ['Antw: Doorst: Printer on fire', 'printer on fire'],
    ['RE[2]: FW: printer, on... fire', 'printer on fire'],
    ['ΑΠ: ΕΠΕΙΓΟΝ', 'επειγον'],
    ['Επείγον', 'επειγον'],
    ['Ｐｒｉｎｔｅｒ', 'printer'],
    ['  ', ''],
    ['Report: quarterly', 'report quarterly'],
  ])('normalises %j to %j', (subject, expected) => {
    expect(normalizeSubject(subject)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(normalizeSubject(normalizeSubject(s))).toBe(normalizeSubject(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('isNearDuplicateSubject', () => {
  it.each([
    ['Printer on fire', 'Re: [#10042] printer on fire'],
    ['Printer on fire', 'PRINTER ON FIRE!!'],
    ['printer offline', 'printer ofline'],
    ['Cannot log in to the dashboard', 'Cannot login to the dashboard'],
    ['mail server down', 'down mail server'],
    ['Ticket 07 missing', 'ticket 7 missing'],
  ])('treats %j and %j as near duplicates', (a, b) => {
    expect(isNearDuplicateSubject(a, b)).toBe(true);
    expect(isNearDuplicateSubject(b, a)).toBe(true);
  });

  it.each([
    ['vpn down', 'vpn slow'],
    ['printer 2 offline', 'printer 3 offline'],
    ['Order 1234 missing', 'Order 1235 missing'],
    ['Printer on fire', 'Cannot log in'],
    ['', ''],
    ['Re:', 'Fwd:'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(isNearDuplicateSubject(a, b)).toBe(false);
  });

  it('is symmetric and every non-blank subject is a near duplicate of itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(isNearDuplicateSubject(a, b)).toBe(isNearDuplicateSubject(b, a));
        expect(isNearDuplicateSubject(a, a)).toBe(normalizeSubject(a) !== '');
      }),
    );
  });

  it('computes the Dice coefficient of character bigrams', () => {
    expect(diceCoefficient('night', 'nacht')).toBeCloseTo(0.25);
    expect(diceCoefficient('abc', 'abc')).toBe(1);
    expect(diceCoefficient('a', 'a')).toBe(0);
  });
});
