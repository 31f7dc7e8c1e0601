import { describe, expect, it } from 'vitest';
import * as entry from '../../src/recovery/index.js';

// `helpdesk-core/recovery` declares what a host may build on; the service itself comes from
// createHelpdesk, so nothing that needs the library's internals is exported here.

describe('the helpdesk-core/recovery entry', () => {
  it('exports the machine, schemas, policy, labels and error codes', () => {
    expect(Object.keys(entry)).toEqual(
      expect.arrayContaining([
        'recoveryMachine',
        'RECOVERY_STATUSES',
        'openRecoverySchema',
        'recoveryActorSchema',
        'defaultRecoveryPolicy',
        'recoveryErrors',
        'recoveryStepLabel',
        'lostFactorLabel',
      ]),
    );
  });

  it('exports no service factory, record kind or aggregate', () => {
    const names = Object.keys(entry);
    expect(names.filter((name) => /^create|_KIND$|^recoveryCases$|^to[A-Z]\w*View$/.test(name))).toEqual([]);
  });
});
