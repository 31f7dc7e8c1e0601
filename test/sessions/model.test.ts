/**
 * A model-based test of the session lifecycle: random sequences of logins, verifies, time passing
 * (past the idle and the absolute limit), revocations, password resets, step-ups and sweeps run
 * against the desk and against a small model of the rules (docs/sessions.md). After every command
 * the model and the desk must agree on which tokens verify, and on what revocations report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { isHelpdeskError } from '../../src/errors.js';
import { currentTotp, makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import { MINUTE, SECOND, type LoginHarness } from './_harness.js';

const IDLE = 10 * MINUTE;
const ABSOLUTE = 60 * MINUTE;
const TOUCH = MINUTE; // the default touchInterval
const CAP = 3;
/** A TOTP step: every login and step-up waits one, so each uses a fresh code. */
const STEP = 30 * SECOND;

interface ModelSession {
  id: string;
  token: string;
  auth: AuthContext;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  ended: boolean;
}

interface Model {
  now: number;
  sessions: ModelSession[];
}

interface Real {
  h: LoginHarness;
  password: string;
  totpSecret: string;
  email: string;
}

const liveAt = (s: ModelSession, now: number) => !s.ended && now < Math.min(s.idleExpiresAt, s.absoluteExpiresAt);
const touch = (s: ModelSession, now: number) => {
  s.lastSeenAt = now;
  s.idleExpiresAt = Math.min(now + IDLE, s.absoluteExpiresAt);
};

/** The code of what `run` threw, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (isHelpdeskError(error)) return error.code;
    throw error;
  }
}

/** After every command: exactly the sessions the model holds live verify (checked without touching them). */
async function agree(m: Model, r: Real): Promise<void> {
  expect(r.h.clock.now()).toBe(m.now);
  const expected = m.sessions.filter((s) => liveAt(s, m.now));
  if (expected.length === 0) {
    // No live session to list with: every token is refused (a refused verify writes nothing).
    for (const s of m.sessions) expect(await outcome(() => r.h.desk.sessions.verify(s.token))).toBe('SESSION_INVALID');
    return;
  }
  const live = (await r.h.desk.sessions.list(expected[0]!.auth)).map((v) => v.sessionId).sort();
  expect(live).toEqual(expected.map((s) => s.id).sort());
}

class Login implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += STEP;
    r.h.clock.advance(STEP);
    const { flowId } = await r.h.desk.login.start();
    await r.h.desk.login.submitIdentifier({ flowId, identifier: 'alice' });
    const factorStep = await r.h.desk.login.submitPassword({ flowId, password: r.password });
    const app = factorStep.factors!.find((f) => f.type === 'totp')!;
    await r.h.desk.login.chooseFactor({ flowId, factorId: app.id });
    const done = await r.h.desk.login.submitCode({ flowId, code: await currentTotp(r.h, r.totpSecret) });
    expect(done.state).toBe('authenticated');
    const auth = done.result!.auth;
    // The cap: the least recently used live sessions end first.
    const live = m.sessions.filter((s) => liveAt(s, m.now));
    if (live.length >= CAP) {
      live.sort((a, b) => a.lastSeenAt - b.lastSeenAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
      for (const s of live.slice(0, live.length - CAP + 1)) s.ended = true;
    }
    m.sessions.push({
      id: auth.sessionId!,
      token: done.session!.token,
      auth,
      createdAt: m.now,
      lastSeenAt: m.now,
      idleExpiresAt: Math.min(m.now + IDLE, m.now + ABSOLUTE),
      absoluteExpiresAt: m.now + ABSOLUTE,
      ended: false,
    });
    await agree(m, r);
  }
  toString = () => 'login';
}

class Verify implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real) {
    const s = m.sessions[this.pick % m.sessions.length]!;
    const expected = liveAt(s, m.now) ? 'ok' : 'SESSION_INVALID';
    expect(await outcome(() => r.h.desk.sessions.verify(s.token))).toBe(expected);
    if (expected === 'ok' && m.now - s.lastSeenAt >= TOUCH) touch(s, m.now);
    await agree(m, r);
  }
  toString = () => `verify(${this.pick})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += this.ms;
    r.h.clock.advance(this.ms);
    await agree(m, r);
  }
  toString = () => `advance(${this.ms / SECOND} s)`;
}

class Revoke implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly target: number,
  ) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real) {
    const caller = m.sessions[this.caller % m.sessions.length]!;
    const target = m.sessions[this.target % m.sessions.length]!;
    const expected = !liveAt(caller, m.now) ? 'SESSION_INVALID' : !liveAt(target, m.now) ? 'SESSION_NOT_FOUND' : 'ok';
    const got = await outcome(() => r.h.desk.sessions.revoke({ auth: caller.auth, sessionId: target.id }));
    expect(got).toBe(expected);
    if (got === 'ok') target.ended = true;
    await agree(m, r);
  }
  toString = () => `revoke(${this.caller} → ${this.target})`;
}

class RevokeOthers implements fc.AsyncCommand<Model, Real> {
  constructor(readonly caller: number) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real) {
    const caller = m.sessions[this.caller % m.sessions.length]!;
    if (!liveAt(caller, m.now)) {
      expect(await outcome(() => r.h.desk.sessions.revokeOthers(caller.auth))).toBe('SESSION_INVALID');
    } else {
      const others = m.sessions.filter((s) => s !== caller && liveAt(s, m.now));
      expect(await r.h.desk.sessions.revokeOthers(caller.auth)).toEqual({ revoked: others.length });
      for (const s of others) s.ended = true;
    }
    await agree(m, r);
  }
  toString = () => `revokeOthers(${this.caller})`;
}

class PasswordReset implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    await r.h.desk.dispatchOutbox();
    const token = /token=([A-Za-z0-9_-]+)/.exec(r.h.mailer.to(r.email).at(-1)?.text ?? '')?.[1];
    r.password = `${r.password.slice(0, 20)} again`.slice(0, 60);
    await r.h.desk.accounts.resetPassword({ token: token!, newPassword: r.password });
    for (const s of m.sessions) if (liveAt(s, m.now)) s.ended = true;
    await agree(m, r);
  }
  toString = () => 'passwordReset';
}

class StepUp implements fc.AsyncCommand<Model, Real> {
  constructor(readonly caller: number) {}
  check = (m: Readonly<Model>) => m.sessions.length > 0;
  async run(m: Model, r: Real) {
    m.now += STEP;
    r.h.clock.advance(STEP);
    const s = m.sessions[this.caller % m.sessions.length]!;
    const started = await outcome(async () => {
      const { flowId } = await r.h.desk.login.startStepUp({ auth: s.auth, method: 'totp' });
      const done = await r.h.desk.login.submitCode({ flowId, code: await currentTotp(r.h, r.totpSecret) });
      expect(done.result?.auth.sessionId).toBe(s.id);
    });
    expect(started).toBe(liveAt(s, m.now) ? 'ok' : 'SESSION_INVALID');
    if (started === 'ok') touch(s, m.now);
    await agree(m, r);
  }
  toString = () => `stepUp(${this.caller})`;
}

class Sweep implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.h.desk.runDueTimers();
    await agree(m, r);
  }
  toString = () => 'sweep';
}

const commands = [
  // Logins weigh three: sessions must pile up past the cap for the interesting cases.
  fc.constant(new Login()),
  fc.constant(new Login()),
  fc.constant(new Login()),
  fc.nat(20).map((i) => new Verify(i)),
  fc.nat(20).map((i) => new Verify(i)),
  fc
    .constantFrom(SECOND, TOUCH - SECOND, TOUCH, IDLE - SECOND, IDLE, 25 * MINUTE, ABSOLUTE)
    .map((ms) => new Advance(ms)),
  fc.tuple(fc.nat(20), fc.nat(20)).map(([a, b]) => new Revoke(a, b)),
  fc.nat(20).map((i) => new RevokeOthers(i)),
  fc.nat(20).map((i) => new StepUp(i)),
  fc.constant(new Sweep()),
];

describe('the session lifecycle against a model', () => {
  it('the model and the desk agree on which tokens verify, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), fc.boolean(), async (cmds, withReset) => {
        const h = makeFactorDesk({
          policy: { sessions: { idle: IDLE, absolute: ABSOLUTE, maxPerSubject: CAP } },
        });
        const alice = await signedInAlice(h);
        const { factor, totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
        await h.desk.factors.confirm({
          auth: alice.auth,
          factorId: factor.id,
          code: await currentTotp(h, totp!.secret),
        });
        // The setup's own session is ended, so the model starts from none.
        await h.desk.sessions.revoke({ auth: alice.auth, sessionId: alice.auth.sessionId! });
        const real: Real = { h, password: alice.password, totpSecret: totp!.secret, email: alice.email };
        const model: Model = { now: h.clock.now(), sessions: [] };
        const all = withReset ? [...cmds, new PasswordReset(), new Login()] : [...cmds];
        await fc.asyncModelRun(() => ({ model, real }), all as Iterable<fc.AsyncCommand<Model, Real>>);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
