// The packed package in an edge runtime (@edge-runtime/vm, the Vercel Edge sandbox: Web APIs,
// no `process`, no `require`): an app bundled from the installed package with the edge export
// conditions runs the ticket lifecycle and a login with an SMS code on memory storage and reports
// what the sources report.
import { EdgeVM } from '@edge-runtime/vm';
import { describe, expect, inject, it } from 'vitest';
import * as accounts from '../../src/accounts/index.js';
import * as core from '../../src/index.js';
import * as login from '../../src/login/index.js';
import * as memory from '../../src/memory.js';
import * as testing from '../../src/testing-entry.js';
import * as tickets from '../../src/tickets/index.js';
import { bundleInConsumer, scenarioPath } from '../package/packed.js';
import { BUNDLE_ENTRY, runRuntimeScenario, type RuntimeReport } from './scenario.js';

const consumerDir = inject('consumerDir');

describe('the packed package in the edge runtime', () => {
  it('runs the ticket lifecycle and a login with an SMS code on memory storage as on the sources', async () => {
    const result = await bundleInConsumer(consumerDir, BUNDLE_ENTRY(scenarioPath), {
      platform: 'browser',
      conditions: ['edge-light', 'worker'],
      format: 'iife',
      globalName: '__helpdesk',
      target: 'es2022',
    });
    const vm = new EdgeVM();
    expect(vm.evaluate<string>('typeof process + "/" + typeof require + "/" + typeof crypto.getRandomValues')).toBe(
      'undefined/undefined/function',
    );
    vm.evaluate(result.outputFiles[0]!.text);
    const json = await vm.evaluate<Promise<string>>('__helpdesk.report().then((r) => JSON.stringify(r))');
    const report = JSON.parse(json) as RuntimeReport;
    expect(report.lifecycle.statuses).toEqual(['new', 'pending', 'open', 'solved']);
    expect(report.login.secondLogin.amr).toEqual(['password', 'sms']);
    expect(report).toEqual(await runRuntimeScenario({ core, tickets, accounts, login, memory, testing }));
  });
});
