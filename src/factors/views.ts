import { maskPhone } from '../accounts/phone.js';
import { backupCodesLeft } from './backup-codes.js';
import type { FactorType, StoredFactor } from './factor-record.js';

/** A factor as the host shows it: never its secret, the address masked. */
export interface FactorView {
  id: string;
  type: FactorType;
  label: string;
  status: 'pending' | 'active';
  createdAt: number;
  confirmedAt: number | null;
  /** `sms`: the masked number; `email`: the masked address; otherwise null. */
  maskedAddress: string | null;
  /** `backup_codes`: how many codes are still unused; otherwise null. */
  backupCodesLeft: number | null;
}

/** `alice@example.com` → `a***@example.com`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** The view of a stored factor. */
export function factorView(factor: StoredFactor): FactorView {
  const address = factor.address ?? null;
  return {
    id: factor.id,
    type: factor.type,
    label: factor.label,
    status: factor.status,
    createdAt: factor.createdAt,
    confirmedAt: factor.confirmedAt,
    maskedAddress:
      address === null
        ? null
        : factor.type === 'sms'
          ? maskPhone(address)
          : factor.type === 'email'
            ? maskEmail(address)
            : null,
    backupCodesLeft: factor.backupCodes ? backupCodesLeft(factor.backupCodes) : null,
  };
}
