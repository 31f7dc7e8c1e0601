// The example server's pages in headless Chromium, as a new user goes through them: register,
// activate from the mail the SMTP server received, log in with the code from /dev/sms, file a
// ticket; the agent asks for information, the requester answers, the agent solves, the requester
// rates the solution from the survey mail. One
// screenshot per page lands in test/e2e/screenshots/ (git-ignored).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../../examples/server/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
if (!available) {
  console.warn(`test/e2e/portal.test.ts skipped: ${CHROMIUM} is missing (Debian: apt-get install chromium).`);
}

/** Polls until `find` returns a value, or fails after `timeoutMs`. */
async function eventually<T>(what: string, find: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!available)('the example portal in headless Chromium', () => {
  let server: ExampleServer;
  let browser: Browser;
  let shots = 0;
  const shot = async (page: Page, name: string) => {
    shots += 1;
    await page.screenshot({ path: `${SCREENSHOTS}${String(shots).padStart(2, '0')}-${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    rmSync(SCREENSHOTS, { recursive: true, force: true }); // this run's pages only, numbered in order
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startExampleServer({ workerInterval: 100, surveyDelay: 1_000 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = (page: Page) => page.locator('h1').innerText();
  const status = (page: Page) => page.locator('strong.status').innerText();

  it('takes a requester from registration to a solved ticket, with the agent asking for information', async () => {
    const requester = await browser.newContext();
    const page = await requester.newPage();

    // Register.
    await page.goto(`${server.url}/`);
    await shot(page, 'home');
    await page.click('nav >> text=Register');
    await page.fill('#username', 'eva');
    await page.fill('#displayName', 'Éva Kiss');
    await page.fill('#email', 'eva@example.com');
    await page.fill('#phone', '+36 30 123 4567');
    await page.fill('#password', 'a long private passphrase');
    await shot(page, 'register');
    await page.click('button[type=submit]');
    expect(await heading(page)).toBe('Check your mail');
    await shot(page, 'registered');

    // The activation mail reached the SMTP server; its link opens the activation page.
    const mail = await eventually('the activation mail', () =>
      server.smtp.inbox.find((m) => m.to.includes('eva@example.com') && /activate\?token=/.test(m.text)),
    );
    const link = /(http:\/\/\S+\/activate\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(link?.startsWith(`${server.url}/activate?token=`)).toBe(true);
    await page.goto(`${server.url}/dev/mail`);
    expect(await page.locator(`a[href="${link}"]`).count()).toBe(1);
    await shot(page, 'dev-mail');
    await page.click(`a[href="${link}"]`);
    expect(await heading(page)).toBe('Activate your account');
    await shot(page, 'activate');
    await page.getByRole('button', { name: 'Activate my account' }).click();
    expect(await page.locator('.note').innerText()).toContain('Your account eva is active.');
    await shot(page, 'activated');

    // Log in: username → password → the code from /dev/sms (read in a second tab).
    await page.getByRole('link', { name: 'Log in' }).last().click();
    await page.fill('#identifier', 'eva');
    await shot(page, 'login-identifier');
    await page.click('button[type=submit]');
    await page.fill('#password', 'a long private passphrase');
    await shot(page, 'login-password');
    await page.click('button[type=submit]');
    expect(await page.locator('main, body').first().innerText()).toContain('We sent a code by SMS');
    await shot(page, 'login-code');
    const smsTab = await requester.newPage();
    const code = await eventually('the login SMS', async () => {
      await smsTab.goto(`${server.url}/dev/sms`);
      const texts = await smsTab.locator('td.text').allInnerTexts();
      return texts.map((text) => /\b(\d{6})\b/.exec(text)?.[1]).find((found) => found !== undefined);
    });
    await shot(smsTab, 'dev-sms');
    await smsTab.close();
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/tickets');
    expect(await heading(page)).toBe('My tickets');
    // The session cookie is the library's `ses_…` token: HttpOnly, SameSite=Lax, Path=/.
    const session = (await requester.cookies()).find((cookie) => cookie.name === 'hd_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(session?.value).toMatch(/^ses_/);
    await shot(page, 'my-tickets-empty');

    // Submit a ticket.
    await page.click('nav >> text=New ticket');
    await page.fill('#organization', 'Fleet Ltd');
    await page.fill('#subject', 'Tracker in van 7 stopped reporting');
    await page.fill('#description', 'Since this morning the dashboard shows no position for van 7.');
    await shot(page, 'new-ticket');
    await page.click('button[type=submit]');
    expect(await heading(page)).toBe('Fleet Ltd - Tracker in van 7 stopped reporting');
    expect(await status(page)).toBe('new');
    const ticketUrl = page.url();
    await shot(page, 'ticket-new');

    // Éva registered a personal account: her ticket has no organisation, so it takes no CC.
    expect(await page.locator('.followers').innerText()).toContain('Nobody else follows this ticket.');
    await page.fill('#cc', 'bea@example.com');
    await page.getByRole('button', { name: 'Add to CC' }).click();
    expect(await page.locator('.followers .error').innerText()).toContain(
      'PERMISSION_DENIED: only an active account of the ticket’s organisation can be CC’d',
    );
    expect(await page.locator('li.follower').count()).toBe(0);
    expect(await heading(page)).toBe('Fleet Ltd - Tracker in van 7 stopped reporting');
    await shot(page, 'ticket-cc-refused');

    // The agent, in a browser of their own, asks for information.
    const agentContext = await browser.newContext();
    const agent = await agentContext.newPage();
    await agent.goto(`${server.url}/agent`);
    expect(new URL(agent.url()).pathname).toBe('/agent/login');
    await shot(agent, 'agent-login');
    await agent.click('button[type=submit]');
    expect(await heading(agent)).toBe('Queue');
    await shot(agent, 'agent-queue');
    await agent.getByRole('link', { name: 'Fleet Ltd - Tracker in van 7 stopped reporting' }).click();
    await agent.fill('#body', 'Which hardware serial is in van 7?');
    await agent.check('input[name=askForInfo]');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    expect(await status(agent)).toBe('pending');
    await shot(agent, 'agent-asked');
    await agent.fill('#note', 'Van 7 had its tracker replaced last month.');
    await agent.getByRole('button', { name: 'Add internal note' }).click();
    expect(await agent.locator('.message.internal').innerText()).toContain(
      'Van 7 had its tracker replaced last month.',
    );
    expect(await status(agent)).toBe('pending');
    await shot(agent, 'agent-note');

    // The requester sees the question and answers: the ticket is open again.
    await page.goto(ticketUrl);
    expect(await status(page)).toBe('pending');
    expect(await page.locator('.message.agent').innerText()).toContain('Which hardware serial is in van 7?');
    expect(await page.locator('.note').innerText()).toContain('Support is waiting for your answer');
    expect(await page.locator('.message.internal').count()).toBe(0);
    expect(await page.content()).not.toContain('tracker replaced');
    await shot(page, 'ticket-pending');
    await page.fill('#body', 'The serial is 8613-77.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    expect(await status(page)).toBe('open');
    await shot(page, 'ticket-replied');

    // The agent sees the answer and solves the ticket.
    await agent.reload();
    expect(await agent.locator('.message.requester').last().innerText()).toContain('The serial is 8613-77.');
    await agent.getByRole('button', { name: 'Solve', exact: true }).click();
    expect(await status(agent)).toBe('solved');
    await shot(agent, 'agent-solved');

    await page.goto(`${server.url}/tickets`);
    expect(await page.locator('td.status').allInnerTexts()).toEqual(['solved']);
    await shot(page, 'my-tickets-solved');

    // The survey mail follows the solve (the test server's delay is a second); its link rates once.
    const surveyMail = await eventually('the survey mail', () =>
      server.smtp.inbox.find((m) => m.to.includes('eva@example.com') && /\/survey\?token=/.test(m.text)),
    );
    const surveyLink = /(http:\/\/\S+\/survey\?token=[A-Za-z0-9_-]+)/.exec(surveyMail.text)?.[1] ?? '';
    expect(surveyLink.startsWith(`${server.url}/survey?token=`)).toBe(true);
    await page.goto(`${server.url}/dev/mail`);
    await page.click(`a[href="${surveyLink}"]`);
    expect(await heading(page)).toBe('How did we do?');
    await page.fill('#comment', 'Quick and clear, thank you.');
    await shot(page, 'survey');
    await page.getByRole('button', { name: 'Good, I was helped' }).click();
    expect(await heading(page)).toBe('Thank you');
    expect(await page.locator('.note').innerText()).toContain(`Thank you for rating ticket #`);
    await shot(page, 'survey-thanks');
    expect((await server.desk.tickets.get(new URL(ticketUrl).pathname.split('/').pop()!)).satisfaction).toMatchObject({
      score: 'good',
      comment: 'Quick and clear, thank you.',
    });
    // Opening the link again still shows the form (a GET spends nothing); the second POST is refused.
    await page.goto(surveyLink);
    await page.getByRole('button', { name: 'Bad, I was not helped' }).click();
    expect(await heading(page)).toBe('Already rated');
    expect(await page.locator('.note').innerText()).toContain('already been rated');
    await shot(page, 'survey-already-rated');
    expect((await server.desk.tickets.get(new URL(ticketUrl).pathname.split('/').pop()!)).satisfaction?.score).toBe(
      'good',
    );

    // The mails of the story went through SMTP: confirmation, the agent's question, the solution.
    const subjects = server.smtp.inbox.filter((m) => m.to.includes('eva@example.com')).map((m) => m.subject);
    expect(subjects.length).toBeGreaterThanOrEqual(3);
    expect(subjects.every((subject) => subject.trim() !== '')).toBe(true);

    // Logging out revokes the session: the old cookie, put back, no longer opens the tickets.
    await page.getByRole('button', { name: 'Log out' }).click();
    expect((await requester.cookies()).some((cookie) => cookie.name === 'hd_session')).toBe(false);
    await requester.addCookies([session!]);
    await page.goto(`${server.url}/tickets`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await agentContext.close();
    await requester.close();
  }, 240_000);

  it('shows a stranger neither the agent queue nor the JSON tickets', async () => {
    const stranger = await browser.newContext();
    const page = await stranger.newPage();
    await page.goto(`${server.url}/agent`);
    expect(new URL(page.url()).pathname).toBe('/agent/login');
    const api = await page.request.get(`${server.url}/api/tickets`);
    expect(api.status()).toBe(401);
    const agentApi = await page.request.get(`${server.url}/api/agent/tickets`);
    expect(agentApi.status()).toBe(401);
    await stranger.close();
  }, 60_000);

  it('lets a visitor without an account file through the contact form and follow the ticket from the mailed guest link', async () => {
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Contact support' }).click();
    await page.fill('#name', 'Bob Nagy');
    await page.fill('#email', 'bob.nagy@example.com');
    await page.fill('#organization', 'Nagy Transport');
    await page.fill('#subject', 'Invoice export fails');
    await page.fill('#description', 'The CSV export of November stops at 50 rows.');
    await shot(page, 'contact');
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await heading(page)).toBe('Request received');
    // The page does not show the link: only the mailbox's owner gets it.
    expect(await page.content()).not.toContain('gst_');
    await shot(page, 'contact-received');

    const mail = await eventually('the guest confirmation mail', () =>
      server.smtp.inbox.find((m) => m.to.includes('bob.nagy@example.com') && /tickets\/guest\?token=/.test(m.text)),
    );
    const link = /(http:\/\/\S+\/tickets\/guest\?token=[A-Za-z0-9_.%-]+)/.exec(mail.text)?.[1] ?? '';
    expect(link.startsWith(`${server.url}/tickets/guest?token=gst_`)).toBe(true);
    await page.goto(`${server.url}/dev/mail`);
    await page.click(`a[href="${link}"]`);
    expect(await heading(page)).toBe('Nagy Transport - Invoice export fails');
    expect(await status(page)).toBe('new');
    await shot(page, 'guest-ticket');

    // The agent answers in public and notes something internal; the guest sees the answer only.
    const agentContext = await browser.newContext();
    const agent = await agentContext.newPage();
    await agent.goto(`${server.url}/agent/login`);
    await agent.click('button[type=submit]');
    await agent.getByRole('link', { name: 'Nagy Transport - Invoice export fails' }).click();
    await agent.fill('#body', 'Which browser do you export from?');
    await agent.check('input[name=askForInfo]');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await agent.fill('#note', 'Known bug in the export paging.');
    await agent.getByRole('button', { name: 'Add internal note' }).click();
    expect(await status(agent)).toBe('pending');
    await agentContext.close();

    await page.goto(link);
    expect(await status(page)).toBe('pending');
    expect(await page.locator('.message.agent').innerText()).toContain('Which browser do you export from?');
    expect(await page.content()).not.toContain('export paging');
    await page.fill('#body', 'Firefox 128.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    expect(await status(page)).toBe('open');
    expect(await page.locator('.message.requester').last().innerText()).toContain('Firefox 128.');
    await shot(page, 'guest-replied');

    // An altered secret opens nothing, and says no more than an unknown link.
    const altered = link.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    const refused = await page.goto(altered);
    expect(refused?.status()).toBe(404);
    expect(await page.locator('.error').innerText()).toContain('This link is not valid.');
    await visitor.close();
  }, 120_000);
});
