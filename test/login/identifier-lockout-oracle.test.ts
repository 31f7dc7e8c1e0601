/**
 * The lockout must not tell whether an identifier has an account: every spelling the account
 * lookup treats as one (case, Unicode NFKC, surrounding spaces) shares one lock, for a known and
 * for an unknown identifier alike.
 */
import { describe, expect, it } from 'vitest';
import { makeLoginDesk, makePersonal, type LoginHarness } from './_harness.js';

async function attempt(h: LoginHarness, identifier: string, password: string) {
  const { flowId } = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return h.desk.login.submitPassword({ flowId, password });
}

/** The first letter in its fullwidth form (`ａ` for `a`), which NFKC folds back. */
const fullwidthFirst = (s: string) => String.fromCharCode(s.charCodeAt(0) + 0xfee0) + s.slice(1);

describe('the lockout does not reveal whether an email address has an account', () => {
  it.each(['alice@example.com', 'nobody@example.com', 'nobody'])(
    'five failures on %s lock its fullwidth, upper-case and spaced spellings alike',
    async (identifier) => {
      const h = makeLoginDesk();
      const alice = await makePersonal(h);
      await h.desk.accounts.activate({ token: alice.token });
      for (let i = 0; i < 5; i++) await attempt(h, identifier, `guess ${i}`);
      for (const variant of [identifier.toUpperCase(), fullwidthFirst(identifier), `  ${identifier} `]) {
        const view = await attempt(h, variant, 'one more guess');
        expect({ variant, state: view.state, code: view.error?.code }).toEqual({
          variant,
          state: 'locked',
          code: 'LOCKED',
        });
      }
    },
  );
});
