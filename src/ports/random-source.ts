/** Cryptographic randomness. Codes, tokens and temporary passwords draw from it. */
export interface RandomSource {
  /** Must fill `bytes` with cryptographically secure random bytes. Default: `crypto.getRandomValues`. */
  fill(bytes: Uint8Array): void;
}

/** Default source: Web Crypto, available in Node 20+, browsers, Deno, Bun and edge runtimes. */
export const webCryptoRandom: RandomSource = {
  fill(bytes) {
    globalThis.crypto.getRandomValues(bytes);
  },
};
