import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/messages/locales.js';
import { STATUS_DEFINITIONS, statusDefinitions, statusLabel } from '../../src/tickets/statuses.js';
import { TICKET_STATUSES } from '../../src/tickets/ticket-machine.js';

describe('status labels and definitions', () => {
  it('every status has a label and a one-line definition in every locale', () => {
    expect(STATUS_DEFINITIONS.map((d) => d.status)).toEqual([...TICKET_STATUSES]);
    for (const status of TICKET_STATUSES) {
      for (const locale of LOCALES) {
        expect(statusDefinitions[status].labels[locale].length, `${status} ${locale}`).toBeGreaterThan(1);
        expect(statusDefinitions[status].definition[locale], `${status} ${locale}`).not.toContain('\n');
      }
    }
  });

  it('uses the Dutch source names: Open, In behandeling, In de wacht, Opgelost', () => {
    expect(['open', 'pending', 'on_hold', 'solved'].map((s) => statusLabel(s as never, 'nl'))).toEqual([
      'Open',
      'In behandeling',
      'In de wacht',
      'Opgelost',
    ]);
    expect(statusDefinitions.pending.definition.nl).toContain('72 uur');
  });
});
