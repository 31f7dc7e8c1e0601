import { commonErrors } from '../errors.js';

// GSM 03.38 (3GPP TS 23.038) default alphabet. The basic table costs one septet per character,
// the extension table two (escape + character). ESC itself (0x1B) is not a character a text can carry.
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** Septets in one SMS, and per part once a text is split (the rest carries the concatenation header). */
const GSM_SINGLE = 160;
const GSM_PART = 153;
/** UTF-16 code units in one SMS, and per part once split. */
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

/** What a text costs as an SMS. */
export interface SmsSegments {
  /** `GSM-7` when every character is in the GSM 03.38 tables, else `UCS-2`. */
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  units: number;
  /** Messages the network sends and bills: 1 up to 160 septets / 70 units, then 153 / 67 per part. */
  segments: number;
}

/**
 * How many SMS segments `text` takes, as a network counts them: GSM 03.38 basic and
 * extension tables, 160 septets in one message or 153 per part when concatenated;
 * any other character switches the whole text to UCS-2, 70 UTF-16 code units in one
 * message or 67 per part. An empty text is one (empty) segment. No national language
 * shift tables: most networks do not apply them, and a template must not depend on them.
 * Throws `INVALID_INPUT` when `text` is not a string.
 */
export function smsSegments(text: string): SmsSegments {
  if (typeof text !== 'string') {
    throw commonErrors.raise('INVALID_INPUT', { text }, 'The text to count must be a string.');
  }
  let septets = 0;
  for (const char of text) {
    if (BASIC.has(char)) septets += 1;
    else if (EXTENSION.has(char)) septets += 2;
    else return countSegments('UCS-2', text.length, UCS2_SINGLE, UCS2_PART);
  }
  return countSegments('GSM-7', septets, GSM_SINGLE, GSM_PART);
}

function countSegments(encoding: SmsSegments['encoding'], units: number, single: number, part: number): SmsSegments {
  return { encoding, units, segments: units <= single ? 1 : Math.ceil(units / part) };
}
