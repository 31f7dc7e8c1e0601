import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/error-codes.js';
import { HelpdeskError } from '../../src/errors.js';
import { parseInput } from '../../src/engine/validate.js';
import { HTTP_ERROR_RULES, toHttpError, toHttpResponse } from '../../src/http/index.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const allCodes = Object.values(ERROR_CODES).flatMap((table) => Object.keys(table));

async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('the status table', () => {
  it('has a rule for every code in ERROR_CODES (a new code without a status fails here)', () => {
    expect(allCodes.length).toBeGreaterThan(20);
    const missing = allCodes.filter((code) => HTTP_ERROR_RULES[code] === undefined);
    expect(missing).toEqual([]);
  });

  it.each([
    ['INVALID_INPUT', 400],
    ['TICKET_NOT_FOUND', 404],
    ['ACCOUNT_NOT_FOUND', 404],
    ['ORGANIZATION_NOT_FOUND', 404],
    ['PHONE_NOT_FOUND', 404],
    ['FLOW_NOT_FOUND', 404],
    ['RECOVERY_NOT_FOUND', 404],
    ['NOT_FOUND', 404],
    ['PERMISSION_DENIED', 403],
    ['RECOVERY_FORBIDDEN', 403],
    ['SECOND_FACTOR_REQUIRED', 403],
    ['TRANSITION_NOT_ALLOWED', 409],
    ['STEP_NOT_ALLOWED', 409],
    ['MERGE_NOT_ALLOWED', 409],
    ['ORGANIZATION_EXISTS', 409],
    ['USERNAME_TAKEN', 409],
    ['PHONE_ALREADY_REGISTERED', 409],
    ['VERSION_CONFLICT', 409],
    ['RATE_LIMITED', 429],
    ['FLOW_EXPIRED', 410],
  ])('answers %s with %i', (code, status) => {
    expect(toHttpError(new HelpdeskError(code, 'x'), { now: NOW }).status).toBe(status);
  });

  it('uses only statuses a client understands (4xx for the caller, 500 for faults)', () => {
    for (const [code, rule] of Object.entries(HTTP_ERROR_RULES)) {
      expect([400, 401, 403, 404, 409, 410, 429, 500], code).toContain(rule.status);
      expect(rule.internal === true, code).toBe(rule.status === 500);
    }
  });
});

describe('faults answer 500 and tell nothing', () => {
  it.each(['CONFIGURATION_INVALID', 'NON_JSON_STATE', 'SCHEMA_VERSION_MISMATCH', 'SOME_FUTURE_CODE'])(
    '%s is a generic 500 without details',
    (code) => {
      const error = new HelpdeskError(code, 'secrets.pepper is missing at /srv/app/config.ts', {
        field: 'secrets.pepper',
      });
      const answer = toHttpError(error);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        code: 'INTERNAL_ERROR',
        message: 'Something went wrong on our side; the request was not completed.',
        details: {},
      });
    },
  );

  it('answers a plain Error, a string and undefined as 500 without its message or stack', () => {
    for (const error of [new TypeError('relation "helpdesk_records" does not exist'), 'boom', undefined, null]) {
      const answer = toHttpError(error);
      expect(answer.status).toBe(500);
      expect(JSON.stringify(answer.body)).not.toMatch(/relation|boom|at |stack/);
    }
  });
});

describe('details are allow-listed', () => {
  it('INVALID_INPUT carries the zod issues as paths and messages only, never the received value', () => {
    const schema = z.strictObject({ email: z.email(), age: z.number() });
    const error = thrown(() => parseInput(schema, { email: 'secret-value@', age: 'forty' }, 'person'));
    return error.then((e) => {
      const answer = toHttpError(e);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_INPUT');
      expect(answer.body.message).toBe('The input does not match the expected shape.');
      const issues = answer.body.details.issues as Array<Record<string, unknown>>;
      expect(issues.map((issue) => issue.path)).toEqual([['email'], ['age']]);
      for (const issue of issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
      expect(Object.keys(answer.body.details)).toEqual(['issues']);
      expect(JSON.stringify(answer.body)).not.toContain('secret-value');
      expect(JSON.stringify(answer.body)).not.toContain('forty');
    });
  });

  it('INVALID_INPUT from a check outside zod names the field', () => {
    const answer = toHttpError(
      new HelpdeskError('INVALID_INPUT', 'Unknown time zone "Evil/<script>".', {
        timeZone: 'Evil/<script>',
        field: 'timeZone',
      }),
    );
    expect(answer.body.details).toEqual({ issues: [{ path: ['timeZone'], message: 'Invalid value.' }] });
  });

  it('never copies ids, logins, slugs or free text, only the listed vocabulary words', () => {
    const error = new HelpdeskError('TRANSITION_NOT_ALLOWED', 'Cannot reply ticket #12 as requester: it is closed.', {
      ticketId: 'tkt_someone_else',
      status: 'closed',
      command: 'reply',
      actor: 'requester',
      requesterEmail: 'stranger@example.com',
    });
    expect(toHttpError(error).body).toEqual({
      code: 'TRANSITION_NOT_ALLOWED',
      message: 'The command is not allowed in the current state.',
      details: { status: 'closed', command: 'reply', actor: 'requester' },
    });
    const taken = new HelpdeskError('USERNAME_TAKEN', 'The login bob@acme is already in use.', { login: 'bob@acme' });
    expect(toHttpError(taken).body.details).toEqual({});
    const denied = new HelpdeskError('PERMISSION_DENIED', 'x', { permission: 'main_admin', login: 'admin@acme' });
    expect(toHttpError(denied).body.details).toEqual({ permission: 'main_admin' });
  });

  it('drops an allowed key whose value is free text, an object or a hash-like long string', () => {
    const error = new HelpdeskError('MERGE_NOT_ALLOWED', 'x', { reason: 'free text with spaces' });
    expect(toHttpError(error).body.details).toEqual({});
    const nested = new HelpdeskError('TRANSITION_NOT_ALLOWED', 'x', {
      status: { awaiting: 'x' },
      command: 'h'.repeat(65),
    });
    expect(toHttpError(nested).body.details).toEqual({});
  });

  it('a real refusal of the desk answers 409 with status and command', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    const error = await thrown(() => desk.tickets.hold({ ticketId: ticket.id, actor: agent }));
    const answer = toHttpError(error);
    expect(answer.status).toBe(409);
    expect(answer.body.details).toMatchObject({ status: 'solved', command: 'hold' });
    expect(JSON.stringify(answer.body)).not.toContain(ticket.id);
  });
});

describe('hints', () => {
  it('VERSION_CONFLICT says the request may be retried as is', () => {
    const answer = toHttpError(new HelpdeskError('VERSION_CONFLICT', 'x', { attempts: 8 }));
    expect(answer).toMatchObject({ status: 409, body: { details: { hint: 'retry' } } });
  });

  it('SECOND_FACTOR_REQUIRED is 403 with a step-up hint, so the client keeps its session', () => {
    const answer = toHttpError(new HelpdeskError('SECOND_FACTOR_REQUIRED', 'x', { maxAgeMs: 900_000 }));
    expect(answer).toMatchObject({ status: 403, body: { details: { hint: 'step_up', maxAgeMs: 900_000 } } });
  });

  it('RATE_LIMITED sends Retry-After in whole seconds, rounded up, from retryAfter and now', () => {
    const error = new HelpdeskError('RATE_LIMITED', 'x', { retryAfter: NOW + 30_001 });
    const answer = toHttpError(error, { now: NOW });
    expect(answer.status).toBe(429);
    expect(answer.headers).toEqual({ 'retry-after': '31' });
    expect(answer.body.details).toEqual({ retryAfter: NOW + 30_001 });
  });

  it('RATE_LIMITED in the past says retry now; without retryAfter there is no header', () => {
    expect(toHttpError(new HelpdeskError('RATE_LIMITED', 'x', { retryAfter: NOW - 5 }), { now: NOW }).headers).toEqual({
      'retry-after': '0',
    });
    expect(toHttpError(new HelpdeskError('RATE_LIMITED', 'x'), { now: NOW }).headers).toEqual({});
  });
});

describe('toHttpResponse', () => {
  it('is JSON, never cached, with the status and Retry-After', async () => {
    const response = toHttpResponse(new HelpdeskError('RATE_LIMITED', 'x', { retryAfter: NOW + 2_000 }), { now: NOW });
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many requests; try again later.',
      details: { retryAfter: NOW + 2_000 },
    });
  });

  it('answers an unknown error with a generic 500 body', async () => {
    const response = toHttpResponse(new Error('secret internals'));
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).not.toContain('secret internals');
  });
});
