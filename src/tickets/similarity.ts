/**
 * Near-duplicate detection for ticket subjects: "one ticket per issue" (docs/tickets.md,
 * "Submitting"). A match is only reported as a *possible* duplicate, so the rules favour
 * catching re-sent and re-worded subjects while keeping different numbers apart.
 */

// Reply and forward prefixes as mail clients write them in our four locales (and German, which
// Outlook users often send): Re, Fw, Fwd, AW, WG, Antw, Doorst, Vá, Tov, ΑΠ, ΠΡΘ, also `Re[2]:`.
// Matched after lowercasing and diacritic folding, hence `va` and `απ`.
const REPLY_PREFIX = /^(?:re|fwd?|aw|wg|antw|doorst|va|tov|απ|πρθ)(?:\s*\[\d+\])?\s*:\s*/u;
const TICKET_REFERENCE = /\[#\d+\]/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const COMBINING_MARK = /\p{M}+/gu;

/**
 * Normalises a subject for comparison: NFKC, lowercase, diacritics folded
 * (uppercase Greek drops its accents, so `ΕΠΕΙΓΟΝ` must equal `Επείγον`),
 * ticket references and `Re:` / `Fwd:` / `AW:` / `Antw:` ... prefixes removed,
 * punctuation and whitespace collapsed to single spaces.
 */
export function normalizeSubject(subject: string): string {
  let text = subject
    .normalize('NFKC')
    .toLowerCase() // before folding: lowercasing can itself produce combining marks (İ → i̇)
    .normalize('NFKD')
    .replace(COMBINING_MARK, '')
    .normalize('NFKC')
    .replace(TICKET_REFERENCE, ' ')
    .trim();
  for (;;) {
    const stripped = text.replace(REPLY_PREFIX, '').trimStart();
    if (stripped === text) break;
    text = stripped;
  }
  return text.replace(NON_WORD, ' ').trim();
}

/**
 * The Dice bigram similarity at or above which two subjects count as near
 * duplicates. At 0.85 about one changed character in 12–15 still matches
 * ("printer offline" / "printer ofline"), while two different short subjects
 * ("vpn down" / "vpn slow") stay apart.
 */
export const NEAR_DUPLICATE_THRESHOLD = 0.85;

/**
 * True when two subjects probably describe the same issue: equal after
 * {@link normalizeSubject}, the same words in another order, or a Dice bigram
 * similarity of at least `NEAR_DUPLICATE_THRESHOLD` (0.85). Subjects that carry
 * different numbers ("printer 2 offline" / "printer 3 offline") are never near
 * duplicates: a number usually names a different device, order or invoice.
 * Blank subjects match nothing.
 */
export function isNearDuplicateSubject(a: string, b: string): boolean {
  const left = normalizeSubject(a);
  const right = normalizeSubject(b);
  if (left === '' || right === '') return false;
  if (left === right) return true;
  const leftWords = left.split(' ');
  const rightWords = right.split(' ');
  if (!sameSet(numbersIn(leftWords), numbersIn(rightWords))) return false;
  if (sameSet(new Set(leftWords), new Set(rightWords))) return true;
  return diceCoefficient(left.replaceAll(' ', ''), right.replaceAll(' ', '')) >= NEAR_DUPLICATE_THRESHOLD;
}

/** Sørensen–Dice coefficient over the multisets of character bigrams (0 when either has none). */
export function diceCoefficient(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  let leftCount = 0;
  for (const count of left.values()) leftCount += count;
  let rightCount = 0;
  for (const count of right.values()) rightCount += count;
  if (leftCount === 0 || rightCount === 0) return 0;
  let shared = 0;
  for (const [bigram, count] of left) shared += Math.min(count, right.get(bigram) ?? 0);
  return (2 * shared) / (leftCount + rightCount);
}

function bigrams(text: string): Map<string, number> {
  const chars = Array.from(text); // code points, so astral characters are not split
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = `${chars[i]}${chars[i + 1]}`;
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  return counts;
}

function numbersIn(words: readonly string[]): Set<string> {
  // Leading zeros do not make another number: "ticket 07" and "ticket 7" name the same thing.
  return new Set(words.filter((word) => /^\p{N}+$/u.test(word)).map((word) => word.replace(/^0+(?=.)/u, '')));
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
