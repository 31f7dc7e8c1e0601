import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from '../../src/security/hmac-sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const ascii = (text: string) => new TextEncoder().encode(text);

async function webCryptoMac(key: Uint8Array, message: Uint8Array): Promise<string> {
  const imported = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return hex(new Uint8Array(await crypto.subtle.sign('HMAC', imported, new Uint8Array(message))));
}

describe('HMAC-SHA-256 in JavaScript', () => {
  // RFC 4231 section 4 (test case 5, a truncated tag, has no bearing on a full-length MAC).
  const rfc4231: Array<[name: string, key: Uint8Array, data: Uint8Array, tag: string]> = [
    [
      'case 1',
      fromHex('0b'.repeat(20)),
      ascii('Hi There'),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    ],
    [
      'case 2: a key shorter than the output',
      ascii('Jefe'),
      ascii('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      'case 3',
      fromHex('aa'.repeat(20)),
      fromHex('dd'.repeat(50)),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    ],
    [
      'case 4',
      fromHex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
      fromHex('cd'.repeat(50)),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    [
      'case 6: a key longer than the block is hashed first',
      fromHex('aa'.repeat(131)),
      ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      'case 7: a long key and a long message',
      fromHex('aa'.repeat(131)),
      ascii(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ];
  for (const [name, key, data, tag] of rfc4231) {
    it(`gives RFC 4231's tag, ${name}`, () => {
      expect(hex(hmacSha256(key)(data))).toBe(tag);
    });
  }

  it('gives the FIPS 180-4 digests of "", "abc" and the two-block message', () => {
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with WebCrypto on random keys and messages, across every padding boundary', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // Lengths around 55/56/64 bytes: where the length field moves into a second block.
          fc.integer({ min: 50, max: 130 }).map((n) => new Uint8Array(n).fill(n)),
        ),
        async (key, message) => {
          expect(hex(hmacSha256(key)(message))).toBe(await webCryptoMac(key, message));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('hashes like node:crypto for every length up to three blocks', () => {
    for (let n = 0; n <= 200; n++) {
      const message = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(hex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });

  it('a keyed MAC gives the same tag on every call: no state leaks between messages', () => {
    const mac = hmacSha256(ascii('pepper'));
    const first = hex(mac(ascii('login\u00001234567')));
    mac(new Uint8Array(1000).fill(7));
    expect(hex(mac(ascii('login\u00001234567')))).toBe(first);
  });
});
