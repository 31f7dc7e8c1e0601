/**
 * Retention of lockout records (`policy.retention.lockouts`): a subject's record that counts its
 * clears (`generation`) is kept like one with known clients, but a client's record only carries
 * its subject's generation as a stamp, so it ends like any other record. Many client records
 * (one per step-up session, per remembered device) must not pile up after one reset.
 */
import { describe, expect, it } from 'vitest';
import {
  clientLockoutOf,
  emptyLockout,
  forSubject,
  lockoutEndedAt,
  recordFailure,
  recordSuccess,
  type LockoutState,
} from '../../src/security/lockout.js';

const rules = { lockoutThreshold: 5, lockoutBaseWait: 60_000, lockoutMaxWait: 900_000 };
const clearedTwice: LockoutState = { ...emptyLockout, generation: 2 };

describe("a client's lockout record ends for retention like any other", () => {
  it("a subject's record with a generation is kept", () => {
    expect(lockoutEndedAt(clearedTwice)).toBeNull();
  });

  it("a client's record stamped with the subject's generation ends after its last failure", () => {
    const counted = forSubject(clearedTwice, recordFailure(clientLockoutOf(clearedTwice, emptyLockout), 1_000, rules));
    expect(counted.generation).toBe(2);
    expect(lockoutEndedAt(counted)).toBe(1_000);
  });

  it("a client's record reset by a completed login ends at once", () => {
    expect(lockoutEndedAt(forSubject(clearedTwice, recordSuccess()))).toBe(0);
  });

  it('a deleted client record counts as much as the stamped one it replaced: nothing of an older generation', () => {
    const stamped = forSubject(clearedTwice, recordSuccess());
    expect(clientLockoutOf(clearedTwice, stamped)).toEqual(stamped);
    expect(clientLockoutOf(clearedTwice, { ...emptyLockout })).toMatchObject({ failures: 0, lockedUntil: null });
  });
});
