const encoder = new TextEncoder();

/**
 * The stable pseudonym of an erased subject: `erased-user-` and the first 8 hex digits of
 * HMAC-SHA-256(pepper, subject key). The same subject always gets the same pseudonym, so
 * repeated or resumed erasures agree; without the pepper it cannot be traced back.
 */
export async function pseudonymOf(pepper: string, subjectKey: string): Promise<string> {
  return `erased-user-${(await hmacHex(pepper, `subject:${subjectKey}`)).slice(0, 8)}`;
}

/** HMAC-SHA-256 in hex: the hashed tombstone of an erased identifier. */
export async function hmacHex(pepper: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(pepper.length > 0 ? pepper : 'helpdesk-core-privacy'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** True for a pseudonym {@link pseudonymOf} gives (`erased-user-` and 8 hex digits). */
export const isPseudonym = (value: string): boolean => /^erased-user-[0-9a-f]{8}$/.test(value.trim());
