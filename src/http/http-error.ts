import { ERROR_CODES } from '../error-codes.js';
import { isHelpdeskError } from '../errors.js';
import { HTTP_ERROR_RULES, INTERNAL_ERROR_CODE, INTERNAL_ERROR_MESSAGE, type HttpErrorRule } from './error-status.js';

/** The JSON body of an error answer. Stable: hosts and browsers branch on `code`. */
export interface HttpErrorBody {
  /** A code from `ERROR_CODES`, or `INTERNAL_ERROR` for a fault the caller cannot act on. */
  code: string;
  /** The code's default message (never the thrown error's own message, which may quote input). */
  message: string;
  /** Only the detail keys the code's rule allows, plus its `hint`; `{}` for a 500. */
  details: Record<string, unknown>;
}

/** What {@link toHttpError} returns: a status, a body, and the headers that go with them. */
export interface HttpError {
  status: number;
  body: HttpErrorBody;
  /** `Retry-After` (seconds) for 429 answers that know when to retry; otherwise empty. */
  headers: Record<string, string>;
}

/** Options of {@link toHttpError} and {@link toHttpResponse}. */
export interface HttpErrorOptions {
  /** The current instant (epoch ms) for `Retry-After`. Default: `Date.now()` (pass the desk's clock in tests). */
  now?: number;
}

const MAX_ISSUES = 20;
const MAX_MESSAGE = 200;
const MAX_PATH_SEGMENT = 64;
const MAX_LIST = 20;
// A vocabulary word (`on_hold`, `tickets.create`, `timer.autoResolve`), never free text.
const WORD = /^[A-Za-z0-9_.:-]{1,64}$/;

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = Object.assign({}, ...Object.values(ERROR_CODES)) as Record<
  string,
  string
>;

/**
 * Maps any thrown value to an HTTP answer. A `HelpdeskError` gets its code's status from
 * {@link HTTP_ERROR_RULES}, the code's default message and only the allowed details; anything
 * else (a bug, a driver error, an unknown code) is a 500 with a generic message and no details,
 * so no stack, SQL or internal message ever reaches a client. Log the original error yourself.
 */
export function toHttpError(error: unknown, options: HttpErrorOptions = {}): HttpError {
  const rule = isHelpdeskError(error) ? HTTP_ERROR_RULES[error.code] : undefined;
  if (!isHelpdeskError(error) || rule === undefined || rule.internal) {
    return {
      status: 500,
      body: { code: INTERNAL_ERROR_CODE, message: INTERNAL_ERROR_MESSAGE, details: {} },
      headers: {},
    };
  }
  const details = safeDetails(rule, error.details);
  const headers: Record<string, string> = {};
  const retryAfter = error.details.retryAfter;
  if (rule.status === 429 && typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    const now = options.now ?? Date.now();
    headers['retry-after'] = String(Math.max(0, Math.ceil((retryAfter - now) / 1000)));
  }
  return {
    status: rule.status,
    body: { code: error.code, message: DEFAULT_MESSAGES[error.code] ?? 'The request was refused.', details },
    headers,
  };
}

/**
 * {@link toHttpError} as a Web `Response`: JSON (`application/json; charset=utf-8`), never
 * cached (`cache-control: no-store`), with `Retry-After` when known.
 */
export function toHttpResponse(error: unknown, options: HttpErrorOptions = {}): Response {
  const { status, body, headers } = toHttpError(error, options);
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  });
}

function safeDetails(rule: HttpErrorRule, details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of rule.details ?? []) {
    const value = key === 'issues' ? safeIssues(details.issues, details.field) : safeValue(details[key]);
    if (value !== undefined) out[key] = value;
  }
  if (rule.hint !== undefined) out.hint = rule.hint;
  return out;
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return WORD.test(value) ? value : undefined;
  if (Array.isArray(value)) {
    const words = value
      .slice(0, MAX_LIST)
      .filter((item): item is string => typeof item === 'string' && WORD.test(item));
    return words.length > 0 ? words : undefined;
  }
  return undefined;
}

/** Zod issues reduced to where and what: `{ path, message }`, never the received value. */
function safeIssues(issues: unknown, field: unknown): Array<{ path: Array<string | number>; message: string }> {
  // Checks outside zod name the offending `field` instead of listing issues.
  if (!Array.isArray(issues)) {
    return typeof field === 'string' && WORD.test(field) ? [{ path: field.split('.'), message: 'Invalid value.' }] : [];
  }
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  for (const issue of issues.slice(0, MAX_ISSUES)) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    out.push({
      path: Array.isArray(path)
        ? path.flatMap((segment: unknown): Array<string | number> =>
            typeof segment === 'number' && Number.isFinite(segment)
              ? [segment]
              : typeof segment === 'string'
                ? [segment.slice(0, MAX_PATH_SEGMENT)]
                : [],
          )
        : [],
      message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE) : 'Invalid value.',
    });
  }
  return out;
}
