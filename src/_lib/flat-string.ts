/**
 * Returns `text`, flattened in place where the engine keeps strings built by concatenation as
 * trees (V8 "cons strings"): `evt_${crypto.randomUUID()}` is 15 tree nodes (~500 bytes) on Node 20
 * until something reads a character; after that the next garbage collection keeps only the flat
 * text (~60 bytes). For strings a store keeps for a long time (ids, keys); elsewhere a no-op.
 */
export function flatString(text: string): string {
  // Reading one character is what makes V8 flatten the tree; the value itself is not needed.
  void text.charCodeAt(0);
  return text;
}
