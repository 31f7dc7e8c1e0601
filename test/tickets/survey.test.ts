import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import type { HelpdeskPolicy } from '../../src/helpdesk.js';
import { SURVEY_TOKEN_KIND } from '../../src/tickets/survey.js';
import { HOUR, SECOND, jsonStrings, makeDesk, ticketInput } from '../helpers.js';

// The satisfaction survey: off by default; `delay` after solving, a mail with a single-use
// rating link; the rating is recorded once; a reopen cancels a survey not yet sent.

const agent = { role: 'agent', id: 'agent-1' } as const;
const PEPPER = 'test-pepper-of-at-least-32-bytes!';

// An outbox key, so pending mail with a secret is sealed at rest (base64 of 32 bytes).
const encryptionKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

function desk(policy: HelpdeskPolicy['tickets'] = { survey: { enabled: true } }) {
  return makeDesk({
    policy: { tickets: policy },
    publicBaseUrl: 'https://help.example.com',
    secrets: { pepper: PEPPER, encryptionKey },
  });
}

async function solvedTicket(h: ReturnType<typeof desk>) {
  const { ticket } = await h.desk.tickets.submit(ticketInput());
  await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
  return ticket.id;
}

async function surveys(h: ReturnType<typeof desk>) {
  return (await h.desk.outbox({ limit: 10_000 }))
    .map((m) => m.payload as { to: string; template: string; text: string })
    .filter((p) => p.template === 'ticket.survey');
}

const tokenOf = (text: string) => decodeURIComponent(/\/survey\?token=([A-Za-z0-9_%-]+)/.exec(text)?.[1] ?? '');

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('satisfaction survey', () => {
  it('is off by default: solving sends no survey', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    h.clock.advance(48 * HOUR);
    await h.desk.runDueTimers();
    const templates = (await h.desk.outbox({ limit: 1000 })).map((m) => (m.payload as { template: string }).template);
    expect(templates).not.toContain('ticket.survey');
  });

  it('goes out exactly at the delay after solving, not a second earlier (default 24 h)', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    expect((await h.desk.tickets.get(id)).status).toBe('solved');
    h.clock.advance(24 * HOUR - SECOND);
    await h.desk.runDueTimers();
    expect(await surveys(h)).toEqual([]);
    h.clock.advance(SECOND);
    await h.desk.runDueTimers();
    const sent = await surveys(h);
    expect(sent.map((m) => m.to)).toEqual(['cust@example.test']);
    expect(sent[0]?.text).toContain('https://help.example.com/survey?token=');
    await h.desk.runDueTimers();
    expect((await surveys(h)).length).toBe(1); // fired once
  });

  it('honours a configured delay', async () => {
    const h = desk({ survey: { enabled: true, delay: 2 * HOUR } });
    await solvedTicket(h);
    h.clock.advance(2 * HOUR - SECOND);
    await h.desk.runDueTimers();
    expect(await surveys(h)).toEqual([]);
    h.clock.advance(SECOND);
    await h.desk.runDueTimers();
    expect((await surveys(h)).length).toBe(1);
  });

  it('stores the link token only as its HMAC', async () => {
    const h = desk();
    await solvedTicket(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    const token = tokenOf((await surveys(h))[0]!.text);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const ticketId = (await h.desk.tickets.list({})).tickets[0]!.id;
    const records = await h.storage.list(SURVEY_TOKEN_KIND, { where: { ticket: ticketId }, limit: 10 });
    expect(records.length).toBe(1);
    expect(records[0]!.id).not.toBe(token);
    expect(jsonStrings(records[0]!.state).some((s) => s.includes(token))).toBe(false);
    expect(jsonStrings(await h.desk.tickets.get(ticketId)).some((s) => s.includes(token))).toBe(false);
    // The pending mail itself is sealed at rest, like every link that carries a token.
    const rawOutbox = await h.storage.listOutbox({ limit: 1000 });
    expect(jsonStrings(rawOutbox).some((s) => s.includes(token))).toBe(false);
  });

  it('records the rating once on the ticket and in history; a second use is TOKEN_USED', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    const token = tokenOf((await surveys(h))[0]!.text);
    const rated = await h.desk.tickets.rate({ token, score: 'good', comment: 'Quick and friendly.' });
    expect(rated.satisfaction).toEqual({ score: 'good', comment: 'Quick and friendly.', ratedAt: h.clock.now() });
    const history = await h.desk.tickets.history(id);
    expect(history.filter((e) => e.type === 'ticket.rated').map((e) => e.data)).toEqual([
      { score: 'good', comment: true },
    ]);
    expect(await codeOf(h.desk.tickets.rate({ token, score: 'bad' }))).toBe('TOKEN_USED');
    expect((await h.desk.tickets.get(id)).satisfaction?.score).toBe('good');
  });

  it('refuses an unknown token (TOKEN_INVALID) and changes nothing', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    const before = await h.desk.tickets.get(id);
    expect(await codeOf(h.desk.tickets.rate({ token: 'A'.repeat(43), score: 'good' }))).toBe('TOKEN_INVALID');
    expect((await h.desk.tickets.get(id)).version).toBe(before.version);
  });

  it('a link works for 30 days (TOKEN_EXPIRED after)', async () => {
    const h = desk({ survey: { enabled: true }, closeSolvedAfter: null });
    const id = await solvedTicket(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    const token = tokenOf((await surveys(h))[0]!.text);
    h.clock.advance(30 * 24 * HOUR);
    expect(await codeOf(h.desk.tickets.rate({ token, score: 'bad' }))).toBe('TOKEN_EXPIRED');
    expect((await h.desk.tickets.get(id)).satisfaction).toBeNull();
  });

  it('reopening cancels a survey not yet sent: no mail afterwards', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    h.clock.advance(10 * HOUR);
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Not fixed.' });
    expect((await h.desk.tickets.get(id)).status).toBe('open');
    h.clock.advance(30 * 24 * HOUR);
    await h.desk.runDueTimers();
    expect(await surveys(h)).toEqual([]);
  });

  it('a command that finds the close passed unswept still sends the survey that fell due before it, as the sweep would', async () => {
    // Solve, then 29 days without a sweep: the survey (24 h) and the close (28 days) are both due.
    // A requester reply fires the close first (a follow-up opens); the survey was due long before.
    const viaReply = desk();
    const id = await solvedTicket(viaReply);
    const solvedAt = viaReply.clock.now();
    viaReply.clock.advance(29 * 24 * HOUR);
    await viaReply.desk.tickets.reply({
      ticketId: id,
      author: { role: 'requester', id: 'cust-1' },
      body: 'Broke again.',
    });
    const history = (await viaReply.desk.tickets.history(id)).map((e) => e.type);
    expect(history.indexOf('ticket.timer.survey')).toBeGreaterThan(-1);
    expect(history.indexOf('ticket.timer.survey')).toBeLessThan(history.indexOf('ticket.timer.close'));
    const survey = (await viaReply.desk.tickets.history(id)).find((e) => e.type === 'ticket.timer.survey');
    expect(survey?.data).toMatchObject({ dueAt: solvedAt + 24 * HOUR });
    await viaReply.desk.runDueTimers();
    expect((await surveys(viaReply)).map((m) => m.to)).toEqual(['cust@example.test']);

    // The same ticket swept late instead: the same one survey.
    const swept = desk();
    const other = await solvedTicket(swept);
    swept.clock.advance(29 * 24 * HOUR);
    await swept.desk.runDueTimers();
    await swept.desk.tickets.reply({
      ticketId: other,
      author: { role: 'requester', id: 'cust-1' },
      body: 'Broke again.',
    });
    expect((await surveys(swept)).length).toBe(1);
  });

  it('the link of a survey sent inside a command (its catch-up) works: its token is in that commit', async () => {
    // A store that commits at once: nothing the command left unawaited can slip in before.
    const h = desk();
    const id = await solvedTicket(h);
    h.clock.advance(29 * 24 * HOUR);
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Broke again.' });
    const [survey] = await surveys(h);
    const rated = await h.desk.tickets.rate({ token: tokenOf(survey!.text), score: 'good' });
    expect(rated.satisfaction?.score).toBe('good');
  });

  it('a reply before the close, with the survey due but unswept, still cancels it (a reopen leaves solved first)', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    h.clock.advance(2 * 24 * HOUR);
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Not fixed.' });
    await h.desk.runDueTimers();
    expect(await surveys(h)).toEqual([]);
  });

  it('is not sent again once the ticket was rated (reopened, then solved again)', async () => {
    const h = desk();
    const id = await solvedTicket(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    await h.desk.tickets.rate({ token: tokenOf((await surveys(h))[0]!.text), score: 'bad' });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Broken again.' });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    expect((await surveys(h)).length).toBe(1);
    expect((await h.desk.tickets.get(id)).satisfaction?.score).toBe('bad');
  });

  it('refuses to start with the survey on and no pepper (CONFIGURATION_INVALID)', () => {
    expect(() =>
      makeDesk({ policy: { tickets: { survey: { enabled: true } } }, tickets: {}, secrets: undefined as never }),
    ).toThrow(/pepper/);
  });
});
