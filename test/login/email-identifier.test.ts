import { describe, expect, it } from 'vitest';
import { makeLoginDesk, makePersonal } from './_harness.js';

// Issue 18: the Hungarian source lets users log in with an email address or a phone number and a
// password; an address typed at the identifier step answered INVALID_INPUT instead of a flow view.

describe('logging in with the email address of a personal account', () => {
  it('moves on to the password and logs in with the right password', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    const { flowId } = await h.desk.login.start();
    expect((await h.desk.login.submitIdentifier({ flowId, identifier: ' Alice@Example.com ' })).state).toBe(
      'awaiting_password',
    );
    const done = await h.desk.login.submitPassword({ flowId, password: alice.password });
    expect(done.state).toBe('authenticated');
    expect(done.result?.principal).toMatchObject({ type: 'account', login: 'alice' });
  });

  it("an address that is nobody's answers exactly like an unknown username", async () => {
    const h = makeLoginDesk();
    const views = [];
    for (const identifier of ['nobody@example.com', 'nobody']) {
      const { flowId } = await h.desk.login.start();
      await h.desk.login.submitIdentifier({ flowId, identifier });
      const { flowId: _id, ...view } = await h.desk.login.submitPassword({ flowId, password: 'whatever it is' });
      views.push(view);
    }
    expect(views[0]).toEqual(views[1]);
    expect(views[0]).toMatchObject({ state: 'awaiting_password', error: { code: 'WRONG_PASSWORD' } });
  });

  it('a wrong password by address counts on the same lock as by username', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    for (let i = 0; i < 5; i++) {
      const { flowId } = await h.desk.login.start();
      await h.desk.login.submitIdentifier({ flowId, identifier: i % 2 ? 'alice' : 'alice@example.com' });
      await h.desk.login.submitPassword({ flowId, password: `wrong ${i}` });
    }
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'alice' });
    expect((await h.desk.login.submitPassword({ flowId, password: alice.password })).state).toBe('locked');
  });
});
