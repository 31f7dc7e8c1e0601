import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  PRIORITIES,
  comparePriorities,
  priorityDefinitions,
  prioritySchema,
} from '../../src/tickets/priorities.js';
import { priorityChannelAdvice } from '../../src/tickets/suggest-priority.js';

describe('priorities', () => {
  it('defines every priority with a label and a definition in every locale', () => {
    for (const priority of PRIORITIES) {
      const definition = priorityDefinitions[priority];
      expect(definition.priority).toBe(priority);
      for (const locale of LOCALES) {
        expect(definition.labels[locale].trim()).not.toBe('');
        expect(definition.definition[locale].trim().length).toBeGreaterThan(20);
      }
    }
  });

  it('uses the Greek labels of the source exactly', () => {
    expect(PRIORITIES.map((p) => priorityDefinitions[p].labels.el)).toEqual([
      'Χαμηλή',
      'Κανονική',
      'Υψηλή',
      'Επείγουσα',
      'Κρίσιμη',
    ]);
  });

  it('quotes the Greek definitions of the source verbatim', () => {
    expect(priorityDefinitions.critical.definition.el).toBe(
      'Όταν δεν είναι προσβάσιμοι βασικοί πόροι λειτουργίας της επιχείρησης και επηρεάζεται καθολικά η παραγωγική λειτουργία της επιχείρησης για το σύνολο των θέσεων εργασίας και δεν γνωρίζετε την αιτία.',
    );
    expect(priorityDefinitions.low.definition.el).toBe(
      'Όταν το πρόβλημα δεν είναι ιδιαίτερης σημασίας ή απλά θέλετε να διατυπώσετε μια γενική ερώτηση.',
    );
  });

  it('ranks priorities from low to critical', () => {
    PRIORITIES.forEach((priority, index) => expect(priorityDefinitions[priority].rank).toBe(index));
    expect(comparePriorities('low', 'critical')).toBeLessThan(0);
    expect(comparePriorities('urgent', 'high')).toBeGreaterThan(0);
    expect(comparePriorities('normal', 'normal')).toBe(0);
  });

  it('advises the phone for urgent and critical requests and an online ticket otherwise', () => {
    expect(PRIORITIES.map((p) => [p, priorityChannelAdvice(p)])).toEqual([
      ['low', 'online'],
      ['normal', 'online'],
      ['high', 'online'],
      ['urgent', 'phone'],
      ['critical', 'phone'],
    ]);
  });

  it('parses known priorities and refuses others', () => {
    expect(prioritySchema.parse('urgent')).toBe('urgent');
    expect(prioritySchema.safeParse('blocker').success).toBe(false);
  });
});
