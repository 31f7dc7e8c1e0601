import { z } from 'zod';
import type { Json } from '../ports/json.js';

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const historyEntry = z.object({
  kind: z.string(),
  id: z.string(),
  seq: z.number().int(),
  at: z.number(),
  type: z.string(),
  actor: json,
  data: json,
});

/**
 * One page of a subject access export (`desk.privacy.export`), format
 * `helpdesk-core/privacy-export@1`. Pages are read until `next` is null; a page may hold fewer
 * items than asked (it covers a slice of the store, not a number of hits). Stored secrets (password
 * hashes, sealed TOTP secrets, code and token MACs, a link token's id) read `[secret]` wherever
 * they sit (`src/privacy/export-redaction.ts`).
 */
export const privacyExportSchema = z.object({
  format: z.literal('helpdesk-core/privacy-export@1'),
  /** Every identifier the subject goes by (account id, addresses, numbers, logins), lower-cased. */
  subject: z.object({ accountId: z.string().nullable(), identifiers: z.array(z.string()) }),
  generatedAt: z.number(),
  /**
   * Records that concern the subject (account, tickets, recovery cases, login flows, sessions…),
   * each with its history; and, marked `excerpt: true`, someone else's records that name one of
   * the subject's identifiers whole, holding only the texts (and history entries) that name them.
   */
  records: z.array(
    z.object({
      kind: z.string(),
      id: z.string(),
      version: z.number().int(),
      state: json,
      indexes: z.record(z.string(), z.string()),
      history: z.array(historyEntry),
      /** True when the record is someone else's: `state`, `indexes` and `history` are cut to what names the subject. */
      excerpt: z.boolean().optional(),
    }),
  ),
  /** History entries of other records that name the subject (e.g. their replies in others' tickets), cut to what names them. */
  history: z.array(historyEntry),
  /**
   * Mail and SMS to the subject, as stored (settled secret-bearing ones are already erased); and,
   * marked `excerpt: true`, mail to someone else that names them, its payload cut to the texts that do.
   */
  outbox: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(['email', 'sms']),
      status: z.enum(['pending', 'claimed', 'delivered', 'dead']),
      availableAt: z.number(),
      deliveredAt: z.number().nullable(),
      payload: json,
      /** True when the message went to someone else: `payload` is cut to what names the subject. */
      excerpt: z.boolean().optional(),
    }),
  ),
  /** Domain events about the subject's records or naming the subject. */
  events: z.array(
    z.object({
      seq: z.number().int(),
      id: z.string(),
      type: z.string(),
      at: z.number(),
      subject: z.object({ kind: z.string(), id: z.string() }),
      data: json,
    }),
  ),
  /** Attachment metadata of the subject's records: the files themselves live in the host's storage. */
  attachments: z.array(json),
  /** Pass as `cursor` to read the next page; null on the last page. */
  next: z.string().nullable(),
});
/** See {@link privacyExportSchema}. */
export type PrivacyExport = z.output<typeof privacyExportSchema>;
