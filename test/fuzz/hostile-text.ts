/**
 * Arbitraries of hostile text (issues 13 and 15): U+0000, lone surrogates, line breaks that could
 * start a new mail header, C0/C1 controls, terminal escapes, bidi overrides, invisible characters,
 * emoji and combining marks, mixed with ordinary text. For fuzzing any input that takes strings.
 */
import fc from 'fast-check';

/** Fragments that broke something somewhere, or could. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  '\u0000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uDFFF\uD800',
  '\r\n',
  '\r',
  '\n',
  '\r\nBcc: everyone@victim.example',
  '\u0085',
  '\u2028',
  '\u2029',
  '\t',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u009B',
  '\u202E',
  '\uFEFF',
  '\u200D',
  '🎫',
  'e\u0301',
  '%_',
  '\\',
  '"',
];

/** One hostile fragment. */
export const hostileFragment: fc.Arbitrary<string> = fc.constantFrom(...HOSTILE_FRAGMENTS);

/** Hostile fragments mixed with arbitrary UTF-16 text (which has lone surrogates of its own). */
export const hostileString: fc.Arbitrary<string> = fc
  .array(fc.oneof(hostileFragment, fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => parts.join(''));

/** Where a string sits in an argument: `[]` for the argument itself. */
export type Path = Array<string | number>;

/** The paths of every string in `value` (not keys: unknown keys are refused anyway). */
export function stringPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    stringPaths(item, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
}

/** A copy of `value` with the string at `path` passed through `change`. */
export function changeAt(value: unknown, path: Path, change: (text: string) => string): unknown {
  if (path.length === 0) return change(value as string);
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  parent[last] = change(parent[last] as string);
  return copy;
}

/**
 * Near-valid arguments: `template` with one of its strings replaced by hostile text, or with
 * hostile text put before, inside or after it (so trimming alone cannot save the input).
 * `template` must hold at least one string.
 */
export function withHostileText(template: unknown): fc.Arbitrary<unknown> {
  const paths = stringPaths(template);
  if (paths.length === 0) throw new Error('withHostileText: the template holds no string');
  return fc
    .tuple(fc.constantFrom(...paths), hostileString, fc.constantFrom('replace', 'before', 'inside', 'after'), fc.nat())
    .map(([path, hostile, where, at]) =>
      changeAt(template, path, (text) => {
        if (where === 'replace') return hostile;
        if (where === 'before') return hostile + text;
        if (where === 'after') return text + hostile;
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + hostile + text.slice(i);
      }),
    );
}
