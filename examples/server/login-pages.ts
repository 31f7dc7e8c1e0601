// The requester's login pages, one per state of the login flow: identifier → password → SMS
// code. The flow id stays on the server (behind a random cookie), never in the page; a completed
// login's session token goes into the session cookie.
import type { Hono } from 'hono';
import type { LoginFlowView } from '../../src/login/index.js';
import { browserLoginFlowView, type BrowserLoginFlowView } from '../../src/http/index.js';
import { formFields } from './forms.js';
import { markup, notice, page, when, type Html } from './html.js';
import { errorPage, grantOf, requesterNav, type Portal } from './portal.js';

const ERROR_TEXT: Record<string, string> = {
  WRONG_PASSWORD: 'The username and password do not match.',
  WRONG_CODE: 'That is not the code we sent.',
  CODE_EXPIRED: 'The code has expired: ask for a new one.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes. Start again.',
  LOCKED: 'Too many failed attempts: wait a moment and start again.',
  RESEND_TOO_SOON: 'Please wait a little before asking for another code.',
  RESEND_LIMIT: 'No more codes can be sent in this login.',
  SMS_LIMIT: 'No more SMS can be sent to this number today.',
  ACCOUNT_NOT_ACTIVATED: 'Follow the activation link in your mail first.',
  ACCOUNT_DISABLED: 'This account is disabled.',
  PHONE_REQUIRED: 'This account needs a phone number on record for the SMS code.',
};

/** The page for a flow's current state. */
export function loginPage(view: BrowserLoginFlowView): Html {
  const error = view.error
    ? notice(
        'error',
        `${ERROR_TEXT[view.error.code] ?? view.error.code}${view.error.retryAfter ? ` (until ${when(view.error.retryAfter)})` : ''}`,
      )
    : markup``;
  switch (view.state) {
    case 'awaiting_identifier':
      return markup`${error}
        <form method="post" action="/login/identifier">
          <label for="identifier">Username</label
          ><input id="identifier" name="identifier" autocomplete="username" required autofocus />
          <button type="submit">Next</button>
        </form>`;
    case 'awaiting_password':
      return markup`${error}
        <form method="post" action="/login/password">
          <label for="password">Password</label
          ><input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
          <button type="submit">Next</button>
        </form>`;
    case 'awaiting_code':
      return markup`${error}
        <p>
          We sent a code by SMS to
          ${view.maskedPhone ?? 'your phone'}.${view.attemptsLeft !== null ? ` ${view.attemptsLeft} attempts left.` : ''}
        </p>
        <form method="post" action="/login/code">
          <label for="code">Code from the SMS</label
          ><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus />
          <button type="submit">Log in</button>
        </form>
        <form method="post" action="/login/resend"><button type="submit">I did not get the SMS</button></form>`;
    default:
      return markup`${error}
        <p>This login has ended (${view.state}).</p>
        <p><a href="/login">Start again</a></p>`;
  }
}

/** Mounts /login, /login/identifier, /login/password, /login/code, /login/resend and /logout. */
export function mountLoginPages(app: Hono, portal: Portal): void {
  const { desk, sessions } = portal;
  const show = (view: BrowserLoginFlowView) => page('Log in', loginPage(view), requesterNav(false));

  app.get('/login', async (c) => {
    try {
      const view = await desk.login.start();
      sessions.beginLogin(c, view.flowId);
      return c.html(show(browserLoginFlowView(view)));
    } catch (error) {
      return errorPage(c, error);
    }
  });

  // Every step posts to its own path; a session without a flow goes back to the start.
  const step = (path: string, run: (flowId: string, field: (name: string) => string) => Promise<LoginFlowView>) =>
    app.post(path, async (c) => {
      const flowId = sessions.loginFlow(c);
      if (!flowId) return c.redirect('/login', 303);
      try {
        const view = await run(flowId, await formFields(c));
        if (view.result) {
          // The login completed: the library's session token goes into the cookie (shown once).
          sessions.completeLogin(c, grantOf(view));
          return c.redirect('/tickets', 303);
        }
        return c.html(show(browserLoginFlowView(view)));
      } catch (error) {
        return errorPage(c, error, requesterNav(false));
      }
    });

  step('/login/identifier', (flowId, field) =>
    desk.login.submitIdentifier({ flowId, identifier: field('identifier') }),
  );
  step('/login/password', (flowId, field) => desk.login.submitPassword({ flowId, password: field('password') }));
  step('/login/code', (flowId, field) => desk.login.submitCode({ flowId, code: field('code') }));
  step('/login/resend', (flowId) => desk.login.resendCode({ flowId }));

  app.post('/logout', async (c) => {
    try {
      await sessions.logout(c);
      return c.redirect('/', 303);
    } catch (error) {
      return errorPage(c, error);
    }
  });
}
