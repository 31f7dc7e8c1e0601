/* eslint-disable no-control-regex -- finding control characters is what this module is for */
import { z } from 'zod';

/**
 * Text rules shared by every public schema. PostgreSQL stores no U+0000, and a lone UTF-16
 * surrogate is either refused by the database or silently replaced by U+FFFD when encoded as
 * UTF-8 (so two different keys could collide): both are refused at the schema, before any
 * storage call, sequence number or hash. Control characters are removed from text that can
 * reach a mail subject, an SMS or a header (`"Hi\r\nBcc: …"` must not become a header line),
 * and refused in identifiers, where a silent change would point at a different record.
 */

/** The message of the shared refinement. */
export const SAFE_TEXT_MESSAGE = 'Expected text without NUL bytes or broken Unicode.';
/** The message when an identifier, key or token contains a control character. */
export const NO_CONTROLS_MESSAGE =
  'Expected text without control characters (line breaks, tabs, U+0000–U+001F, U+007F–U+009F).';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// Line breaks and other spacing controls (plus U+2028/U+2029, which some clients render as a
// new line) become a space in single-line text; the remaining controls are dropped.
const LINE_OR_SPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const OTHER_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
// In multi-line text, `\n` and `\t` stay; every other control is dropped once `\r` is a line break.
const MULTI_LINE_DROPPED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

type WellFormed = (this: string) => boolean;
// `String.prototype.isWellFormed` (ES2024) is native on Node 20+; older runtimes use the regex.
const nativeIsWellFormed = (String.prototype as { isWellFormed?: WellFormed }).isWellFormed;

/** True when `text` holds a lone UTF-16 surrogate (the fallback of {@link isWellFormedText}). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** True when `text` has no lone UTF-16 surrogate, i.e. it encodes to UTF-8 without loss. */
export function isWellFormedText(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !hasLoneSurrogate(text);
}

/** True when `text` is well-formed Unicode and holds no U+0000: what every adapter can store exactly. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && isWellFormedText(text);
}

/** True when `text` holds a C0 or C1 control character (U+0000–U+001F, U+007F–U+009F). */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** One line of text: line breaks and spacing controls become one space, other controls are removed. */
export function toSingleLine(text: string): string {
  return text.replace(LINE_OR_SPACE_CONTROLS, ' ').replace(OTHER_CONTROLS, '');
}

/** Multi-line text: `\r\n` and `\r` become `\n`; `\n` and `\t` stay; other controls are removed. */
export function toMultiLine(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(MULTI_LINE_DROPPED, '');
}

type StringParams = Parameters<typeof z.string>[0];

/**
 * A `z.string()` that must be well-formed Unicode without U+0000 ({@link SAFE_TEXT_MESSAGE}).
 * The base of every string a public schema accepts; chain `.trim()`, `.min()`, … as usual.
 */
export function safeString(params?: StringParams): z.ZodString {
  // abort: a string that cannot be stored gets this one clear issue, not a cascade after it.
  return z.string(params).refine(isStorableText, { error: SAFE_TEXT_MESSAGE, abort: true });
}

/**
 * An identifier, key, cursor, token or code: a {@link safeString} that must also hold no
 * control character. Refused, never changed: a changed id would name another record.
 */
export function identifierString(params?: StringParams): z.ZodString {
  return safeString(params).refine((text) => !hasControlCharacter(text), { error: NO_CONTROLS_MESSAGE, abort: true });
}

/**
 * Text that can reach a mail subject, a display name, an SMS or a header: a {@link safeString}
 * with line breaks turned into spaces and other controls removed ({@link toSingleLine}).
 * Chain `.trim()` after it so the spaces left by a trailing line break go too.
 */
export function singleLineText(params?: StringParams): z.ZodString {
  return safeString(params).overwrite(toSingleLine);
}

/** A body or description: a {@link safeString} normalised by {@link toMultiLine}. */
export function multiLineText(params?: StringParams): z.ZodString {
  return safeString(params).overwrite(toMultiLine);
}
