import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { EventInput } from '../../src/ports/event-store.js';
import type { Storage } from '../../src/ports/storage.js';

// A real server (`source .ci/postgres.sh`): concurrent commits on a pool, a reader polling meanwhile.
const url = process.env.DATABASE_URL;
const local = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

describe.runIf(local)('the event cursor on PostgreSQL under concurrent commits', () => {
  let pool: import('pg').Pool;
  const schema = `events_load_${Date.now().toString(36)}`;
  beforeAll(async () => {
    const pg = (await import('pg')).default;
    pool = new pg.Pool({ connectionString: url, max: 12 });
    await migrate(pool, { schema });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('a reader that polls while 8 writers commit never skips or repeats an event, and each commit stays contiguous', async () => {
    const storage: Storage = createPostgresStorage(pool, { schema });
    const WRITERS = 8;
    const COMMITS = 40;
    const committed: string[] = [];
    const batches = new Map<string, string[]>();
    let writing = true;

    async function writer(w: number): Promise<void> {
      let version = 0;
      for (let c = 0; c < COMMITS; c++) {
        const size = 1 + ((w + c) % 3);
        const events: EventInput[] = Array.from({ length: size }, (_, i) => ({
          id: `w${w}-c${c}-e${i}`,
          type: 'load.test',
          version: 1,
          at: 1_800_000_000_000,
          subject: { kind: 'load', id: `w${w}` },
          data: { c, i },
        }));
        // Each commit also rewrites the writer's record (so records are locked before the counter row).
        const result = await storage.commit({
          writes: [{ kind: 'load', id: `w${w}`, expectedVersion: version, state: { c }, nextDueAt: null }],
          history: [],
          outbox: [],
          idempotency: [],
          events,
        });
        expect(result).not.toBeNull();
        version++;
        committed.push(...events.map((e) => e.id));
        batches.set(
          `w${w}-c${c}`,
          events.map((e) => e.id),
        );
      }
    }

    const seen: string[] = [];
    const seqOf = new Map<string, number>();
    async function reader(): Promise<void> {
      let cursor = 0;
      for (;;) {
        const done = !writing;
        const page = await storage.readEvents({ after: cursor, limit: 50 });
        for (const e of page) {
          seen.push(e.id);
          seqOf.set(e.id, e.seq);
        }
        if (page.length > 0) cursor = page[page.length - 1]!.seq;
        else if (done) return;
      }
    }

    const reading = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await reading;

    expect(seen.length).toBe(committed.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...committed].sort());
    for (const ids of batches.values()) {
      const seqs = ids.map((id) => seqOf.get(id)!);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    }
    console.log(
      `[events] ${WRITERS} writers × ${COMMITS} commits: ${committed.length} events, read ${seen.length}, 0 skipped, 0 repeated`,
    );
  }, 60_000);
});
