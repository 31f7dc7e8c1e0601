import { safeParseHostile } from '../_lib/safe-parse.js';
import { z } from 'zod';
import { commonErrors } from '../errors.js';
import { identifierString, multiLineText, singleLineText } from '../_lib/text.js';

/**
 * What a requester writes in a ticket, following the Dutch source
 * (support-ticket-statuses.nl.txt): title `Organisation - Subject`, a
 * description, and where applicable when and where it happened, the driver,
 * vehicle, hardware, browser or app version, expected and unexpected
 * behaviour, impact, steps already taken, and attachments (metadata only).
 *
 * Strings are trimmed. An optional text field that is blank after trimming is
 * dropped, because web forms send `''` for fields the user left alone. NUL and
 * broken Unicode are refused; single-line fields (organisation, subject, names,
 * versions) have line breaks turned into spaces, since the subject reaches mail
 * headers; long texts keep their lines (see `_lib/text.ts`).
 */

/** Maximum lengths, in UTF-16 code units. */
export const TICKET_CONTENT_LIMITS = {
  organization: 100,
  subject: 200,
  description: 20_000,
  location: 500,
  longText: 5_000,
  name: 200,
  shortText: 100,
  version: 50,
  url: 2_000,
  attachmentName: 255,
  attachments: 20,
} as const;

/** Separator between organisation and subject in a ticket title. */
export const TICKET_TITLE_SEPARATOR = ' - ';

const L = TICKET_CONTENT_LIMITS;

const requiredLine = (max: number) => singleLineText().trim().min(1).max(max);

/** Optional one-line text: trimmed, and absent when blank. */
const optionalLine = (max: number) =>
  singleLineText()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

/** Optional multi-line text: trimmed, and absent when blank. */
const optionalText = (max: number) =>
  multiLineText()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

// Only http(s) links: a `javascript:` or `data:` URL must never reach an agent's screen as a link.
const webLink = identifierString()
  .trim()
  .max(L.url)
  .pipe(z.url({ protocol: /^https?$/ }));

/**
 * The organisation name. It must not contain the title separator ` - ` nor end
 * with ` -`, so that `parseTicketTitle(buildTicketTitle(org, subject))` gives
 * back the same organisation.
 */
export const organizationNameSchema = requiredLine(L.organization).refine((name) => !titleBreaking(name), {
  message: `The organization must not contain "${TICKET_TITLE_SEPARATOR}" or end with " -".`,
});

function titleBreaking(organization: string): boolean {
  return organization.includes(TICKET_TITLE_SEPARATOR) || organization.endsWith(' -');
}

/**
 * A vehicle identification number (ISO 3779): 17 characters, digits and
 * capital letters without I, O and Q. Compared uppercased. Vehicles built
 * before 1981 may have shorter numbers; those go in the description.
 */
export const vinSchema = identifierString()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'A VIN has 17 characters: digits and letters except I, O and Q.');

/** Metadata of an attached file; the file itself is stored by the host. */
export const attachmentSchema = z.strictObject({
  name: requiredLine(L.attachmentName),
  /** A MIME type such as `image/png`. */
  contentType: identifierString()
    .trim()
    .toLowerCase()
    .max(L.shortText)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'Expected a MIME type such as image/png.'),
  /** Size in bytes. */
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  url: webLink.optional(),
});

/** The affected driver (fleet field): a name and/or a link to the driver's record. */
export const driverSchema = z.strictObject({ name: optionalLine(L.name), link: webLink.optional() });

/** The affected vehicle (fleet field): a link to its record and/or VIN, year, make and model. */
export const vehicleSchema = z.strictObject({
  link: webLink.optional(),
  vin: vinSchema.optional(),
  year: z.number().int().min(1886).max(2100).optional(),
  make: optionalLine(L.shortText),
  model: optionalLine(L.shortText),
});

/** Parses ticket content. Unknown keys are refused at every level. */
export const ticketContentSchema = z.strictObject({
  organization: organizationNameSchema,
  subject: requiredLine(L.subject),
  /** Who, what, when, where and why, as specific as possible. */
  description: multiLineText().trim().min(1).max(L.description),
  /** When the problem happened: an ISO 8601 date-time with `Z` or an offset. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  /** Where the problem happened. */
  location: optionalLine(L.location),
  /** The affected driver: a name and/or a link to the driver's record. */
  driver: driverSchema.optional(),
  /** The affected vehicle: a link to its record and/or VIN, year, make and model. */
  vehicle: vehicleSchema.optional(),
  hardware: z.strictObject({ model: optionalLine(L.shortText), serial: optionalLine(L.shortText) }).optional(),
  browser: z.strictObject({ name: optionalLine(L.shortText), version: optionalLine(L.version) }).optional(),
  appVersion: optionalLine(L.version),
  /** What happened before, or what should happen in this case. */
  expectedBehavior: optionalText(L.longText),
  /** The problem that was met. */
  unexpectedBehavior: optionalText(L.longText),
  /** The impact the problem had on operations. */
  impact: optionalText(L.longText),
  /** Troubleshooting steps already taken. */
  stepsTaken: optionalText(L.longText),
  /** Screenshots or examples, metadata only. */
  attachments: z.array(attachmentSchema).max(L.attachments).optional(),
});

/** Ticket content as accepted from a caller. */
export type TicketContentInput = z.input<typeof ticketContentSchema>;
/** Ticket content after parsing: trimmed, blanks dropped. */
export type TicketContent = z.output<typeof ticketContentSchema>;
/** Attachment metadata. */
export type TicketAttachment = z.output<typeof attachmentSchema>;

/**
 * Parses ticket content. Throws `INVALID_INPUT` with `details.issues` (the zod
 * issues) and a message naming each offending field.
 */
export function parseTicketContent(input: unknown): TicketContent {
  const result = safeParseHostile(ticketContentSchema, input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const summary = issues.map((issue) => `${issue.path.map(String).join('.') || '(content)'}: ${issue.message}`);
  throw commonErrors.raise('INVALID_INPUT', { issues }, `Invalid ticket content: ${summary.join('; ')}`);
}

/**
 * Builds the ticket title `Organisation - Subject` from trimmed parts. Throws
 * `INVALID_INPUT` when either part is blank or the organisation would make the
 * title ambiguous (see `organizationNameSchema`).
 */
export function buildTicketTitle(organization: string, subject: string): string {
  const org = organization.trim();
  const subj = subject.trim();
  if (org === '' || subj === '' || titleBreaking(org)) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { organization, subject },
      'A ticket title needs a non-blank organization without " - " and a non-blank subject.',
    );
  }
  return `${org}${TICKET_TITLE_SEPARATOR}${subj}`;
}

/**
 * Splits a title at the first ` - ` into organisation and subject (both
 * trimmed). Returns `null` when there is no separator or a part is blank.
 */
export function parseTicketTitle(title: string): { organization: string; subject: string } | null {
  const at = title.indexOf(TICKET_TITLE_SEPARATOR);
  if (at < 0) return null;
  const organization = title.slice(0, at).trim();
  const subject = title.slice(at + TICKET_TITLE_SEPARATOR.length).trim();
  if (organization === '' || subject === '') return null;
  return { organization, subject };
}

/**
 * Fields the Dutch source asks for "if applicable and available". Driver and
 * vehicle are not listed: they only apply to fleet problems, so their absence
 * says nothing. Hardware, browser and app version count as one field,
 * `hardwareOrVersion`: the source lists them as alternatives, and any one of
 * them tells support what the problem ran on.
 */
export const RECOMMENDED_FIELDS = [
  'occurredAt',
  'location',
  'expectedBehavior',
  'unexpectedBehavior',
  'impact',
  'stepsTaken',
  'hardwareOrVersion',
] as const;

/** One of {@link RECOMMENDED_FIELDS}. */
export type RecommendedField = (typeof RECOMMENDED_FIELDS)[number];

/** Which recommended fields are missing, in {@link RECOMMENDED_FIELDS} order. */
export interface CompletenessReport {
  complete: boolean;
  missing: RecommendedField[];
}

/** Lists the recommended fields that parsed ticket content leaves out. */
export function completenessReport(content: TicketContent): CompletenessReport {
  const present: Record<RecommendedField, boolean> = {
    occurredAt: content.occurredAt !== undefined,
    location: content.location !== undefined,
    expectedBehavior: content.expectedBehavior !== undefined,
    unexpectedBehavior: content.unexpectedBehavior !== undefined,
    impact: content.impact !== undefined,
    stepsTaken: content.stepsTaken !== undefined,
    hardwareOrVersion:
      content.hardware?.model !== undefined ||
      content.hardware?.serial !== undefined ||
      content.browser?.name !== undefined ||
      content.browser?.version !== undefined ||
      content.appVersion !== undefined,
  };
  const missing = RECOMMENDED_FIELDS.filter((field) => !present[field]);
  return { complete: missing.length === 0, missing };
}
