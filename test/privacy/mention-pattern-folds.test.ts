import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { mentionPattern } from '../../src/adapters/postgres/privacy-mentions.js';
import type { MentionScan } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';

// Every character that has a case partner under `/iu` (or is one): the rest stand only for themselves.
const CASED =
  /[\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}\p{Changes_When_Lowercased}\p{Changes_When_Uppercased}\p{Cased}]/u;

function casedCharacters(): string[] {
  const out: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (CASED.test(c)) out.push(c);
  }
  return out;
}

/** The characters the PostgreSQL pattern for the needle `c` accepts in its place. */
function pgMembers(c: string): Set<string> {
  const pattern = mentionPattern([c])!;
  const bracket = /^\(\?:\[(.*)\]\)$/su.exec(pattern);
  return new Set(bracket ? [...bracket[1]!.replace(/\\(.)/gsu, '$1')] : [c.replace(/^\\/u, '')]);
}

describe('the PostgreSQL mention pattern ignores case at least as widely as /iu', () => {
  it('every character d that /^c$/iu accepts is in the bracket of c (BMP and the astral cased ranges)', () => {
    const cased = casedCharacters();
    // No character outside the list has a partner in it, so checking within the list covers every code point.
    const anyCased = new RegExp(`[${cased.map((c) => c.replace(/[\\\]^-]/u, '\\$&')).join('')}]`, 'iu');
    const outsiders: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (!CASED.test(c) && anyCased.test(c)) outsiders.push(cp.toString(16));
    }
    expect(outsiders).toEqual([]);
    const all = cased.join('\u0000');
    const lacking: string[] = [];
    for (const c of cased) {
      const partners = all.match(new RegExp(c.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'giu')) ?? [];
      const members = pgMembers(c);
      const lack = partners.filter((d) => !members.has(d));
      if (lack.length > 0)
        lacking.push(`U+${c.codePointAt(0)!.toString(16)} lacks ${lack.map((d) => d.codePointAt(0)!.toString(16))}`);
    }
    expect(lacking).toEqual([]);
  });
});

describe('on PostgreSQL (PGlite), the signs NFC would lose', () => {
  const db = new PGlite();
  // Starting PGlite and migrating takes long on a loaded machine: outside the case's timeout.
  beforeAll(() => migrate(db, { schema: 'hd_folds' }), 180_000);
  afterAll(() => db.close());

  it('a record written with the Kelvin, Angstrom or Ohm sign, or U+1FBE, is found by its plain letters', async () => {
    const s = createPostgresStorage(db, { schema: 'hd_folds' }) as Storage & MentionScan;
    const texts = ['\u212Aovacs@example.hu', 'j\u212Bsa@example.se', '\u2126mega-user', 'sofia\u1FBEx'];
    const needles = ['kovacs@example.hu', 'j\u00E5sa@example.se', '\u03C9mega-user', 'sofia\u03B9x'];
    await s.commit({
      writes: texts.map((text, i) => ({
        kind: 'note',
        id: `n${i}`,
        expectedVersion: 0,
        state: { text: `written by ${text}` },
        indexes: {},
        nextDueAt: null,
      })),
      history: [],
      outbox: [],
      idempotency: [],
    });
    const found: string[][] = [];
    for (const needle of needles) found.push((await s.scanMentions(null, 10, [needle])).records.map((r) => r.id));
    expect(found).toEqual([['n0'], ['n1'], ['n2'], ['n3']]);
  }, 60_000);
});
