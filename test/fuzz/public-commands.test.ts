/**
 * Fuzzing the public commands of tickets and of the desk itself (the harness, its properties and
 * FUZZ_RUNS are described in `harness.ts`). Accounts and login have their own files,
 * `accounts-commands.test.ts` and `login-commands.test.ts`, on their own seeded desk, and so have
 * the privacy export and erasure, the outbox dispatch, the worker and the event feed
 * (`desk-commands.test.ts`); vitest runs the files in parallel when it has more than one worker
 * (on 2 cores it has one).
 * Table-driven: a new command is fuzzed by listing it in `targets`.
 */
import type { FuzzTarget } from './harness.js';
import { fuzzCommands } from './harness.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { z } from 'zod';

const agent = { role: 'agent', id: 'agent-1' };
/** The caller (`auth`) of the access-checked inputs: an agent identity the host vouches for. */
const agentAuth = { role: 'agent', id: 'agent-1', groups: ['fleet'] };

/** A read's `[id, options]`; a mutated argument that is not a pair is passed as the id. */
const pair = (arg: unknown): [never, never] => (Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined]) as never;

/** Ids of the records every fuzzed desk starts with. */
interface Seeded {
  pending: string;
  onHold: string;
  solved: string;
  pendingNumber: number;
}

const ticketCommands: FuzzTarget<Seeded>[] = [
  {
    name: 'desk.tickets.submit',
    valid: () => ({
      requester: { id: 'cust-9', email: 'nine@example.test', locale: 'nl' },
      content: { organization: 'Acme', subject: 'Printer jam', description: 'Paper stuck.' },
      channel: 'email',
      priority: 'high',
      idempotencyKey: 'form-1',
    }),
    call: (desk, arg) => desk.tickets.submit(arg as never),
  },
  {
    name: 'desk.tickets.reply',
    valid: (s) => ({ ticketId: s.pending, author: agent, body: 'Any news?', askForInfo: true }),
    call: (desk, arg) => desk.tickets.reply(arg as never),
  },
  {
    name: 'desk.tickets.assign',
    valid: (s) => ({ ticketId: s.pending, actor: agent, assigneeId: 'agent-2' }),
    call: (desk, arg) => desk.tickets.assign(arg as never),
  },
  {
    name: 'desk.tickets.hold',
    valid: (s) => ({ ticketId: s.pending, actor: agent }),
    call: (desk, arg) => desk.tickets.hold(arg as never),
  },
  {
    name: 'desk.tickets.resume',
    valid: (s) => ({ ticketId: s.onHold, actor: agent }),
    call: (desk, arg) => desk.tickets.resume(arg as never),
  },
  {
    name: 'desk.tickets.solve',
    valid: (s) => ({ ticketId: s.pending, actor: agent }),
    call: (desk, arg) => desk.tickets.solve(arg as never),
  },
  {
    name: 'desk.tickets.merge',
    valid: (s) => ({ sourceId: s.pending, targetId: s.solved, actor: agent }),
    call: (desk, arg) => desk.tickets.merge(arg as never),
  },
  {
    name: 'desk.tickets.setPriority',
    valid: (s) => ({ ticketId: s.pending, actor: agent, priority: 'urgent' }),
    call: (desk, arg) => desk.tickets.setPriority(arg as never),
  },
  { name: 'desk.tickets.get', valid: (s) => s.pending, call: (desk, arg) => desk.tickets.get(arg as never) },
  {
    name: 'desk.tickets.getByNumber',
    valid: (s) => s.pendingNumber,
    call: (desk, arg) => desk.tickets.getByNumber(arg as never),
  },
  {
    name: 'desk.tickets.list',
    valid: () => ({ status: 'pending', requesterId: 'cust-1', limit: 10 }),
    call: (desk, arg) => desk.tickets.list(arg as never),
  },
  { name: 'desk.tickets.history', valid: (s) => s.pending, call: (desk, arg) => desk.tickets.history(arg as never) },
  // The same commands with the caller as `auth` (issue 12).
  {
    name: 'desk.tickets.submit (auth)',
    valid: () => ({
      auth: agentAuth,
      requester: { id: 'cust-9', email: 'nine@example.test' },
      content: { organization: 'Acme', subject: 'Printer jam', description: 'Paper stuck.' },
      channel: 'phone',
    }),
    call: (desk, arg) => desk.tickets.submit(arg as never),
  },
  {
    name: 'desk.tickets.reply (auth)',
    valid: (s) => ({
      ticketId: s.pending,
      auth: agentAuth,
      body: 'Any news?',
      askForInfo: true,
      idempotencyKey: 'm-1',
    }),
    call: (desk, arg) => desk.tickets.reply(arg as never),
  },
  {
    name: 'desk.tickets.assign (auth)',
    valid: (s) => ({ ticketId: s.pending, auth: agentAuth, assigneeId: 'agent-2' }),
    call: (desk, arg) => desk.tickets.assign(arg as never),
  },
  {
    name: 'desk.tickets.solve (auth)',
    valid: (s) => ({ ticketId: s.pending, auth: agentAuth }),
    call: (desk, arg) => desk.tickets.solve(arg as never),
  },
  {
    name: 'desk.tickets.merge (auth)',
    valid: (s) => ({ sourceId: s.pending, targetId: s.solved, auth: agentAuth }),
    call: (desk, arg) => desk.tickets.merge(arg as never),
  },
  {
    name: 'desk.tickets.get (auth)',
    valid: (s) => [s.pending, { auth: agentAuth }],
    call: (desk, arg) => desk.tickets.get(...pair(arg)),
  },
  {
    name: 'desk.tickets.getByNumber (auth)',
    valid: (s) => [s.pendingNumber, { auth: agentAuth }],
    call: (desk, arg) => desk.tickets.getByNumber(...pair(arg)),
  },
  {
    name: 'desk.tickets.list (auth)',
    valid: () => ({ auth: agentAuth, status: 'pending', limit: 10 }),
    call: (desk, arg) => desk.tickets.list(arg as never),
  },
  {
    name: 'desk.tickets.history (auth)',
    valid: (s) => [s.pending, { auth: agentAuth }],
    call: (desk, arg) => desk.tickets.history(...pair(arg)),
  },
  {
    name: 'desk.tickets.addNote',
    valid: (s) => ({
      ticketId: s.pending,
      auth: agentAuth,
      body: 'Customer is on the legacy firmware.',
      attachments: [{ name: 'log.txt', type: 'text/plain', size: 120, storageKey: 'uploads/log-1' }],
      idempotencyKey: 'note-1',
    }),
    call: (desk, arg) => desk.tickets.addNote(arg as never),
  },
  {
    name: 'desk.tickets.messages',
    valid: (s) => [s.pending, { auth: agentAuth, limit: 5 }],
    call: (desk, arg) => desk.tickets.messages(...pair(arg)),
  },
  // ── tickets: people ──
  {
    name: 'desk.tickets.follow',
    valid: (s) => ({ ticketId: s.pending, auth: agentAuth }),
    call: (desk, arg) => desk.tickets.follow(arg as never),
    templateRefusedWith: { code: 'INVALID_INPUT', because: 'the fuzz desk gives agents no address (agentAddress)' },
  },
  {
    name: 'desk.tickets.follow (cc)',
    valid: (s) => ({ ticketId: s.pending, auth: agentAuth, email: 'colleague@example.test' }),
    call: (desk, arg) => desk.tickets.follow(arg as never),
    templateRefusedWith: { code: 'PERMISSION_DENIED', because: 'the seeded tickets belong to no organisation' },
  },
  {
    name: 'desk.tickets.unfollow',
    valid: (s) => ({ ticketId: s.onHold, auth: agentAuth, email: 'colleague@example.test' }),
    call: (desk, arg) => desk.tickets.unfollow(arg as never),
  },
  {
    name: 'desk.tickets.rate',
    valid: () => ({ token: 'A'.repeat(43), score: 'good', comment: 'Quick and friendly.' }),
    call: (desk, arg) => desk.tickets.rate(arg as never),
    templateRefusedWith: { code: 'TOKEN_INVALID', because: 'no survey was sent in the seeded desk' },
  },
  // ── tickets: shape (groups, tags, fields, list filters, guest tokens) ──
  {
    name: 'desk.tickets.submit (group, tags, fields)',
    valid: () => ({
      auth: agentAuth,
      requester: { id: 'cust-9', email: 'nine@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' },
      groupId: 'fleet',
      tags: ['gps', 'tracker'],
      fields: { driver: { name: 'Jan' }, vehicle: { vin: '1HGCM82633A004352', year: 2019 } },
    }),
    call: (desk, arg) => desk.tickets.submit(arg as never),
  },
  {
    name: 'desk.tickets.update',
    valid: (s) => ({
      ticketId: s.pending,
      auth: agentAuth,
      groupId: 'fleet',
      tags: ['gps'],
      fields: { vehicle: { make: 'DAF' } },
    }),
    call: (desk, arg) => desk.tickets.update(arg as never),
  },
  {
    name: 'desk.tickets.list (filters)',
    valid: () => ({
      auth: agentAuth,
      status: ['new', 'open', 'pending', 'on_hold'],
      groupId: 'fleet',
      tag: 'gps',
      assigneeId: 'agent-2',
      priority: 'high',
      limit: 10,
    }),
    call: (desk, arg) => desk.tickets.list(arg as never),
  },
  // Guest-token rows need a desk whose ticket service has `secrets.pepper` (wired in helpdesk.ts at merge):
  // their valid input is the token the seed's submit returns.
  {
    // A reply by mail from the requester's address (issue 12): the host vouches for the sender.
    name: 'desk.tickets.reply (mail)',
    valid: (s) => ({ ticketId: s.solved, auth: { role: 'mail', from: 'One@Example.test' }, body: 'Still broken.' }),
    call: (desk, arg) => desk.tickets.reply(arg as never),
  },
];

const deskCommands: FuzzTarget<Seeded>[] = [
  {
    name: 'desk.runDueTimers',
    valid: () => ({ batchSize: 10, leaseMs: 30_000 }),
    call: (desk, arg) => desk.runDueTimers(arg as never),
  },
  {
    name: 'desk.outbox',
    valid: () => ({ status: 'pending', limit: 5 }),
    call: (desk, arg) => desk.outbox(arg as never),
  },
  // desk.dispatchOutbox(options), desk.worker(options), desk.events.read and desk.privacy: desk-commands.test.ts.
];

fuzzCommands<Seeded>('fuzzing the public commands of tickets and the desk', {
  options: () => ({ clock: new ManualClock('2026-03-02T09:00:00Z') }),
  async seed(desk) {
    const requester = { id: 'cust-1', email: 'one@example.test' };
    const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' };
    const pending = (await desk.tickets.submit({ requester, content })).ticket;
    await desk.tickets.reply({ ticketId: pending.id, author: agent as never, body: 'Which van?', askForInfo: true });
    const onHold = (await desk.tickets.submit({ requester, content: { ...content, subject: 'Portal error' } })).ticket;
    await desk.tickets.hold({ ticketId: onHold.id, actor: agent as never });
    const solved = (await desk.tickets.submit({ requester, content: { ...content, subject: 'Invoice' } })).ticket;
    await desk.tickets.solve({ ticketId: solved.id, actor: agent as never });
    return { pending: pending.id, onHold: onHold.id, solved: solved.id, pendingNumber: pending.number };
  },
  targets: [...ticketCommands, ...deskCommands],
});

// A hostile host field schema: whatever it lets through or outputs, only plain JSON is stored
// and only HelpdeskError comes back.
const hostileFields = z.object({
  note: z.unknown(),
  when: z
    .string()
    .transform((text) => new Date(text))
    .optional(),
  list: z.array(z.unknown()).optional(),
});

fuzzCommands<Seeded>('fuzzing ticket fields under a hostile host schema', {
  options: () => ({ clock: new ManualClock('2026-03-02T09:00:00Z'), tickets: { fields: hostileFields } }),
  async seed(desk) {
    const requester = { id: 'cust-1', email: 'one@example.test' };
    const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' };
    const pending = (await desk.tickets.submit({ requester, content, fields: { note: 'x' } })).ticket;
    await desk.tickets.reply({ ticketId: pending.id, author: agent as never, body: 'Which van?', askForInfo: true });
    return { pending: pending.id, onHold: pending.id, solved: pending.id, pendingNumber: pending.number };
  },
  targets: [
    {
      name: 'desk.tickets.submit (host fields)',
      valid: () => ({
        requester: { id: 'cust-9', email: 'nine@example.test' },
        content: { organization: 'Acme', subject: 'Printer jam', description: 'Paper stuck.' },
        fields: { note: { deep: [1, 'two', null] }, list: [{ a: 1 }] },
      }),
      call: (desk, arg) => desk.tickets.submit(arg as never),
    },
    {
      name: 'desk.tickets.update (host fields)',
      valid: (s) => ({ ticketId: s.pending, actor: agent, fields: { note: 'changed', list: [] } }),
      call: (desk, arg) => desk.tickets.update(arg as never),
    },
  ],
});
