import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import {
  RECOMMENDED_FIELDS,
  buildTicketTitle,
  completenessReport,
  parseTicketContent,
  parseTicketTitle,
  ticketContentSchema,
  type TicketContentInput,
} from '../../src/tickets/content.js';

const minimal: TicketContentInput = {
  organization: 'Acme Logistics',
  subject: 'Dashboard shows no vehicles',
  description: 'Since this morning the fleet map is empty for every user.',
};

const full: TicketContentInput = {
  ...minimal,
  occurredAt: '2024-05-02T08:15:00+02:00',
  location: 'Rotterdam depot',
  driver: { name: 'J. de Vries', link: 'https://cloud.example.com/drivers/42' },
  vehicle: {
    link: 'https://cloud.example.com/vehicles/7',
    vin: '1m8gdm9axkp042788',
    year: 2019,
    make: 'DAF',
    model: 'XF',
  },
  hardware: { model: 'VG34', serial: 'G9ZK-123-ABC' },
  browser: { name: 'Firefox', version: '125.0' },
  appVersion: '3.14.2',
  expectedBehavior: 'All 40 vehicles appear on the map.',
  unexpectedBehavior: 'The map is empty and shows "No data".',
  impact: 'Dispatch cannot assign trips.',
  stepsTaken: 'Logged out and in, cleared the cache, tried Chrome.',
  attachments: [
    { name: 'map.png', contentType: 'image/png', size: 183_204, url: 'https://files.example.com/map.png' },
    { name: 'console.txt', contentType: 'text/plain', size: 0 },
  ],
};

function invalidInputIssues(input: unknown) {
  try {
    parseTicketContent(input);
  } catch (error) {
    if (!isHelpdeskError(error, 'INVALID_INPUT')) throw error;
    return { message: error.message, issues: error.details.issues as { path: PropertyKey[]; code: string }[] };
  }
  throw new Error('expected INVALID_INPUT');
}

describe('ticket content', () => {
  it('accepts a full ticket with every field the Dutch source asks for', () => {
    const content = parseTicketContent(full);
    expect(content.vehicle?.vin).toBe('1M8GDM9AXKP042788');
    expect(content.attachments).toHaveLength(2);
    expect(completenessReport(content)).toEqual({ complete: true, missing: [] });
  });

  it('accepts a minimal ticket: organisation, subject and description', () => {
    expect(parseTicketContent(minimal)).toEqual(minimal);
  });

  it('trims strings and drops optional fields left blank by a form', () => {
    const content = parseTicketContent({ ...minimal, subject: '  Map empty  ', location: '   ', appVersion: '' });
    expect(content.subject).toBe('Map empty');
    expect(content).not.toHaveProperty('location', expect.anything());
    expect(content.location).toBeUndefined();
    expect(content.appVersion).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a blank description', { ...minimal, description: '   ' }, 'description'],
    ['a missing description', { organization: 'Acme', subject: 'x' }, 'description'],
    ['a subject over 200 characters', { ...minimal, subject: 'x'.repeat(201) }, 'subject'],
    ['a description over 20000 characters', { ...minimal, description: 'x'.repeat(20_001) }, 'description'],
    ['an organisation with the title separator', { ...minimal, organization: 'Smith - Jones' }, 'organization'],
    ['an unknown field', { ...minimal, priority: 'high' }, ''],
    ['an unknown nested field', { ...minimal, hardware: { model: 'x', colour: 'red' } }, 'hardware'],
    ['a date that is not ISO date-time', { ...minimal, occurredAt: 'yesterday' }, 'occurredAt'],
    ['a javascript: link', { ...minimal, driver: { link: 'javascript:alert(1)' } }, 'driver.link'],
    ['a VIN with the letter O', { ...minimal, vehicle: { vin: '1M8GDM9AXKP04278O' } }, 'vehicle.vin'],
    [
      'a negative attachment size',
      { ...minimal, attachments: [{ name: 'a', contentType: 'image/png', size: -1 }] },
      'attachments.0.size',
    ],
    [
      'a fractional attachment size',
      { ...minimal, attachments: [{ name: 'a', contentType: 'image/png', size: 1.5 }] },
      'attachments.0.size',
    ],
    [
      'a content type that is not a MIME type',
      { ...minimal, attachments: [{ name: 'a', contentType: 'png', size: 1 }] },
      'attachments.0.contentType',
    ],
    [
      '21 attachments',
      {
        ...minimal,
        attachments: Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, contentType: 'text/plain', size: 1 })),
      },
      'attachments',
    ],
  ])('refuses %s with INVALID_INPUT and the zod issue', (_, input, path) => {
    const { message, issues } = invalidInputIssues(input);
    expect(issues.map((issue) => issue.path.map(String).join('.'))).toContain(path);
    expect(message).toMatch(/^Invalid ticket content: /);
  });

  it('refuses input that is not an object', () => {
    for (const input of [null, undefined, 'text', 42, []])
      expect(invalidInputIssues(input).issues.length).toBeGreaterThan(0);
  });

  it('throws only INVALID_INPUT for arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          ticketContentSchema.parse(input);
        } catch {
          expect(() => parseTicketContent(input)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
        }
      }),
    );
  });
});

describe('completenessReport', () => {
  it('lists every recommended field for a minimal ticket', () => {
    expect(completenessReport(parseTicketContent(minimal))).toEqual({
      complete: false,
      missing: [...RECOMMENDED_FIELDS],
    });
  });

  it('lists exactly the fields that are missing', () => {
    const content = parseTicketContent({
      ...minimal,
      location: 'Depot',
      impact: 'Dispatch stopped',
      appVersion: '1.2',
    });
    expect(completenessReport(content).missing).toEqual([
      'occurredAt',
      'expectedBehavior',
      'unexpectedBehavior',
      'stepsTaken',
    ]);
  });

  it('counts hardware, browser or app version as one field, satisfied by any of them', () => {
    for (const extra of [{ hardware: { serial: 'S1' } }, { browser: { name: 'Safari' } }, { appVersion: '2.0' }]) {
      expect(completenessReport(parseTicketContent({ ...minimal, ...extra })).missing).not.toContain(
        'hardwareOrVersion',
      );
    }
    expect(
      completenessReport(parseTicketContent({ ...minimal, hardware: {}, browser: { name: ' ' } })).missing,
    ).toContain('hardwareOrVersion');
  });

  it('does not ask for driver or vehicle, which only apply to fleet problems', () => {
    expect(completenessReport(parseTicketContent(minimal)).missing).not.toEqual(
      expect.arrayContaining(['driver', 'vehicle']),
    );
  });
});

describe('ticket title', () => {
  it('is "Organisation - Subject"', () => {
    expect(buildTicketTitle(' Acme ', ' Printer on fire ')).toBe('Acme - Printer on fire');
    expect(parseTicketTitle('Acme - Printer - on fire')).toEqual({
      organization: 'Acme',
      subject: 'Printer - on fire',
    });
  });

  it('returns null for a title without organisation or subject', () => {
    for (const title of ['Printer on fire', ' - Printer', 'Acme - ', 'Acme-Printer'])
      expect(parseTicketTitle(title)).toBeNull();
  });

  it('refuses to build an ambiguous or blank title', () => {
    for (const [org, subject] of [
      ['Smith - Jones', 'x'],
      ['Acme -', 'x'],
      ['', 'x'],
      ['Acme', '  '],
    ] as const) {
      expect(() => buildTicketTitle(org, subject)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('round-trips: parsing a built title gives back the trimmed organisation and subject', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '-', 'é', '\t') }).map((s) => s.trim());
    fc.assert(
      fc.property(part, part, (organization, subject) => {
        fc.pre(
          organization !== '' &&
            subject !== '' &&
            ticketContentSchema.shape.organization.safeParse(organization).success,
        );
        expect(parseTicketTitle(buildTicketTitle(organization, subject))).toEqual({ organization, subject });
      }),
      { numRuns: 500 },
    );
  });
});
