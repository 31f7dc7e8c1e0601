import { isHelpdeskError } from '../errors.js';
import {
  caseAdder,
  check,
  commitOf,
  ConformanceFailure,
  message,
  random,
  same,
  T0,
  uid,
  write,
  type ConformanceCase,
  type ConformanceTarget,
} from './_conformance-kit.js';

/**
 * Text a store must keep exactly, as ids, kinds, index values, keys and JSON: astral characters,
 * combining marks (`Å` and `A` + U+030A are two different ids: a store must not normalise), many
 * scripts, invisible and bidi characters, noncharacters, LIKE/glob wildcards, and every control
 * character except U+0000.
 */
export const STORABLE_TEXT_SAMPLES: readonly string[] = [
  'ascii-plain',
  'Ünïcödé äöüß ñ ø',
  '\u00C5',
  'A\u030A',
  'e\u0301\u0327',
  '🎫',
  '👩🏽‍💻',
  '𝄞\u{10FFFF}',
  'Ελληνικά',
  'Кириллица',
  'עברית',
  'العربية',
  'हिन्दी',
  '漢字かなカナ',
  '한국어',
  '\u200B\u200C\u200D\u2060',
  '\u202Eevil\u202C',
  '\u00A0\u2009\u3000',
  // Not leading: PGlite's result decoder drops a leading U+FEFF (the stored text keeps it).
  'zero\uFEFFwidth-no-break',
  '\uFFFD',
  '\uFFFE\uFFFF',
  '\uE000private',
  '\u2028\u2029',
  'quote"apos\'back\\slash',
  '%_like*?[glob]',
  '$1 ${x} {{y}}',
  '<b>&amp;</b>',
  'tab\tnew\nline\rcr',
  '\u0001\u001F\u007F\u0080\u009F',
  ' padded ',
];

/**
 * Text no adapter can be trusted to keep: U+0000 (PostgreSQL refuses it) and lone UTF-16
 * surrogates (a UTF-8 encoder replaces them with U+FFFD, so `'p\uD800'` would read back as, and
 * collide with, `'p\uFFFD'`).
 */
export const UNSTORABLE_TEXT_SAMPLES: readonly string[] = [
  'nul\u0000inside',
  'high\uD800',
  'low\uDC00',
  '\uDBFF\uDBFF',
];

/** What a UTF-8 driver silently makes of `text`: the key it would collide with. */
function replaced(text: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(text));
}

type Outcome<T> = { refused: true } | { refused: false; value: T };

/**
 * Runs one storage call with unstorable text: a HelpdeskError (with `code`, when given) is a clean
 * refusal; any other error (a raw driver error such as PostgreSQL's 22021 or 22P05) breaks the contract.
 */
async function attempt<T>(what: string, call: () => Promise<T>, code?: string): Promise<Outcome<T>> {
  try {
    return { refused: false, value: await call() };
  } catch (error) {
    if (isHelpdeskError(error, code)) return { refused: true };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const refusal = code === undefined ? 'a HelpdeskError' : `a HelpdeskError ${code}`;
    throw new ConformanceFailure(`${what} must be refused with ${refusal} or kept exactly, but threw ${detail}`);
  }
}

const show = (text: string) => JSON.stringify(text);

/**
 * Cases every adapter passes: {@link STORABLE_TEXT_SAMPLES} round-trip exactly in every place a
 * string goes. Part of `storageConformanceCases`.
 */
export function storableTextCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);
  const samples = STORABLE_TEXT_SAMPLES;

  add('text round-trips exactly as ids, kinds, index values, state and history', async (s) => {
    const kind = `${uid('k')}-🎫-Å`;
    // One commit per record (inline parameters), then one commit of them all (a large commit
    // may travel differently, e.g. as one JSON document).
    for (const [i, text] of samples.entries()) {
      await s.commit(
        commitOf({
          writes: [write(kind, text, 0, { text, [text]: i }, { indexes: { tag: text } })],
          history: [{ kind, id: text, at: T0, type: text, actor: { id: text }, data: { text } }],
        }),
      );
    }
    same(
      await s.commit(
        commitOf({ writes: samples.map((text) => write(kind, text, 1, { again: text }, { indexes: { tag: text } })) }),
      ),
      { versions: samples.map(() => 2) },
      'one commit of every record',
    );
    for (const text of samples) {
      const record = await s.load(kind, text);
      check(record !== null, `record ${show(text)} missing`);
      check(record.id === text && record.kind === kind, `record ${show(text)} came back as ${show(record.id)}`);
      same(record.state, { again: text }, `state of ${show(text)}`);
      same(record.indexes, { tag: text }, `indexes of ${show(text)}`);
      const listed = await s.list(kind, { where: { tag: text }, limit: 10 });
      same(
        listed.map((r) => r.id),
        [text],
        `list by index value ${show(text)}`,
      );
      const history = await s.history(kind, text);
      same(
        history.map((h) => [h.type, h.actor, h.data]),
        [[text, { id: text }, { text }]],
        `history of ${show(text)}`,
      );
    }
    const other = `${uid('k')}-${samples[5]}`;
    await s.commit(commitOf({ writes: [write(other, samples[2]!, 0, { text: samples[3]! })] }));
    same((await s.load(other, samples[2]!))?.state, { text: samples[3] }, 'a kind with an emoji');
  });

  add('paging by id visits every record once, whatever the text of the ids', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: samples.map((text) => write(kind, text, 0, {})) }));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page <= samples.length; page++) {
      const rows = await s.list(kind, { where: {}, after, limit: 3 });
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.id));
      after = rows[rows.length - 1]!.id;
    }
    same([...seen].sort(), [...samples].sort(), 'every id exactly once');
  });

  add('text round-trips exactly as idempotency keys, sequence names and outbox messages', async (s) => {
    const scope = `${uid('scope')}-ü`;
    await s.commit(commitOf({ idempotency: samples.map((key, value) => ({ scope, key, value: { key, value } })) }));
    for (const [value, key] of samples.entries()) {
      same(await s.getIdempotency(scope, key), { key, value }, `idempotency key ${show(key)}`);
    }
    const prefix = uid('seq');
    for (const text of samples) same(await s.nextSequence(`${prefix}${text}`), 1, `sequence ${show(text)}`);
    same(await s.nextSequence(`${prefix}${samples[2]}`), 2, 'a sequence continues');

    const base = T0 + Math.floor(random() * 1e9);
    const ids = samples.map((text) => `${uid('m')}${text}`);
    await s.commit(
      commitOf({
        outbox: samples.map((text, i) =>
          message(ids[i]!, {
            availableAt: base,
            idempotencyKey: `k${text}`,
            payload: { to: 'a@example.test', subject: text, text },
          }),
        ),
      }),
    );
    const claimed = (await s.claimOutbox(['email'], base, base + 100, 1000)).filter((m) => ids.includes(m.id));
    same(
      claimed.map((m) => [m.id, m.idempotencyKey, m.payload]).sort(),
      samples.map((text, i) => [ids[i], `k${text}`, { to: 'a@example.test', subject: text, text }]).sort(),
      'outbox messages',
    );
    check(await s.markFailed(ids[0]!, base + 500, samples.join('|')), 'markFailed');
    const failed = (await s.listOutbox({ status: 'pending' })).find((m) => m.id === ids[0]);
    same(failed?.lastError, samples.join('|'), 'a delivery error with any text');
  });

  add('U+0000 or a lone surrogate in state, history or outbox JSON is refused with a HelpdeskError', async (s) => {
    const kind = uid('k');
    for (const bad of UNSTORABLE_TEXT_SAMPLES) {
      const base = T0 + Math.floor(random() * 1e9);
      const commits = [
        commitOf({ writes: [write(kind, 'a', 0, { text: bad })] }),
        commitOf({ writes: [write(kind, 'a', 0, { [bad]: 1 })] }),
        commitOf({ history: [{ kind, id: 'a', at: T0, type: 'x', actor: null, data: [bad] }] }),
        commitOf({ outbox: [message(uid('m'), { availableAt: base, payload: { subject: bad } })] }),
        commitOf({ idempotency: [{ scope: kind, key: 'k', value: { bad } }] }),
      ];
      for (const commit of commits) {
        let error: unknown;
        try {
          await s.commit(commit);
        } catch (caught) {
          error = caught;
        }
        check(
          isHelpdeskError(error),
          `a commit with ${show(bad)} in JSON must throw a HelpdeskError, got ${String(error)}`,
        );
      }
      check((await s.load(kind, 'a')) === null, 'no record written');
      same(await s.history(kind, 'a'), [], 'no history written');
      check((await s.getIdempotency(kind, 'k')) === null, 'no idempotency key written');
    }
  });

  return cases;
}

/**
 * Stricter cases, not yet part of `storageConformanceCases` (see the report of issue 13): U+0000
 * and lone surrogates given to the storage port as ids, kinds, index values, cursors, keys,
 * sequence names and delivery errors are refused with a HelpdeskError or kept exactly — never a
 * raw driver error, never silently replaced (which would make two keys collide).
 */
export function unstorableTextCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('record ids and kinds with U+0000 or a lone surrogate are refused or kept exactly', async (s) => {
    for (const bad of UNSTORABLE_TEXT_SAMPLES) {
      const kind = uid('k');
      // The record a replacing driver would confuse the bad id with.
      const twin = replaced(bad);
      if (twin !== bad) await s.commit(commitOf({ writes: [write(kind, twin, 0, { twin: true })] }));
      const loaded = await attempt(`load(${show(bad)})`, () => s.load(kind, bad));
      check(loaded.refused || loaded.value === null, `load(${show(bad)}) returned the record ${show(twin)}`);
      const history = await attempt(`history(${show(bad)})`, () => s.history(kind, bad));
      check(history.refused || history.value.length === 0, `history(${show(bad)}) returned another record's`);
      const created = await attempt(`a create of ${show(bad)}`, () =>
        s.commit(commitOf({ writes: [write(kind, bad, 0, { bad: true })] })),
      );
      if (!created.refused) {
        same(created.value, { versions: [1] }, `a create of ${show(bad)} (not a guard miss on ${show(twin)})`);
        const back = await s.load(kind, bad);
        check(back?.id === bad, `${show(bad)} read back as ${String(back?.id)}`);
        same(back.state, { bad: true }, `state of ${show(bad)}`);
      }
      if (twin !== bad) same((await s.load(kind, twin))?.state, { twin: true }, `record ${show(twin)} unchanged`);
      const badKind = await attempt(`a create in kind ${show(bad)}`, () =>
        s.commit(commitOf({ writes: [write(`${kind}${bad}`, 'a', 0, { n: 1 })] })),
      );
      if (!badKind.refused) same((await s.load(`${kind}${bad}`, 'a'))?.state, { n: 1 }, `kind ${show(bad)}`);
    }
  });

  add('index values and list filters with U+0000 or a lone surrogate are refused or kept exactly', async (s) => {
    for (const bad of UNSTORABLE_TEXT_SAMPLES) {
      const kind = uid('k');
      const twin = replaced(bad);
      if (twin !== bad) await s.commit(commitOf({ writes: [write(kind, 'twin', 0, {}, { indexes: { tag: twin } })] }));
      const filtered = await attempt(`list where ${show(bad)}`, () => s.list(kind, { where: { tag: bad }, limit: 10 }));
      check(
        filtered.refused || filtered.value.length === 0,
        `list where ${show(bad)} found the record of ${show(twin)}`,
      );
      const paged = await attempt(`list after ${show(bad)}`, () => s.list(kind, { where: {}, after: bad, limit: 10 }));
      check(paged.refused || paged.value.length <= 1, `list after ${show(bad)}`);
      const indexed = await attempt(`an index value ${show(bad)}`, () =>
        s.commit(commitOf({ writes: [write(kind, 'bad', 0, {}, { indexes: { tag: bad } })] })),
      );
      if (!indexed.refused) {
        same((await s.load(kind, 'bad'))?.indexes, { tag: bad }, `index value ${show(bad)}`);
        if (twin !== bad) {
          same(
            (await s.list(kind, { where: { tag: twin }, limit: 10 })).map((r) => r.id),
            ['twin'],
            `index value ${show(twin)} only on its own record`,
          );
        }
      }
    }
  });

  add('idempotency keys and sequence names with U+0000 or a lone surrogate are refused or kept exactly', async (s) => {
    for (const bad of UNSTORABLE_TEXT_SAMPLES) {
      const scope = uid('scope');
      const twin = replaced(bad);
      if (twin !== bad) await s.commit(commitOf({ idempotency: [{ scope, key: twin, value: 'twin' }] }));
      const read = await attempt(`getIdempotency(${show(bad)})`, () => s.getIdempotency(scope, bad));
      check(read.refused || read.value === null, `getIdempotency(${show(bad)}) returned the value of ${show(twin)}`);
      const stored = await attempt(`an idempotency key ${show(bad)}`, () =>
        s.commit(commitOf({ idempotency: [{ scope, key: bad, value: 'bad' }] })),
      );
      if (!stored.refused) {
        check(stored.value !== null, `key ${show(bad)} collided with ${show(twin)}`);
        same(await s.getIdempotency(scope, bad), 'bad', `idempotency key ${show(bad)}`);
      }
      const name = uid('seq');
      if (twin !== bad) await s.nextSequence(`${name}${twin}`);
      const next = await attempt(`nextSequence(${show(bad)})`, () => s.nextSequence(`${name}${bad}`));
      check(next.refused || next.value === 1, `sequence ${show(bad)} continued the sequence ${show(twin)}`);
    }
  });

  add('an idempotency scope and key stay apart: U+0000 in one is refused, or joins no other pair', async (s) => {
    // ('submit\0tenantA', 'k') and ('submit', 'tenantA\0k') are two pairs, even to a store that
    // keys its entries by scope and key joined with U+0000. PostgreSQL refuses U+0000 (INVALID_INPUT).
    const scope = uid('submit');
    const [scope1, key1] = [`${scope}\u0000tenantA`, 'k'];
    const [scope2, key2] = [scope, 'tenantA\u0000k'];
    const pair = (inScope: string, key: string) => `(${show(inScope)}, ${show(key)})`;
    const first = await attempt(
      `an idempotency key ${pair(scope1, key1)}`,
      () => s.commit(commitOf({ idempotency: [{ scope: scope1, key: key1, value: 'first' }] })),
      'INVALID_INPUT',
    );
    if (!first.refused) check(first.value !== null, `an idempotency key ${pair(scope1, key1)} was refused as taken`);
    const read = await attempt(
      `getIdempotency${pair(scope2, key2)}`,
      () => s.getIdempotency(scope2, key2),
      'INVALID_INPUT',
    );
    check(
      read.refused || read.value === null,
      `getIdempotency${pair(scope2, key2)} returned the value stored for ${pair(scope1, key1)}`,
    );
    const second = await attempt(
      `an idempotency key ${pair(scope2, key2)}`,
      () => s.commit(commitOf({ idempotency: [{ scope: scope2, key: key2, value: 'second' }] })),
      'INVALID_INPUT',
    );
    if (!second.refused) {
      check(
        second.value !== null,
        `an idempotency key ${pair(scope2, key2)} was refused as taken by ${pair(scope1, key1)}`,
      );
      same(await s.getIdempotency(scope2, key2), 'second', `the value of ${pair(scope2, key2)}`);
    }
    if (!first.refused) same(await s.getIdempotency(scope1, key1), 'first', `the value of ${pair(scope1, key1)}`);
  });

  add('outbox ids, keys and delivery errors with U+0000 or a lone surrogate are refused or kept exactly', async (s) => {
    for (const bad of UNSTORABLE_TEXT_SAMPLES) {
      const base = T0 + Math.floor(random() * 1e9);
      const id = uid('m');
      const queued = await attempt(`an outbox message ${show(bad)}`, () =>
        s.commit(commitOf({ outbox: [message(`${id}${bad}`, { availableAt: base, idempotencyKey: bad })] })),
      );
      if (!queued.refused) {
        const claimed = (await s.claimOutbox(['email'], base, base + 100, 1000)).filter((m) => m.id.startsWith(id));
        same(
          claimed.map((m) => [m.id, m.idempotencyKey]),
          [[`${id}${bad}`, bad]],
          `outbox message ${show(bad)}`,
        );
      }
      const good = uid('m');
      await s.commit(commitOf({ outbox: [message(good, { availableAt: base + 1 })] }));
      await s.claimOutbox(['email'], base + 1, base + 100, 1000);
      const failed = await attempt(`markFailed with ${show(bad)}`, () => s.markFailed(good, base + 10, bad));
      if (!failed.refused) {
        const listed = (await s.listOutbox({ status: 'pending' })).find((m) => m.id === good);
        same(listed?.lastError, bad, `delivery error ${show(bad)}`);
      }
    }
  });

  return cases;
}

/** Every text case: {@link storableTextCases} and {@link unstorableTextCases}. */
export function storageTextCases(target: ConformanceTarget): ConformanceCase[] {
  return [...storableTextCases(target), ...unstorableTextCases(target)];
}
