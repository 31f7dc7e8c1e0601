// The packed package in real headless Chromium (Debian's, driven by playwright-core): a page
// served on localhost loads an app bundled from the installed package — memory storage, Web
// Crypto ids, the ticket lifecycle, a login with an SMS code — and must report what the sources
// report under vitest.
// `.ci/package-checks.sh` installs chromium with apt-get when it is missing.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as accounts from '../../src/accounts/index.js';
import * as core from '../../src/index.js';
import * as login from '../../src/login/index.js';
import * as memory from '../../src/memory.js';
import * as testing from '../../src/testing-entry.js';
import * as tickets from '../../src/tickets/index.js';
import { bundleInConsumer, scenarioPath } from '../package/packed.js';
import { BUNDLE_ENTRY, runRuntimeScenario, type RuntimeReport } from './scenario.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const consumerDir = inject('consumerDir');

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} not found: install Debian's chromium (.ci/package-checks.sh does) or set CHROMIUM_PATH.`,
    );
  }
  const result = await bundleInConsumer(consumerDir, BUNDLE_ENTRY(scenarioPath), {
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  });
  const app = result.outputFiles[0]!.text;
  const page = `<!doctype html><meta charset="utf-8"><title>helpdesk-core in Chromium</title>
<script type="module">
  import { report } from './app.js';
  window.__report = report().then((r) => JSON.stringify(r), (e) => 'ERROR ' + (e && e.stack ? e.stack : String(e)));
</script>`;
  server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(app);
    else if (req.url === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  // No server when beforeAll stopped early (no Chromium): resolve at once instead of hanging the run for the hook timeout.
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('the packed package in headless Chromium', () => {
  it('runs the ticket lifecycle and a login with an SMS code on memory storage as on the sources', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/`);
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { __report?: Promise<string> };
      for (let i = 0; i < 200 && !w.__report; i++) await new Promise((r) => setTimeout(r, 25));
      return {
        report: await w.__report,
        userAgent: navigator.userAgent,
        nodeGlobals:
          typeof (globalThis as Record<string, unknown>).process +
          '/' +
          typeof (globalThis as Record<string, unknown>).require,
      };
    });
    expect(problems).toEqual([]);
    expect(outcome.userAgent).toMatch(/Chrome\//);
    expect(outcome.nodeGlobals).toBe('undefined/undefined');
    expect(outcome.report).not.toMatch(/^ERROR/);
    const report = JSON.parse(outcome.report!) as RuntimeReport;
    expect(report.lifecycle.statuses).toEqual(['new', 'pending', 'open', 'solved']);
    expect(report.login.secondLogin.amr).toEqual(['password', 'sms']);
    expect(report).toEqual(await runRuntimeScenario({ core, tickets, accounts, login, memory, testing }));
    await page.close();
  });
});
