/**
 * For tests that build an AuthContext by hand (test/accounts/_harness.ts `authFor`): stores the
 * session such a context would come from, so step-up checks (which read the stored session, never
 * the caller's `amr` / `authenticatedAt`) see the same `amr` and `authenticatedAt`.
 */
import type { AuthContext } from '../../src/accounts/principal.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Storage } from '../../src/ports/storage.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { webCryptoRandom } from '../../src/ports/random-source.js';
import { openSession } from '../../src/sessions/issuer.js';
import { defaultSessionPolicy } from '../../src/sessions/policy.js';

/** `auth` with the `sessionId` of a new stored session holding its `amr` and `authenticatedAt`. */
export async function withStoredSession(storage: Storage, clock: Clock, auth: AuthContext): Promise<AuthContext> {
  // No cap: these stand for sessions a desk with a larger (or no) cap let pile up.
  const policy = { ...defaultSessionPolicy, maxPerSubject: null };
  const issuer = { policy, random: webCryptoRandom, mac: async () => 'not-a-real-mac' };
  const opened = await runCommand(
    storage,
    () => clock.now(),
    (uow) =>
      openSession(issuer, uow, {
        principal: auth.principal,
        amr: auth.amr,
        authenticatedAt: auth.authenticatedAt,
        label: null,
      }),
  );
  return { ...auth, sessionId: opened.sessionId };
}
