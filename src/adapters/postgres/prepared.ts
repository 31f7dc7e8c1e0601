import type { SqlClient } from './client.js';

/** pg's query config with a statement name, which `pg.Pool` and `pg.Client` accept in place of the text. */
export interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * How many distinct statements one storage object names. The commit's text varies with the
 * number of rows per part, so the set is finite but not tiny; past this, statements go unnamed
 * (planned per call, as without the option), and the server holds a bounded set per connection.
 */
export const MAX_NAMED_STATEMENTS = 256;

/**
 * Names statements for the server to prepare once per connection (issue 16: planning the commit
 * statement took about half of its server time). A name is a hash of the text, schema included,
 * so two storage objects over one pool agree on every name (pg refuses one name for two texts).
 * Returns null for a statement past {@link MAX_NAMED_STATEMENTS}.
 */
export function statementNamer(limit = MAX_NAMED_STATEMENTS): (text: string) => string | null {
  const names = new Map<string, string>();
  return (text) => {
    const known = names.get(text);
    if (known !== undefined) return known;
    if (names.size >= limit) return null;
    const name = `helpdesk_${hash53(text).toString(36)}`;
    names.set(text, name);
    return name;
  };
}

/** Sends one statement, named when `nameOf` gives it a name (the client then gets pg's config form). */
export function send(
  client: SqlClient,
  text: string,
  params: unknown[],
  nameOf: ((text: string) => string | null) | null,
): Promise<{ rows: any[] }> {
  const name = nameOf?.(text) ?? null;
  if (name === null) return client.query(text, params);
  return (client as unknown as { query(query: NamedQuery): Promise<{ rows: any[] }> }).query({
    name,
    text,
    values: params,
  });
}

/** A 53-bit string hash (cyrb53): collisions among a few hundred texts are out of reach. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
