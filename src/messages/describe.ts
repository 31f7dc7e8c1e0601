/**
 * A hostile value as an error message may name it: a string quoted (cut at 40 characters), anything
 * else by its type. Never calls the value's own `toString`, which may be missing
 * (`Object.create(null)`) or throw.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}
