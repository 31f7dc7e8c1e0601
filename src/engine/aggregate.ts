import type {
  AnyMachineSnapshot,
  AnyStateMachine,
  ContextFrom,
  EventFromLogic,
  InputFrom,
  SnapshotFrom,
  StateValue,
} from 'xstate';
import { frozenCopy } from '../_lib/json.js';
import { commonErrors, type HelpdeskError } from '../errors.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import { assertInertMachine, initialStep, stepMachine, type EffectAction } from './machine-step.js';
import type { UnitOfWork } from './unit-of-work.js';

/** A loaded state's stored form, and a snapshot's frozen value and context, cached on the object. */
const STORED_FORM = Symbol('storedForm');
const FROZEN_SNAPSHOT = Symbol('frozenSnapshot');

/**
 * The value under `key` on `target`, made once. Kept as a non-enumerable property rather than in a
 * `WeakMap` (whose entries the GC must walk; ~1 % of a lifecycle in an A/B, bench/PROFILE.md):
 * a spread copy (`{ ...loaded, extra }`, xstate's next snapshot) does not inherit it, so a changed
 * copy never reuses a stale form. A frozen target is not cached on.
 */
function cachedOn<T>(target: object, key: symbol, make: () => T): T {
  const found = (target as Record<symbol, T | undefined>)[key];
  if (found !== undefined) return found;
  const made = make();
  if (Object.isExtensible(target)) Object.defineProperty(target, key, { value: made });
  return made;
}

/** Anything records can be read from: a unit of work (inside a command) or the storage (for reads). */
export interface RecordReader {
  load(kind: string, id: string): Promise<StoredRecord | null>;
}

/** Fields stored beside the machine snapshot (e.g. a recovery case's session-revocation state). */
export type ExtraFields = Record<string, Json>;

/** A record of an aggregate as a command sees it: the machine snapshot, the extra fields, the version read. */
export interface Loaded<M extends AnyStateMachine, X extends ExtraFields = Record<never, never>> {
  readonly snapshot: SnapshotFrom<M>;
  readonly extra: X;
  /** The version this command read (0 for a record it creates). The commit stores `version + 1`. */
  readonly version: number;
}

/** How one record kind is stored and stepped. Everything a service would otherwise repeat per command. */
export interface AggregateDefinition<M extends AnyStateMachine, X extends ExtraFields> {
  /** The record kind, e.g. `ticket`. */
  kind: string;
  machine: M;
  /** The record id of a snapshot. */
  idOf(context: ContextFrom<M>): string;
  /** Exact-match keys the store can list by (`status`, `requester`, ...). */
  indexes(snapshot: SnapshotFrom<M>, extra: X): Record<string, string>;
  /** The record's earliest deadline, fired by `runDueTimers()`; null for none. */
  nextDueAt(snapshot: SnapshotFrom<M>, extra: X): number | null;
  /** The error for a missing record (e.g. TICKET_NOT_FOUND). */
  notFound(id: string): HelpdeskError;
  /**
   * The error for an event the machine has no transition for. Default: TRANSITION_NOT_ALLOWED
   * naming the record, its state and the event. The explanation of a refusal belongs here,
   * beside the machine, not in each command.
   */
  refusal?(snapshot: SnapshotFrom<M>, event: EventFromLogic<M>, extra: X): HelpdeskError;
  /** The extra fields of a new record. Default: none. */
  initialExtra?: X;
}

/** The result of {@link Aggregate.apply}: the next state (not yet committed) and the effects to carry out. */
export interface Applied<M extends AnyStateMachine, X extends ExtraFields, E extends EffectAction> {
  next: Loaded<M, X>;
  effects: E[];
  /** The state value before the event. */
  from: StateValue;
}

/** A history entry of one record, written in the command's commit. */
export interface HistoryNote {
  type: string;
  actor: Json;
  data: Json;
}

/**
 * One record kind run by the engine: load → restore → step → save, history and effects, all
 * inside the caller's unit of work (so everything a command does commits at once, guarded by
 * the versions it read). Built once per kind with {@link defineAggregate}.
 */
export interface Aggregate<M extends AnyStateMachine, X extends ExtraFields, E extends EffectAction> {
  readonly kind: string;
  readonly machine: M;
  /** The record, or null. Inside a command pass the unit of work; for a read, the storage. */
  find(reader: RecordReader, id: string): Promise<Loaded<M, X> | null>;
  /** The record, or the definition's not-found error. */
  load(reader: RecordReader, id: string): Promise<Loaded<M, X>>;
  /** A stored record of this kind, restored. */
  fromRecord(record: StoredRecord): Loaded<M, X>;
  /** Creates a record from the machine's initial state for `input` (the commit fails if it exists). */
  create(uow: UnitOfWork, input: InputFrom<M>, extra?: X): Applied<M, X, E>;
  /** The machine's answer to `event`, or null when it has no transition for it. Pure: writes nothing. */
  step(loaded: Loaded<M, X>, event: EventFromLogic<M>): { next: Loaded<M, X>; effects: E[] } | null;
  /**
   * Steps and saves: the refusal error when the machine has no transition for the event;
   * otherwise the next state is written to `uow` (with `extra` replaced when given), with the
   * history entry when given (or built from the next state and the state before), and the
   * effects are returned for the caller to carry out in the same unit of work.
   */
  apply(
    uow: UnitOfWork,
    loaded: Loaded<M, X>,
    event: EventFromLogic<M>,
    options?: { history?: HistoryNote | ((next: Loaded<M, X>, from: StateValue) => HistoryNote); extra?: X },
  ): Applied<M, X, E>;
  /** Writes the record as it is (e.g. to end a sweep's claim, or after changing `extra`). */
  save(uow: UnitOfWork, loaded: Loaded<M, X>): Loaded<M, X>;
  /** Appends a history entry to record `id` of this kind. */
  record(uow: UnitOfWork, id: string, note: HistoryNote): void;
  /**
   * The stored form of a state (what the store holds and views are built from): a frozen plain-JSON
   * copy, made once per state and shared by its write and its view. Throws NON_JSON_STATE or
   * INVALID_INPUT when the state is not storable JSON.
   */
  persisted(loaded: Loaded<M, X>): { value: Json; context: Json } & X;
}

/**
 * Declares one record kind. Services then read as a list of commands (parse, load, step,
 * answer); see `docs/engine.md` for a worked example.
 */
export function defineAggregate<M extends AnyStateMachine, X extends ExtraFields, E extends EffectAction>(
  definition: AggregateDefinition<M, X>,
): Aggregate<M, X, E> {
  const { kind, machine } = definition;
  assertInertMachine(machine);
  const plain = (snapshot: SnapshotFrom<M>) => snapshot as unknown as AnyMachineSnapshot & { context: ContextFrom<M> };
  const idOf = (snapshot: SnapshotFrom<M>) => definition.idOf(plain(snapshot).context);
  const noExtra = (definition.initialExtra ?? {}) as X;

  // One frozen copy per state: the write stores it (a store shares a frozen copy instead of
  // copying it again) and the command's view is built from it, so a command copies its state once.
  // A save that changes only `extra` (a message's counter after a reply's step) keeps the snapshot,
  // so its value and context are shared, not copied a second time.
  const persisted = (loaded: Loaded<M, X>) =>
    cachedOn(loaded, STORED_FORM, () => {
      const frozen = cachedOn(loaded.snapshot, FROZEN_SNAPSHOT, () => {
        const { value, context } = plain(loaded.snapshot);
        return frozenCopy({ value, context }) as { value: Json; context: Json };
      });
      // The frozen value and context are checked JSON: this copies only the extra fields.
      return frozenCopy({ ...loaded.extra, value: frozen.value, context: frozen.context }) as {
        value: Json;
        context: Json;
      } & X;
    });

  function fromRecord(record: StoredRecord): Loaded<M, X> {
    const { value, context, ...extra } = record.state as { value: Json; context: Json } & Record<string, Json>;
    const snapshot = machine.resolveState({ value: value as never, context: context as never }) as SnapshotFrom<M>;
    return { snapshot, extra: extra as X, version: record.version };
  }

  function write(uow: UnitOfWork, loaded: Loaded<M, X>, create: boolean): void {
    const id = idOf(loaded.snapshot);
    const change = {
      state: persisted(loaded),
      indexes: definition.indexes(loaded.snapshot, loaded.extra),
      nextDueAt: definition.nextDueAt(loaded.snapshot, loaded.extra),
    };
    if (create) uow.create(kind, id, change);
    else uow.put(kind, id, change);
  }

  function record(uow: UnitOfWork, id: string, note: HistoryNote): void {
    uow.history({ kind, id, at: uow.now, type: note.type, actor: note.actor, data: note.data });
  }

  function defaultRefusal(snapshot: SnapshotFrom<M>, event: EventFromLogic<M>): HelpdeskError {
    const id = idOf(snapshot);
    const status = plain(snapshot).value;
    const state = JSON.stringify(status);
    return commonErrors.raise(
      'TRANSITION_NOT_ALLOWED',
      { kind, id, status, command: event.type },
      `Cannot ${event.type} ${kind} ${id}: it is ${state}.`,
    );
  }

  const aggregate: Aggregate<M, X, E> = {
    kind,
    machine,
    async find(reader, id) {
      const stored = await reader.load(kind, id);
      return stored ? fromRecord(stored) : null;
    },
    async load(reader, id) {
      const stored = await reader.load(kind, id);
      if (!stored) throw definition.notFound(id);
      return fromRecord(stored);
    },
    fromRecord,
    create(uow, input, extra) {
      const { snapshot, effects } = initialStep(machine, input);
      const next: Loaded<M, X> = { snapshot, extra: extra ?? noExtra, version: 0 };
      write(uow, next, true);
      return { next, effects: effects as E[], from: plain(snapshot).value };
    },
    step(loaded, event) {
      const result = stepMachine(machine, loaded.snapshot, event);
      if (!result.accepted) return null;
      return { next: { ...loaded, snapshot: result.snapshot }, effects: result.effects as E[] };
    },
    apply(uow, loaded, event, options = {}) {
      const stepped = aggregate.step(loaded, event);
      if (!stepped) throw (definition.refusal ?? defaultRefusal)(loaded.snapshot, event, loaded.extra);
      const next = options.extra === undefined ? stepped.next : { ...stepped.next, extra: options.extra };
      write(uow, next, false);
      const from = plain(loaded.snapshot).value;
      const note = typeof options.history === 'function' ? options.history(next, from) : options.history;
      if (note) record(uow, idOf(next.snapshot), note);
      return { next, effects: stepped.effects, from };
    },
    save(uow, loaded) {
      write(uow, loaded, false);
      return loaded;
    },
    record,
    persisted,
  };
  return aggregate;
}
