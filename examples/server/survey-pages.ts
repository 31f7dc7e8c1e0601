// The satisfaction survey's page (docs/tickets.md, "Satisfaction survey"): the mailed link
// `/survey?token=…` shows good/bad buttons and a comment box; only the POST spends the token,
// because mail scanners open links with a GET.
import type { Context, Hono } from 'hono';
import { isHelpdeskError } from '../../src/index.js';
import { formFields } from './forms.js';
import { markup, notice, page } from './html.js';
import { currentRequester, errorPage, requesterNav, type Portal } from './portal.js';

// The shape `desk.tickets.rate` accepts; anything else is not a survey link.
const SURVEY_TOKEN = /^[A-Za-z0-9_-]{16,512}$/;

/**
 * The token of a survey link `<publicBaseUrl>/survey?token=…`, or null for any other URL.
 * `parseLink` of helpdesk-core/http does not know the survey link yet, so the example reads it.
 */
export function surveyToken(link: string, publicBaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  const base = new URL(publicBaseUrl);
  if (url.origin !== base.origin || url.pathname !== `${base.pathname.replace(/\/$/, '')}/survey`) return null;
  const token = url.searchParams.get('token');
  return token && SURVEY_TOKEN.test(token) ? token : null;
}

const surveyForm = (token: string) =>
  markup`<p>Were you helped well? Your answer goes to the support team; the link works once.</p>
    <form method="post" action="/survey">
      <input type="hidden" name="token" value="${token}" />
      <label for="comment">Anything you want to tell us (optional)</label
      ><textarea id="comment" name="comment" rows="4"></textarea>
      <button type="submit" name="score" value="good">Good, I was helped</button>
      <button type="submit" name="score" value="bad">Bad, I was not helped</button>
    </form>`;

/** Mounts GET and POST /survey. */
export function mountSurveyPages(app: Hono, portal: Portal): void {
  const { desk } = portal;
  const nav = async (c: Context) => requesterNav((await currentRequester(portal, c).catch(() => null)) !== null);

  app.get('/survey', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!SURVEY_TOKEN.test(token))
      return c.html(page('Not found', notice('error', 'This link is not valid.'), await nav(c)), 404);
    return c.html(page('How did we do?', surveyForm(token), await nav(c)));
  });

  app.post('/survey', async (c) => {
    const field = await formFields(c);
    const score = field('score');
    if (score !== 'good' && score !== 'bad')
      return c.html(page('How did we do?', notice('error', 'Choose good or bad.'), await nav(c)), 400);
    const comment = field('comment').trim();
    try {
      const ticket = await desk.tickets.rate({ token: field('token'), score, ...(comment ? { comment } : {}) });
      const body = markup`${notice('note', `Thank you for rating ticket #${ticket.number}.`)}
        <p>You answered <strong class="score">${score}</strong>.</p>`;
      return c.html(page('Thank you', body, await nav(c)));
    } catch (error) {
      // A second POST (a double click, the back button) is no error for the person: say it is done.
      if (isHelpdeskError(error, 'TOKEN_USED'))
        return c.html(
          page('Already rated', notice('note', 'This ticket has already been rated. Thank you.'), await nav(c)),
          410,
        );
      if (isHelpdeskError(error, 'TOKEN_EXPIRED'))
        return c.html(page('Link expired', notice('error', 'This survey link has expired.'), await nav(c)), 410);
      if (isHelpdeskError(error, 'TOKEN_INVALID') || isHelpdeskError(error, 'INVALID_INPUT'))
        return c.html(page('Not found', notice('error', 'This link is not valid.'), await nav(c)), 404);
      return errorPage(c, error, await nav(c));
    }
  });
}
