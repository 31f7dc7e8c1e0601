// Reading posted forms: every field is a string (a missing one is ''), files are ignored.
import type { Context } from 'hono';

/** The posted form of the request as strings. */
export async function formFields(c: Context): Promise<(name: string) => string> {
  const body = await c.req.parseBody();
  return (name) => {
    const value = body[name];
    return typeof value === 'string' ? value : '';
  };
}
