// The packed package from Node 20 consumers: every entry point can be `import`ed and `require`d,
// and the runtime scenario (the ticket lifecycle, a login with an SMS code) runs the same from an
// ESM and from a CJS app as on the sources.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as accounts from '../../src/accounts/index.js';
import * as core from '../../src/index.js';
import * as login from '../../src/login/index.js';
import * as memory from '../../src/memory.js';
import * as testing from '../../src/testing-entry.js';
import * as tickets from '../../src/tickets/index.js';
import { runRuntimeScenario, type RuntimeReport } from '../runtime/scenario.js';
import { bundleInConsumer, exportedSubpaths, scenarioPath, specifierOf } from './packed.js';

const consumerDir = inject('consumerDir');
const node = (file: string, ...args: string[]) =>
  execFileSync(process.execPath, [...args, file], { cwd: consumerDir, encoding: 'utf8' });

let reference: RuntimeReport;
beforeAll(async () => {
  reference = await runRuntimeScenario({ core, tickets, accounts, login, memory, testing });
});

describe('the packed package in Node', () => {
  it('exports the entry points of the design, each with ESM and CJS files', () => {
    const subpaths = exportedSubpaths(consumerDir);
    expect(subpaths).toEqual(
      expect.arrayContaining(['.', './tickets', './accounts', './login', './memory', './testing']),
    );
  });

  it('can be imported (ESM) at every entry point; createHelpdesk is there', () => {
    const subpaths = exportedSubpaths(consumerDir);
    const file = join(consumerDir, 'import-all.mjs');
    writeFileSync(
      file,
      [
        ...subpaths.map((s, i) => `import * as m${i} from ${JSON.stringify(specifierOf(s))};`),
        `const loaded = { ${subpaths.map((s, i) => `${JSON.stringify(s)}: Object.keys(m${i}).length`).join(', ')} };`,
        `console.log(JSON.stringify({ loaded, createHelpdesk: typeof m0.createHelpdesk }));`,
      ].join('\n'),
    );
    const out = JSON.parse(node(file)) as { loaded: Record<string, number>; createHelpdesk: string };
    expect(out.createHelpdesk).toBe('function');
    for (const subpath of subpaths) expect(out.loaded[subpath], subpath).toBeGreaterThan(0);
  });

  it('can be required (CJS) at every entry point; createHelpdesk is there', () => {
    const subpaths = exportedSubpaths(consumerDir);
    const file = join(consumerDir, 'require-all.cjs');
    writeFileSync(
      file,
      [
        `const loaded = {};`,
        ...subpaths.map(
          (s) => `loaded[${JSON.stringify(s)}] = Object.keys(require(${JSON.stringify(specifierOf(s))})).length;`,
        ),
        `console.log(JSON.stringify({ loaded, createHelpdesk: typeof require('helpdesk-core').createHelpdesk,`,
        `  resolved: require.resolve('helpdesk-core') }));`,
      ].join('\n'),
    );
    const out = JSON.parse(node(file)) as { loaded: Record<string, number>; createHelpdesk: string; resolved: string };
    expect(out.createHelpdesk).toBe('function');
    expect(out.resolved).toMatch(/node_modules[\\/]helpdesk-core[\\/]dist[\\/]index\.cjs$/);
    for (const subpath of subpaths) expect(out.loaded[subpath], subpath).toBeGreaterThan(0);
  });

  for (const format of ['esm', 'cjs'] as const) {
    it(`runs the ticket lifecycle and a login with an SMS code from a ${format.toUpperCase()} app as on the sources`, async () => {
      const entry = `
        import * as core from 'helpdesk-core';
        import * as tickets from 'helpdesk-core/tickets';
        import * as accounts from 'helpdesk-core/accounts';
        import * as login from 'helpdesk-core/login';
        import * as memory from 'helpdesk-core/memory';
        import * as testing from 'helpdesk-core/testing';
        import { runRuntimeScenario } from ${JSON.stringify(scenarioPath)};
        runRuntimeScenario({ core, tickets, accounts, login, memory, testing }).then(
          (report) => console.log(JSON.stringify(report)),
          (error) => { console.error(error); process.exitCode = 1; },
        );`;
      // The scenario is bundled in; the package stays an `import` / `require` of the installed one.
      const result = await bundleInConsumer(consumerDir, entry, {
        platform: 'node',
        format,
        target: 'node20',
        external: ['helpdesk-core', 'helpdesk-core/*'],
      });
      const code = result.outputFiles[0]!.text;
      expect(code).toContain(format === 'esm' ? 'from "helpdesk-core"' : 'require("helpdesk-core")');
      const file = join(consumerDir, format === 'esm' ? 'lifecycle.mjs' : 'lifecycle.cjs');
      writeFileSync(file, code);
      const report = JSON.parse(node(file)) as RuntimeReport;
      expect(report.lifecycle.statuses).toEqual(['new', 'pending', 'open', 'solved']);
      expect(report.login.secondLogin.amr).toEqual(['password', 'sms']);
      expect(report).toEqual(reference);
    });
  }

  it('ships what the README promises and no sources or tests', () => {
    const manifest = JSON.parse(readFileSync(join(consumerDir, 'node_modules/helpdesk-core/package.json'), 'utf8')) as {
      sideEffects: unknown;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['hash-wasm', 'nodemailer', 'xstate', 'zod']);
    // Only the argon2 entry needs hash-wasm and only the nodemailer entry (type-only) names nodemailer:
    // hosts that do not use them never install them.
    expect(manifest.peerDependenciesMeta).toEqual({
      'hash-wasm': { optional: true },
      nodemailer: { optional: true },
    });
    const listing = execFileSync('find', ['node_modules/helpdesk-core', '-type', 'f'], {
      cwd: consumerDir,
      encoding: 'utf8',
    });
    expect(listing).not.toMatch(/node_modules\/helpdesk-core\/(src|test|bench|scratch)\//);
  });
});
