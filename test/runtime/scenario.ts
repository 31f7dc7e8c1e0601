/**
 * What every runtime must run the same way: Node ESM and CJS consumers of the packed package,
 * headless Chromium and the edge runtime (and vitest on the sources, as the reference) — the
 * ticket lifecycle and a login with an SMS code. It receives the library instead of importing
 * it, so each runtime can hand over the modules it loaded its own way; it uses Web APIs only
 * (no `node:`, no `process`).
 */
import type * as Accounts from '../../src/accounts/index.js';
import type * as Core from '../../src/index.js';
import type * as Login from '../../src/login/index.js';
import type * as Memory from '../../src/memory.js';
import type * as Testing from '../../src/testing-entry.js';
import type * as Tickets from '../../src/tickets/index.js';

export interface RuntimeLibrary {
  core: Pick<typeof Core, 'createHelpdesk' | 'HelpdeskError' | 'isHelpdeskError'>;
  tickets: Pick<typeof Tickets, 'parseTicketReference' | 'suggestPriority'>;
  accounts: Pick<typeof Accounts, 'normalizeHungarianMobile' | 'can'>;
  login: Pick<typeof Login, 'LOGIN_FLOW_STATES'>;
  memory: Pick<typeof Memory, 'createMemoryStorage'>;
  testing: Pick<typeof Testing, 'ManualClock' | 'CapturingMailer' | 'CapturingSms'>;
}

/** Everything the scenario saw; equal across runtimes. */
export interface RuntimeReport {
  lifecycle: LifecycleReport;
  login: LoginReport;
}

/** The ticket lifecycle, then the login with an SMS code, each on its own desk. */
export async function runRuntimeScenario(lib: RuntimeLibrary): Promise<RuntimeReport> {
  return { lifecycle: await runTicketLifecycle(lib), login: await runLoginWithSmsCode(lib) };
}

/** What the scenario saw; equal across runtimes. */
export interface LifecycleReport {
  statuses: string[];
  ticketNumber: number;
  historyTypes: string[];
  autoSolved: { status: string; solvedReason: string | null };
  mails: Array<{ template: string; to: string; number: number | null }>;
  outboxAfterDispatch: Record<string, number>;
  badInput: { isHelpdeskError: boolean; code: string; instanceOfHelpdeskError: boolean };
  notFound: string;
  suggestedPriority: string;
  /** Ids come from the runtime's `crypto.getRandomValues`: all distinct. */
  distinctIds: boolean;
}

export async function runTicketLifecycle(lib: RuntimeLibrary): Promise<LifecycleReport> {
  const { createHelpdesk, HelpdeskError, isHelpdeskError } = lib.core;
  const clock = new lib.testing.ManualClock('2026-03-02T09:00:00Z');
  const mailer = new lib.testing.CapturingMailer();
  const desk = createHelpdesk({ storage: lib.memory.createMemoryStorage(), clock, mailer });
  const agent = { role: 'agent', id: 'anna' } as const;
  const requester = { id: 'cust-1', email: 'bob@example.test' };
  const content = { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };

  const statuses: string[] = [];
  const { ticket } = await desk.tickets.submit({ requester, content });
  statuses.push(ticket.status);
  clock.advanceMinutes(5);
  statuses.push(
    (await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true })).status,
  );
  clock.advanceMinutes(5);
  statuses.push(
    (await desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: requester.id }, body: 'Van 7.' }))
      .status,
  );
  clock.advanceMinutes(5);
  statuses.push((await desk.tickets.solve({ ticketId: ticket.id, actor: agent })).status);
  const historyTypes = (await desk.tickets.history(ticket.id)).map((entry) => entry.type);

  // A second ticket left pending: the sweep solves it once the 72 h have run out.
  const second = await desk.tickets.submit({ requester, content: { ...content, subject: 'Invoice question' } });
  await desk.tickets.reply({ ticketId: second.ticket.id, author: agent, body: 'Which invoice?', askForInfo: true });
  clock.advanceHours(24 * 30);
  await desk.runDueTimers();
  const solved = await desk.tickets.get(second.ticket.id);

  await desk.dispatchOutbox();
  const outboxAfterDispatch: Record<string, number> = {};
  for (const message of await desk.outbox()) {
    outboxAfterDispatch[message.status] = (outboxAfterDispatch[message.status] ?? 0) + 1;
  }
  const mails = mailer.sent.map(({ message }) => ({
    template: message.template,
    to: message.to,
    number: lib.tickets.parseTicketReference(message.subject),
  }));

  const badInput = await desk.tickets.submit({ requester: { id: '', email: 'not an email' }, content } as never).then(
    () => ({ isHelpdeskError: false, code: 'NO_ERROR', instanceOfHelpdeskError: false }),
    (error: unknown) => ({
      isHelpdeskError: isHelpdeskError(error),
      code: (error as { code?: string }).code ?? String(error),
      instanceOfHelpdeskError: error instanceof HelpdeskError,
    }),
  );
  const notFound = await desk.tickets.get('tkt_missing').then(
    () => 'NO_ERROR',
    (error: unknown) => (isHelpdeskError(error) ? error.code : String(error)),
  );

  return {
    statuses,
    ticketNumber: ticket.number,
    historyTypes,
    autoSolved: { status: solved.status, solvedReason: solved.solvedReason },
    mails,
    outboxAfterDispatch,
    badInput,
    notFound,
    suggestedPriority: lib.tickets.suggestPriority({
      scope: 'all_workstations',
      blocksWork: true,
      centralSystem: true,
      coreResourcesUnreachable: true,
      causeKnown: false,
    }),
    distinctIds: ticket.id !== second.ticket.id && ticket.id.length > 8,
  };
}

/** What the login scenario saw; equal across runtimes. */
export interface LoginReport {
  organization: { mainAdminLogin: string; smsCodeForLogin: boolean; adminPhone: string | null };
  /** Temporary password from the mail, the SMS code, a new password. */
  firstLogin: { states: string[]; maskedPhone: string | null; amr: string[] | null };
  /** Password, a wrong code, then the right one. */
  secondLogin: {
    states: string[];
    resendAvailableInMs: number | null;
    wrongCode: { state: string; error: string | null; attemptsLeft: number | null };
    amr: string[] | null;
    principal: { type: string; login: string | null; isMainAdmin: boolean | null };
    canManageUsers: boolean;
    /** `get` after the login shows the state and never the result. */
    getAfterwards: { state: string; hasResult: boolean };
  };
  /** Every state seen is one the login entry lists. */
  statesKnown: boolean;
  badIdentifier: { isHelpdeskError: boolean; code: string; instanceOfHelpdeskError: boolean };
  sms: Array<{ template: string; to: string }>;
  mails: Array<{ template: string; to: string }>;
}

/**
 * A password hasher for the scenario: PBKDF2-SHA-256 through Web Crypto at 1,000 iterations
 * (the default hasher's 600,000 would make each runtime spend seconds on two hashes). The
 * library's own `createPbkdf2Hasher` is not exported (nor the `PasswordHasher` type, hence
 * `HelpdeskOptions['passwordHasher']`), so the scenario brings its own, as a host would.
 */
function scenarioHasher(): NonNullable<Core.HelpdeskOptions['passwordHasher']> {
  const iterations = 1000;
  const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const unhex = (text: string) => new Uint8Array((text.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  const derive = async (password: string, salt: Uint8Array<ArrayBuffer>) => {
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(password.normalize('NFKC')),
      'PBKDF2',
      false,
      ['deriveBits'],
    );
    return new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256),
    );
  };
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      return `scenario-pbkdf2$${hex(salt)}$${hex(await derive(password, salt))}`;
    },
    async verify(password, stored) {
      const [scheme, salt, hash] = stored.split('$');
      if (scheme !== 'scenario-pbkdf2' || !salt || !hash) return false;
      const candidate = hex(await derive(password, unhex(salt)));
      if (candidate.length !== hash.length) return false;
      let difference = 0;
      for (let i = 0; i < candidate.length; i++) difference |= candidate.charCodeAt(i) ^ hash.charCodeAt(i);
      return difference === 0;
    },
  };
}

/**
 * An organisation is created; its main administrator reads the temporary password from the
 * mail, logs in with it and the SMS code and sets a password; then logs in again with the
 * password and the SMS code (after one wrong code), on the memory storage.
 */
export async function runLoginWithSmsCode(lib: RuntimeLibrary): Promise<LoginReport> {
  const { createHelpdesk, HelpdeskError, isHelpdeskError } = lib.core;
  const clock = new lib.testing.ManualClock('2026-03-02T09:00:00Z');
  const mailer = new lib.testing.CapturingMailer();
  const sms = new lib.testing.CapturingSms();
  const desk = createHelpdesk({
    storage: lib.memory.createMemoryStorage(),
    clock,
    mailer,
    sms,
    secrets: { pepper: 'runtime-scenario-pepper-32-bytes-long!' },
    passwordHasher: scenarioHasher(),
  });
  const adminEmail = 'boss@fleet.example';
  const adminPhone = lib.accounts.normalizeHungarianMobile('06 30 555 0101');
  const newPassword = 'fleet admin chosen passphrase';
  const seen: string[] = [];
  const step = async (view: Promise<Login.LoginFlowView>) => {
    const v = await view;
    seen.push(v.state);
    return v;
  };
  const lastMatch = async (texts: () => string[], pattern: RegExp, what: string) => {
    await desk.dispatchOutbox();
    const list = texts();
    const found = pattern.exec(list[list.length - 1] ?? '')?.[1];
    if (!found) throw new Error(`login scenario: no ${what}`);
    return found;
  };
  const smsCode = () => lastMatch(() => sms.to(adminPhone).map((m) => m.text), /\b(\d{6})\b/, 'SMS code');

  const { organization } = await desk.accounts.createOrganization({
    slug: 'fleet',
    name: 'Fleet Kft.',
    admin: { email: adminEmail, phone: '+36 30 555 0101', displayName: 'Boss' },
  });
  const temporary = await lastMatch(
    () => mailer.to(adminEmail).map((m) => m.text),
    /Temporary password: (\S+)/,
    'temporary password',
  );

  // First login: identifier, temporary password, SMS code, new password.
  const first = await step(desk.login.start());
  const firstStates = [first.state];
  firstStates.push(
    (await step(desk.login.submitIdentifier({ flowId: first.flowId, identifier: 'admin@fleet' }))).state,
  );
  const atCode = await step(desk.login.submitPassword({ flowId: first.flowId, password: temporary }));
  firstStates.push(atCode.state);
  firstStates.push((await step(desk.login.submitCode({ flowId: first.flowId, code: await smsCode() }))).state);
  const firstDone = await step(desk.login.changePassword({ flowId: first.flowId, newPassword }));
  firstStates.push(firstDone.state);

  // Second login, a minute later: password, a wrong code, the right code.
  clock.advanceMinutes(1);
  const second = await step(desk.login.start());
  const secondStates = [second.state];
  secondStates.push(
    (await step(desk.login.submitIdentifier({ flowId: second.flowId, identifier: 'Admin@Fleet' }))).state,
  );
  const codeStep = await step(desk.login.submitPassword({ flowId: second.flowId, password: newPassword }));
  secondStates.push(codeStep.state);
  const code = await smsCode();
  const wrong = await step(
    desk.login.submitCode({ flowId: second.flowId, code: code === '000000' ? '111111' : '000000' }),
  );
  secondStates.push(wrong.state);
  const done = await step(desk.login.submitCode({ flowId: second.flowId, code }));
  secondStates.push(done.state);
  const principal = done.result?.principal;
  const afterwards = await desk.login.get(second.flowId);

  const badIdentifier = await desk.login
    .start()
    .then(({ flowId }) => desk.login.submitIdentifier({ flowId, identifier: 'not an identifier!' }))
    .then(
      () => ({ isHelpdeskError: false, code: 'NO_ERROR', instanceOfHelpdeskError: false }),
      (error: unknown) => ({
        isHelpdeskError: isHelpdeskError(error),
        code: (error as { code?: string }).code ?? String(error),
        instanceOfHelpdeskError: error instanceof HelpdeskError,
      }),
    );

  await desk.dispatchOutbox();
  return {
    organization: {
      mainAdminLogin: organization.mainAdminLogin,
      smsCodeForLogin: organization.settings.smsCodeForLogin,
      adminPhone,
    },
    firstLogin: {
      states: firstStates,
      maskedPhone: atCode.maskedPhone,
      amr: firstDone.result ? [...firstDone.result.amr] : null,
    },
    secondLogin: {
      states: secondStates,
      resendAvailableInMs: codeStep.resendAvailableAt === null ? null : codeStep.resendAvailableAt - clock.now(),
      wrongCode: { state: wrong.state, error: wrong.error?.code ?? null, attemptsLeft: wrong.attemptsLeft },
      amr: done.result ? [...done.result.amr] : null,
      principal: {
        type: principal?.type ?? 'none',
        login: principal?.type === 'account' ? principal.login : null,
        isMainAdmin: principal?.type === 'account' ? principal.isMainAdmin : null,
      },
      canManageUsers: principal ? lib.accounts.can(principal, 'users.manage') : false,
      getAfterwards: { state: afterwards.state, hasResult: 'result' in afterwards },
    },
    statesKnown: seen.every((state) => (lib.login.LOGIN_FLOW_STATES as readonly string[]).includes(state)),
    badIdentifier,
    sms: sms.sent.map(({ message }) => ({ template: message.template, to: message.to })),
    mails: mailer.sent.map(({ message }) => ({ template: message.template, to: message.to })),
  };
}

/** The entry a runtime bundle starts from: loads the packed package by name and runs the scenario. */
export const BUNDLE_ENTRY = (scenarioPath: string) => `
import * as core from 'helpdesk-core';
import * as tickets from 'helpdesk-core/tickets';
import * as accounts from 'helpdesk-core/accounts';
import * as login from 'helpdesk-core/login';
import * as memory from 'helpdesk-core/memory';
import * as testing from 'helpdesk-core/testing';
import { runRuntimeScenario } from ${JSON.stringify(scenarioPath)};
export const report = () => runRuntimeScenario({ core, tickets, accounts, login, memory, testing });
`;
