/**
 * One login with an SMS code — identifier → password → SMS code → in — through `desk.login` on
 * memory storage, against the same input and events through raw xstate `transition()` on
 * `loginMachine`, in the same run (as lifecycle.ts does for tickets: record one flow, replay it).
 *
 * Set up once through the public API: an organisation whose main administrator creates `bob@acme`
 * with a phone; bob's first login sets his password. Each measured login then runs the four
 * commands; the SMS is delivered through the outbox and read back between `submitPassword` and
 * `submitCode`, outside the timed part. Passwords use a fast PBKDF2 (1,000 rounds) so the row
 * compares the engine with xstate, not the hash; the clock moves 3 h per login to stay under the
 * SMS-per-number limit.
 *
 * The login module is new: if its API moves and this breaks, the group prints a note instead of
 * failing the whole run.
 */
import { isDeepStrictEqual } from 'node:util';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { toJson } from '../../src/_lib/json.js';
import { createHelpdesk, type Helpdesk } from '../../src/helpdesk.js';
import { loginMachine } from '../../src/login/index.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { CapturingMailer, CapturingSms, ManualClock } from '../../src/testing/index.js';
import { recordMachine, replay } from './record.js';
import { latencyOf, measure, type Section } from './stats.js';

const TITLE = 'Login with an SMS code (identifier → password → code), memory storage';
const ADMIN_PHONE = '+36305550101';
const BOB_PHONE = '+36305550102';
const BOB_PASSWORD = 'bob chosen passphrase';
const hasher = createPbkdf2Hasher({ iterations: 1_000 });

interface Harness {
  desk: Helpdesk;
  clock: ManualClock;
  mailer: CapturingMailer;
  sms: CapturingSms;
}

async function lastSmsCode(h: Harness, to: string): Promise<string> {
  await h.desk.dispatchOutbox();
  const sent = h.sms.to(to);
  const code = /\b(\d{6})\b/.exec(sent[sent.length - 1]?.text ?? '')?.[1];
  if (!code) throw new Error(`no code SMS to ${to}`);
  return code;
}

async function lastTemporaryPassword(h: Harness, to: string): Promise<string> {
  await h.desk.dispatchOutbox();
  const sent = h.mailer.to(to);
  const password = /Temporary password: (\S+)/.exec(sent[sent.length - 1]?.text ?? '')?.[1];
  if (!password) throw new Error(`no temporary password mailed to ${to}`);
  return password;
}

/** identifier → password → code → new password; returns the authenticated flow's result. */
async function firstLogin(h: Harness, identifier: string, temporary: string, phone: string, newPassword: string) {
  const { flowId } = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId, identifier });
  await h.desk.login.submitPassword({ flowId, password: temporary });
  await h.desk.login.submitCode({ flowId, code: await lastSmsCode(h, phone) });
  const done = await h.desk.login.changePassword({ flowId, newPassword });
  if (!done.result) throw new Error(`first login of ${identifier} ended ${done.state}`);
  return done.result;
}

async function setUp(storage: Storage = createMemoryStorage()): Promise<Harness> {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const mailer = new CapturingMailer();
  const sms = new CapturingSms();
  const desk = createHelpdesk({
    storage,
    clock,
    mailer,
    sms,
    secrets: { pepper: 'bench-pepper-of-at-least-32-bytes!' },
    passwordHasher: hasher,
  });
  const h = { desk, clock, mailer, sms };
  await desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Kft.',
    admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
  });
  const admin = await firstLogin(
    h,
    'admin@acme',
    await lastTemporaryPassword(h, 'boss@acme.example'),
    ADMIN_PHONE,
    'admin chosen passphrase',
  );
  await desk.accounts.createBusinessUser({
    auth: admin.auth,
    username: 'bob',
    email: 'bob@acme.example',
    phone: BOB_PHONE,
    permissions: ['tickets.read'],
  });
  await firstLogin(h, 'bob@acme', await lastTemporaryPassword(h, 'bob@acme.example'), BOB_PHONE, BOB_PASSWORD);
  return h;
}

/** The four commands of a login, in order: the names of the per-command rows. */
const STEPS = ['start', 'submitIdentifier', 'submitPassword', 'submitCode'] as const;
type StepTimes = Record<(typeof STEPS)[number], number[]>;

/** One login; returns the time spent in the four commands (ms) and the final view. `times` gets each command's. */
async function oneLogin(h: Harness, times?: StepTimes) {
  h.clock.advanceHours(3);
  const spent = [0, 0, 0, 0];
  let start = performance.now();
  const { flowId } = await h.desk.login.start();
  spent[0] = performance.now() - start;
  start = performance.now();
  await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
  spent[1] = performance.now() - start;
  start = performance.now();
  await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD });
  spent[2] = performance.now() - start;
  const code = await lastSmsCode(h, BOB_PHONE); // delivery: not part of the commands
  start = performance.now();
  const view = await h.desk.login.submitCode({ flowId, code });
  spent[3] = performance.now() - start;
  if (view.state !== 'authenticated') throw new Error(`login ended ${view.state}`);
  if (times) STEPS.forEach((step, i) => times[step].push(spent[i]!));
  return { spent: spent[0]! + spent[1]! + spent[2]! + spent[3]!, view };
}

/** What a commit writes: the kinds of its records (`kind ×n` when several), its history and outbox. */
function writtenBy(commit: Commit): string {
  const kinds = new Map<string, number>();
  for (const write of commit.writes) kinds.set(write.kind, (kinds.get(write.kind) ?? 0) + 1);
  const records = [...kinds].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ');
  return `writes ${records || 'nothing'}; ${commit.history.length} history, ${commit.outbox.length} outbox`;
}

/**
 * What each command asks of the store, for one login on a store that counts (a separate desk, not
 * timed): reads, and what its commit writes. It is what the raw replay does not do — the replay
 * steps one machine per event — so it explains the rows above without timing anything.
 */
async function storageWork(): Promise<string> {
  const countedNames = new Set(['load', 'list', 'readBatch', 'commit']);
  let calls: Map<string, number> | null = null;
  let commit: Commit | undefined;
  const store = createMemoryStorage();
  // Every method runs on the store itself; while `calls` is set, the reads and the commit are counted.
  const wrapped = new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (calls && typeof name === 'string' && countedNames.has(name)) {
          calls.set(name, (calls.get(name) ?? 0) + 1);
          if (name === 'commit') commit = args[0] as Commit;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const h = await setUp(wrapped);
  await oneLogin(h); // the first login of the bench state: a code row and rate windows exist afterwards
  h.clock.advanceHours(3);
  const parts: string[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const counted = (calls = new Map<string, number>());
    commit = undefined;
    const result = await run();
    calls = null;
    const reads = [...counted].filter(([op]) => op !== 'commit').map(([op, n]) => `${n} ${op}`);
    const written = commit ? writtenBy(commit) : 'none';
    parts.push(`${name}: ${reads.join(' + ') || 'no reads'}, ${counted.get('commit') ?? 0} commit (${written})`);
    return result;
  };
  const { flowId } = await step('start', () => h.desk.login.start());
  await step('submitIdentifier', () => h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' }));
  await step('submitPassword', () => h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD }));
  const code = await lastSmsCode(h, BOB_PHONE);
  const view = await step('submitCode', () => h.desk.login.submitCode({ flowId, code }));
  if (view.state !== 'authenticated') throw new Error(`the counted login ended ${view.state}`);
  return `What each command asks of the store (one login on a counting store, not timed): ${parts.join('; ')}. The raw replay steps one machine per event and stores nothing.`;
}

export async function benchLogin(options: { time?: number } = {}): Promise<Section> {
  try {
    const h = await setUp();
    const stored = await hasher.hash(BOB_PASSWORD);
    let final = '';
    const tape = await recordMachine(loginMachine, async () => {
      final = (await oneLogin(h)).view.state;
    });
    const replayed = replay(loginMachine, tape);
    if (!isDeepStrictEqual(toJson(replayed.value), final)) {
      throw new Error(`the raw replay ends in ${JSON.stringify(replayed.value)}, the engine in ${final}`);
    }
    const times: StepTimes = { start: [], submitIdentifier: [], submitPassword: [], submitCode: [] };
    const results = await measure(
      {
        engine: {
          fn: async () => {
            const { spent } = await oneLogin(h, times);
            // A host runs the timer sweep (docs/operations.md); without it every expired, unswept
            // session of bob stays listed by the per-subject cap check, and each login reads them all
            // (2.0 → 8.1 ms over 2,000 logins; flat at ~1.3 ms with the sweep). Not timed.
            await h.desk.runDueTimers();
            return { overriddenDuration: spent };
          },
        },
        raw: { fn: () => replay(loginMachine, tape) },
        hash: { fn: () => hasher.verify(BOB_PASSWORD, stored) },
      },
      { time: options.time ?? 1_500 },
    );
    const engine = results.engine!;
    const raw = results.raw!;
    const hashMedian = results.hash!.median;
    // The engine figure includes the password check (a port the host picks); the target row takes
    // the check's median out, as the issue asks ("the password hash shown apart").
    const withoutHash = Math.max(engine.median - hashMedian, Number.EPSILON);
    const ratio = raw.median / withoutHash;
    return {
      title: TITLE,
      rows: [
        {
          benchmark: 'engine login vs raw xstate transition(), password check included',
          subject: engine,
          baseline: raw,
          ratio: raw.median / engine.median,
          note: `${(1000 / engine.median).toFixed(0)} logins/s vs ${(1000 / raw.median).toFixed(0)} replays/s`,
        },
        {
          benchmark: '  of which one password verification (PBKDF2, 1,000 rounds here)',
          subject: results.hash!,
          note: `${((hashMedian / engine.median) * 100).toFixed(0)} % of the engine median; the default 600,000 rounds cost ~600× that`,
        },
        {
          benchmark: 'engine login without the password check (median − its median) vs raw',
          value: `${(withoutHash * 1000).toFixed(1)} µs`,
          ratio,
          target: '≥ 0.60',
          met: ratio >= 0.6,
        },
        ...STEPS.map((step) => ({
          benchmark: `  one command: ${step}${step === 'submitPassword' ? ' (its password check included)' : ''}`,
          subject: latencyOf(times[step]),
          note: 'every sample of the engine rounds',
        })),
      ],
      notes: [
        `Replay checked: ${tape.events.length} recorded events end in "${final}", as the engine's flow does.`,
        await storageWork(),
      ],
    };
  } catch (error) {
    return {
      title: TITLE,
      rows: [],
      notes: [`skipped: the login benchmark failed (${(error as Error).message}); see bench/engine/login.ts.`],
    };
  }
}
