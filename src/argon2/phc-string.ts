// The PHC string format of argon2id (the reference implementation's encoding): standard
// base64 without padding, parameters in a fixed order. Written by hand: no Buffer in src/.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decodeTable = new Map<string, number>([...alphabet].map((char, index) => [char, index]));

/** The argon2 version every hash here is made and checked with (0x13). */
export const argon2Version = 19;

/** Cost parameters of an argon2id hash. */
export interface Argon2idParameters {
  /** Memory in KiB (`m`). */
  memoryKiB: number;
  /** Passes over the memory (`t`). */
  iterations: number;
  /** Lanes (`p`). */
  parallelism: number;
}

/** A parsed `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` string. */
export interface Argon2idPhc extends Argon2idParameters {
  salt: Uint8Array;
  hash: Uint8Array;
}

/**
 * Upper bounds for what a stored string may ask for: a stored hash is data, and an absurd
 * cost must not pin a CPU or exhaust memory at the next login.
 */
export const argon2idLimits = {
  maxMemoryKiB: 1_048_576,
  maxIterations: 64,
  maxParallelism: 16,
  minSaltBytes: 8,
  minHashBytes: 16,
  maxHashBytes: 64,
} as const;

/** Encodes bytes as standard base64 without `=` padding (PHC). */
export function encodePhcBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63]!;
  }
  return out;
}

/** Decodes unpadded standard base64; null for anything that is not the canonical encoding. */
export function decodePhcBase64(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = decodeTable.get(char);
    if (value === undefined) return null;
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  // Stray low bits would let two strings decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Formats an argon2id hash as a PHC string. */
export function formatArgon2idPhc(phc: Argon2idPhc): string {
  const { memoryKiB, iterations, parallelism } = phc;
  const params = `m=${memoryKiB},t=${iterations},p=${parallelism}`;
  return `$argon2id$v=${argon2Version}$${params}$${encodePhcBase64(phc.salt)}$${encodePhcBase64(phc.hash)}`;
}

const phcPattern = /^\$argon2id\$v=19\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})\$([^$]+)\$([^$]+)$/;

/**
 * Parses an argon2id v=19 PHC string; null when it is malformed, of another scheme or version,
 * or asks for more than {@link argon2idLimits}.
 */
export function parseArgon2idPhc(stored: unknown): Argon2idPhc | null {
  if (typeof stored !== 'string') return null;
  const match = phcPattern.exec(stored);
  if (!match) return null;
  const [, m, t, p, saltText, hashText] = match as unknown as [string, string, string, string, string, string];
  const memoryKiB = Number(m);
  const iterations = Number(t);
  const parallelism = Number(p);
  const limits = argon2idLimits;
  if (memoryKiB > limits.maxMemoryKiB || iterations > limits.maxIterations || parallelism > limits.maxParallelism)
    return null;
  // argon2 needs at least 8 KiB per lane.
  if (memoryKiB < 8 * parallelism) return null;
  const salt = decodePhcBase64(saltText);
  const hash = decodePhcBase64(hashText);
  if (!salt || salt.length < limits.minSaltBytes) return null;
  if (!hash || hash.length < limits.minHashBytes || hash.length > limits.maxHashBytes) return null;
  return { memoryKiB, iterations, parallelism, salt, hash };
}
