import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { RecordReader } from '../engine/aggregate.js';
import type { Sealed } from '../security/sealing.js';
import type { StoredBackupCode } from './backup-codes.js';

/** The record kind of an account's enrolled factors (id: the account id). */
export const FACTOR_SET_KIND = 'account_factors';

/** Every record kind the factors module writes. */
export const FACTOR_RECORD_KINDS = [FACTOR_SET_KIND] as const;

/** The second factors an account can hold. */
export const FACTOR_TYPES = ['sms', 'email', 'totp', 'backup_codes'] as const;
/** One of `FACTOR_TYPES`: `sms`, `email`, `totp` or `backup_codes`. */
export type FactorType = (typeof FACTOR_TYPES)[number];

/** A factor as stored: never a secret in clear (the TOTP secret is sealed, backup codes are HMACs). */
export interface StoredFactor {
  id: string;
  type: FactorType;
  /** The user's name for it, e.g. `Work phone app`. */
  label: string;
  /** `pending` until confirmed with a first code; only `active` factors count at login and step-up. */
  status: 'pending' | 'active';
  createdAt: number;
  confirmedAt: number | null;
  /** `totp`: the secret sealed with the host key (AES-GCM, bound to account and factor). */
  sealedSecret?: Sealed;
  /** `totp`: the last time step accepted, so each step works once. */
  lastUsedStep?: number | null;
  /** `backup_codes`: the set, as HMACs with their use. */
  backupCodes?: StoredBackupCode[];
  /** While `pending`: wrong first codes still allowed (a TOTP has no code record to count them). */
  attemptsLeft?: number;
  /** `email`: the verified address codes go to; `sms`: the E.164 number. */
  address?: string;
}

/** An account's factors. An account with no record has its phone on record as its only factor. */
export interface FactorSetRecord {
  accountId: string;
  factors: StoredFactor[];
  /** True once the phone on record was removed as a factor (an account without a record uses it). */
  phoneFactorRemoved: boolean;
  /** The new address of an email change until its code is confirmed. */
  pendingEmail?: string;
  updatedAt: number;
}

/** A copy of the account's factor set as stored, or an empty one that has not been written yet. */
export async function loadFactorSet(reader: RecordReader, accountId: string): Promise<FactorSetRecord> {
  const record = await reader.load(FACTOR_SET_KIND, accountId);
  // Stored states are frozen; commands edit a copy and write it back.
  // A mutable copy made in this realm (JSON, not structuredClone: the edge sandbox runs in its own).
  if (record) return JSON.parse(JSON.stringify(record.state)) as FactorSetRecord;
  return { accountId, factors: [], phoneFactorRemoved: false, updatedAt: 0 };
}

/** Writes the factor set the unit of work loaded (created on first write). */
export function writeFactorSet(uow: UnitOfWork, set: FactorSetRecord): void {
  uow.put(FACTOR_SET_KIND, set.accountId, { state: set as unknown as Json, nextDueAt: null });
}

/** The id of the factor an account's phone on record stands for (it is not stored as a factor). */
export const PHONE_FACTOR_ID = 'phone';

/**
 * The factors usable now: the active stored ones, plus the phone on record as `sms` unless it was
 * removed (so accounts from before factors existed keep their SMS login unchanged).
 */
export function activeFactors(set: FactorSetRecord, phoneOnRecord: string | null): StoredFactor[] {
  const active = set.factors.filter((factor) => factor.status === 'active');
  if (phoneOnRecord === null || set.phoneFactorRemoved || active.some((f) => f.type === 'sms')) return active;
  const phone: StoredFactor = {
    id: PHONE_FACTOR_ID,
    type: 'sms',
    label: 'Phone',
    status: 'active',
    createdAt: 0,
    confirmedAt: 0,
    address: phoneOnRecord,
  };
  return [phone, ...active];
}
