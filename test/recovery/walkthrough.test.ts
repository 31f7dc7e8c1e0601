import { describe, expect, it } from 'vitest';
import { recoveryWalkthrough } from '../../examples/recovery-walkthrough.js';
import { makeRecoveryDesk } from './_harness.js';

describe('examples/recovery-walkthrough.ts', () => {
  it('runs one case end to end', async () => {
    const h = makeRecoveryDesk();
    const lines: string[] = [];
    await recoveryWalkthrough(h.desk, (line) => lines.push(line), h.mailer, h.sms, h.clock);
    expect(lines.join('\n')).toContain('timer.complete, revokeSessions');
    expect(lines.join('\n')).toContain('Next login, after the password: awaiting_enrolment.');
    expect(lines.at(-2)).toContain('authenticated, amr password+sms');
  });
});
