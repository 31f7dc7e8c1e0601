import type { z } from 'zod';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { currentPrincipal, requirePermission, type Actor } from './actor.js';
import type { AccountKit } from './context.js';
import type { Permission } from './permissions.js';
import type { AuthContext } from './principal.js';

/** What an administrative command's rule sees: its unit of work, the parsed input and the actor as stored now. */
export interface AdminScope<P> {
  uow: UnitOfWork;
  input: P;
  actor: Actor;
}

/** One administrative command of an organisation: everything that differs between them. */
export interface AdminCommandSpec<S extends z.ZodType<{ auth: AuthContext }>, R, V> {
  /** The input schema; its `auth` is the caller. */
  schema: S;
  /** Names the input in INVALID_INPUT messages, e.g. `permission change`. */
  what: string;
  /**
   * The permission the actor must hold now (PERMISSION_DENIED otherwise). Default: none, only
   * an active member of an organisation; the rule checks the rest.
   */
  permission?: Permission;
  /**
   * The rule, inside one unit of work: check, write, history, outbox. Whatever it writes
   * commits at once, guarded by the versions it read; a throw commits nothing.
   */
  run(scope: AdminScope<z.output<S>>): Promise<R>;
  /** The answer, after the commit (and the place for effects outside the store, e.g. session revocation). */
  answer(result: R, input: z.output<S>): Promise<V>;
}

/**
 * The one skeleton of every administrative command: pepper check, parse (INVALID_INPUT), then
 * in one unit of work the actor as stored now and the permission check before the rule, then
 * the answer read after the commit. A command is its spec: a few lines of rule.
 */
export function adminCommand<S extends z.ZodType<{ auth: AuthContext }>, R, V>(
  kit: AccountKit,
  spec: AdminCommandSpec<S, R, V>,
): (input: z.input<S>) => Promise<V> {
  return async (input) => {
    kit.configured();
    const parsed = parseInput(spec.schema, input, spec.what);
    const result = await kit.run(async (uow) => {
      const actor = spec.permission
        ? await requirePermission(uow, parsed.auth, spec.permission)
        : await currentPrincipal(uow, parsed.auth);
      return spec.run({ uow, input: parsed, actor });
    });
    return spec.answer(result, parsed);
  };
}
