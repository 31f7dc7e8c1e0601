/**
 * The real-server tests run only against a PostgreSQL on this machine (they terminate backends and
 * drop schemas): `DATABASE_URL` as given, its host, and whether that host is a loopback address.
 */
export const url = process.env.DATABASE_URL;
export const host = url ? safeHost(url) : undefined;
export const local = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

function safeHost(address: string): string | undefined {
  try {
    return new URL(address).hostname;
  } catch {
    return undefined;
  }
}
