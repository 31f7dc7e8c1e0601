import { queueMessage } from '../engine/notify.js';
import { mailboxOf } from '../engine/sending-budget.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { formatDuration } from '../messages/duration.js';
import type { Locale } from '../messages/locales.js';
import { holdsErasedIdentifier } from '../privacy/tombstones.js';
import { rateKey, takeRate } from '../security/rate-limiter.js';
import { stepAccountStatus } from './account-machine.js';
import type { AccountKit } from './context.js';
import { tokenFailure, tokenFailureOf } from './error-codes.js';
import { resolveIdentifier } from './lookups.js';
import { accepted, type AcceptedResponse, type ActivateResult } from './results.js';
import {
  activateSchema,
  registerSchema,
  resendActivationSchema,
  type ActivateInput,
  type RegisterInput,
  type ResendActivationInput,
} from './schemas.js';
import {
  EMAIL_CLAIM_KIND,
  LOGIN_CLAIM_KIND,
  claim,
  findAccountById,
  recordAccountHistory,
  writeAccount,
  type AccountRecord,
} from './store.js';

const anonymous = { role: 'anonymous' } as const;
/**
 * Rate-window key of the collision mails to one mailbox ("already registered", "username
 * unavailable"): repeated registrations must not turn the desk into a mail cannon (issue 15). Keyed
 * by the mailbox as the sending budget folds it (case, `+tag`): `bystander+1@` is `bystander@`.
 */
const collisionMailKey = (address: string) => rateKey('registration_notice', mailboxOf(address));

/** A new personal account, waiting for activation: it cannot log in until its link is followed. */
function personalAccount(
  id: string,
  fields: Pick<AccountRecord, 'username' | 'email' | 'phone' | 'displayName' | 'locale'>,
  passwordHash: string,
  now: number,
): AccountRecord {
  return {
    id,
    kind: 'personal',
    username: fields.username,
    login: fields.username,
    organizationId: null,
    email: fields.email,
    phone: fields.phone,
    displayName: fields.displayName,
    locale: fields.locale,
    status: 'pending_activation',
    isMainAdmin: false,
    permissions: [],
    passwordHash,
    mustChangePassword: false,
    temporaryPasswordHash: null,
    temporaryPasswordExpiresAt: null,
    passwordChangedAt: now,
    activationTokenId: null,
    resetTokenId: null,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
  };
}

/** Registration of personal accounts and their activation (see {@link AccountService} for each rule). */
export function createRegistrationCommands(kit: AccountKit) {
  const { deps, policy, hasher, links } = kit;
  const { ids } = deps;

  /** A new activation link (the previous one superseded), mailed; returns the account pointing at it. */
  async function issueActivation(uow: UnitOfWork, account: AccountRecord): Promise<AccountRecord> {
    const { tokens } = kit.configured();
    await tokens.supersede(uow, account.activationTokenId);
    const issued = await tokens.issue(uow, 'activation', account.id, policy.activationTtl);
    queueMessage(uow, ids, 'email', account.email, 'account.activation', account.locale, {
      name: account.displayName || account.login, // greets by display name, else the login
      link: links.activation(issued.token),
      expiresIn: formatDuration(policy.activationTtl, account.locale),
    });
    return { ...account, activationTokenId: issued.id, updatedAt: uow.now };
  }

  /**
   * A registration that collides: the owner of a taken email is told by mail, the registrant of
   * a taken username at the address they gave. True when it collided (nothing is created).
   */
  /**
   * True when the registration collides and creates nothing: the email is an account's (its owner
   * is told), or the username is taken or was erased within the cooling period (the registrant is
   * told it is not available, alike: an erased username must not answer differently from a taken
   * one, docs/privacy.md).
   */
  async function collision(
    uow: UnitOfWork,
    p: { username: string; email: string; locale?: Locale | undefined },
    erasedUsername: () => Promise<boolean>,
  ) {
    const window = { limit: policy.requestsPerWindow, windowMs: policy.requestWindow };
    // Over the window the mail is dropped silently (as for reset requests): the answer stays the same.
    const mayMail = (address: string) => takeRate(uow, collisionMailKey(address), window);
    const emailClaim = await uow.load(EMAIL_CLAIM_KIND, p.email);
    const loginClaim = await uow.load(LOGIN_CLAIM_KIND, p.username);
    if (emailClaim) {
      const owner = await findAccountById(uow, (emailClaim.state as { accountId: string }).accountId);
      if (owner) {
        const { email, locale, login, id, displayName } = owner.value;
        if (await mayMail(email))
          queueMessage(uow, ids, 'email', email, 'account.already_registered', locale, {
            name: displayName || login, // greets by display name, else the login
            login,
          });
        recordAccountHistory(uow, id, 'account.registration_attempted', anonymous, { collision: 'email' });
      }
      return true;
    }
    if (!loginClaim && !(await erasedUsername())) return false;
    const locale = p.locale ?? deps.locale;
    if (await mayMail(p.email))
      queueMessage(uow, ids, 'email', p.email, 'account.username_unavailable', locale, { username: p.username });
    if (loginClaim) {
      const ownerId = (loginClaim.state as { accountId: string }).accountId;
      recordAccountHistory(uow, ownerId, 'account.registration_attempted', anonymous, { collision: 'username' });
    }
    return true;
  }

  return {
    async register(input: RegisterInput): Promise<AcceptedResponse> {
      const { macs } = kit.configured();
      const p = parseInput(registerSchema, input, 'registration');
      kit.requirePassword(p.password, [p.username, p.email]);
      // Hashed on every path, so a taken username does not answer faster.
      const passwordHash = await hasher.hash(p.password);
      await kit.run(async (uow) => {
        // An erased email (within the cooling period): nothing is created or mailed (a mail would go
        // to that address, to no one else), and the answer is the same as ever (docs/privacy.md).
        if (await holdsErasedIdentifier(uow, macs, [p.email], uow.now)) return;
        // An erased username is answered as a taken one, in collision(). An erased person's phone
        // number is not held back: numbers are not unique to an account, and a registration with
        // one answers as with any other, so the registrant's mail says nothing of an erasure.
        const erasedUsername = () => holdsErasedIdentifier(uow, macs, [p.username], uow.now);
        if (await collision(uow, p, erasedUsername)) return;
        const id = ids.next('acc_');
        const { username, email, displayName } = p;
        const fields = { username, email, displayName, phone: p.phone ?? null, locale: p.locale ?? deps.locale };
        const account = await issueActivation(uow, personalAccount(id, fields, passwordHash, uow.now));
        writeAccount(uow, account, true);
        claim(uow, LOGIN_CLAIM_KIND, p.username, { accountId: id });
        claim(uow, EMAIL_CLAIM_KIND, p.email, { accountId: id });
        recordAccountHistory(uow, id, 'account.registered', anonymous, {
          kind: 'personal',
          locale: account.locale,
          withPhone: account.phone !== null,
        });
      });
      return accepted();
    },

    async activate(input: ActivateInput): Promise<ActivateResult> {
      const { tokens } = kit.configured();
      const p = parseInput(activateSchema, input, 'activation');
      return kit.run(async (uow): Promise<ActivateResult> => {
        const submitted = await tokens.submit(uow, 'activation', p.token);
        if (submitted.outcome !== 'accepted') return tokenFailureOf(submitted.outcome);
        const found = submitted.accountId ? await findAccountById(uow, submitted.accountId) : null;
        if (!found) return tokenFailure('TOKEN_INVALID');
        const account = found.value;
        const step = stepAccountStatus(account, { type: 'activate', at: uow.now });
        if (!step.accepted) return tokenFailure('TOKEN_INVALID');
        const activated = { status: step.status, activatedAt: uow.now, activationTokenId: null, updatedAt: uow.now };
        writeAccount(uow, { ...account, ...activated });
        recordAccountHistory(uow, account.id, 'account.activated', { role: 'account', id: account.id }, {});
        return { ok: true, accountId: account.id, login: account.login };
      });
    },

    async resendActivation(input: ResendActivationInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(resendActivationSchema, input, 'activation re-send');
      await kit.run(async (uow) => {
        const { account } = await resolveIdentifier(uow, p.identifier);
        if (!account || account.value.status !== 'pending_activation') return;
        const window = { limit: policy.requestsPerWindow, windowMs: policy.requestWindow };
        // Over the limit the request is dropped silently: the answer stays the same.
        if (!(await takeRate(uow, `activation:${account.value.id}`, window))) return;
        writeAccount(uow, await issueActivation(uow, account.value));
        recordAccountHistory(uow, account.value.id, 'account.activation_resent', anonymous, {});
      });
      return accepted();
    },
  };
}
