import { listAll } from '../engine/list-all.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { SessionIssuer } from './issuer.js';
import { constantTimeEqual } from '../security/index.js';
import { mintToken, secretMatches, splitToken } from './tokens.js';

/** The record kind of remembered devices (id `dev_…`; indexed by `accountId` and `state`). */
export const DEVICE_KIND = 'remembered_device';

/** The MAC purpose of device token secrets. */
export const DEVICE_TOKEN_PURPOSE = 'device_token';

/** Why a remembered device stopped counting. */
export type DeviceEndReason =
  'revoked_by_user' | 'password_reset' | 'password_changed' | 'account_disabled' | 'recovery_completed' | 'expired';

/** A stored remembered device. Never holds the token: only its HMAC. */
export interface DeviceRecord {
  id: string;
  accountId: string;
  label: string | null;
  tokenMac: string;
  createdAt: number;
  /** Skips the second factor while `at < expiresAt`. */
  expiresAt: number;
  endedAt: number | null;
  endReason: DeviceEndReason | null;
}

/** What the host gets once, after a second factor with `rememberDevice: true`. */
export interface DeviceGrant {
  /** Opaque; keep it in its own long-lived HttpOnly cookie and pass it to `submitPassword`. */
  token: string;
  expiresAt: number;
}

/** A device as `desk.sessions.devices` lists it: no token, no MAC. */
export interface DeviceView {
  id: string;
  label: string | null;
  createdAt: number;
  expiresAt: number;
}

const active = (d: DeviceRecord) => d.endedAt === null;

function write(uow: UnitOfWork, device: DeviceRecord, create: boolean): void {
  const change = {
    state: { ...device },
    indexes: { accountId: device.accountId, state: active(device) ? 'active' : 'ended' },
    nextDueAt: active(device) ? device.expiresAt : null,
  };
  if (create) uow.create(DEVICE_KIND, device.id, change);
  else uow.put(DEVICE_KIND, device.id, change);
}

const fromRecord = (record: StoredRecord | null) => (record ? (record.state as unknown as DeviceRecord) : null);

/** Remembers the device of a login that just passed a second factor; the token is returned once. */
export async function rememberDevice(
  issuer: SessionIssuer,
  uow: UnitOfWork,
  accountId: string,
  label: string | null,
): Promise<DeviceGrant> {
  const minted = await mintToken(issuer.random, issuer.mac, 'dev_', DEVICE_TOKEN_PURPOSE);
  const expiresAt = uow.now + issuer.policy.deviceTtl;
  write(
    uow,
    {
      id: minted.id,
      accountId,
      label,
      tokenMac: minted.mac,
      createdAt: uow.now,
      expiresAt,
      endedAt: null,
      endReason: null,
    },
    true,
  );
  return { token: minted.token, expiresAt };
}

/**
 * Whether `token` is a live remembered device of `accountId`: well formed, known, its secret's
 * MAC equal (constant time), not ended, `now < expiresAt`. Any other answer is false, alike.
 */
export async function deviceRemembered(
  issuer: SessionIssuer,
  uow: UnitOfWork,
  token: string,
  accountId: string,
): Promise<boolean> {
  const parts = splitToken(token, 'dev_');
  if (!parts) return false;
  const device = fromRecord(await uow.load(DEVICE_KIND, parts.id));
  if (!device || !active(device) || device.accountId !== accountId || uow.now >= device.expiresAt) return false;
  return secretMatches(issuer.mac, DEVICE_TOKEN_PURPOSE, parts.secret, device.tokenMac);
}

/**
 * A device token given before the account is known (`login.start`), kept with the flow until the
 * password step: the device id and the MAC of its secret, never the token itself.
 */
export interface DeviceClaim {
  deviceId: string;
  tokenMac: string;
}

/** The claim of a well-formed device token, or null (a malformed one is ignored, like an unknown one). */
export async function deviceClaimOf(issuer: SessionIssuer, token: string): Promise<DeviceClaim | null> {
  const parts = splitToken(token, 'dev_');
  if (!parts) return null;
  return { deviceId: parts.id, tokenMac: await issuer.mac(DEVICE_TOKEN_PURPOSE, parts.secret) };
}

/**
 * Whether a claim names a live remembered device of `accountId` (the same checks as
 * {@link deviceRemembered}). No account (an unknown login): false, after the same read, so an
 * unknown login costs what a known one does.
 */
export async function claimRemembered(uow: UnitOfWork, claim: DeviceClaim, accountId: string | null): Promise<boolean> {
  const device = fromRecord(await uow.load(DEVICE_KIND, claim.deviceId));
  if (!device || !active(device) || device.accountId !== accountId || uow.now >= device.expiresAt) return false;
  return constantTimeEqual(claim.tokenMac, device.tokenMac);
}

/** The active devices of an account, however many there are. */
export async function devicesOf(uow: UnitOfWork, accountId: string): Promise<DeviceRecord[]> {
  const found: DeviceRecord[] = [];
  for await (const record of listAll(uow.storage, DEVICE_KIND, { accountId, state: 'active' })) {
    const device = fromRecord(await uow.load(DEVICE_KIND, record.id));
    if (device && active(device)) found.push(device);
  }
  return found;
}

/** Ends one device (already ended: no write). */
export function endDevice(uow: UnitOfWork, device: DeviceRecord, reason: DeviceEndReason): void {
  if (!active(device)) return;
  write(uow, { ...device, endedAt: uow.now, endReason: reason }, false);
}

/** Ends every remembered device of an account, in the caller's unit of work; returns how many. */
export async function forgetDevices(uow: UnitOfWork, accountId: string, reason: DeviceEndReason): Promise<number> {
  const devices = await devicesOf(uow, accountId);
  for (const device of devices) endDevice(uow, device, reason);
  return devices.length;
}

/** A device record as loaded in `uow`, or null. */
export async function loadDevice(uow: UnitOfWork, id: string): Promise<DeviceRecord | null> {
  return fromRecord(await uow.load(DEVICE_KIND, id));
}

/** The view of a device. */
export const deviceView = (d: DeviceRecord): DeviceView => ({
  id: d.id,
  label: d.label,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
});
