import type { Locale } from '../messages/locales.js';
import type { LostFactor, RecoveryStep } from './recovery-machine.js';

// Words the recovery notices fill in (`{step}`, `{factor}`), per locale.

const STEP_LABELS: Readonly<Record<Locale, Record<RecoveryStep, string>>> = {
  en: {
    approved: 'approved, the waiting period runs',
    completed: 'completed',
    cancelled: 'cancelled',
    rejected: 'rejected',
    expired: 'closed without evidence',
  },
  hu: {
    approved: 'jóváhagyva, a várakozási idő fut',
    completed: 'befejezve',
    cancelled: 'visszavonva',
    rejected: 'elutasítva',
    expired: 'bizonyíték hiányában lezárva',
  },
  el: {
    approved: 'εγκρίθηκε, η περίοδος αναμονής τρέχει',
    completed: 'ολοκληρώθηκε',
    cancelled: 'ακυρώθηκε',
    rejected: 'απορρίφθηκε',
    expired: 'έκλεισε χωρίς αποδεικτικά στοιχεία',
  },
  nl: {
    approved: 'goedgekeurd, de wachttijd loopt',
    completed: 'voltooid',
    cancelled: 'geannuleerd',
    rejected: 'afgewezen',
    expired: 'gesloten zonder bewijs',
  },
};

const FACTOR_LABELS: Readonly<Record<Locale, Record<LostFactor, string>>> = {
  en: { phone: 'phone number', email: 'email address', authenticator: 'authenticator app' },
  hu: { phone: 'telefonszám', email: 'e-mail-cím', authenticator: 'hitelesítő alkalmazás' },
  el: { phone: 'αριθμός τηλεφώνου', email: 'διεύθυνση email', authenticator: 'εφαρμογή ελέγχου ταυτότητας' },
  nl: { phone: 'telefoonnummer', email: 'e-mailadres', authenticator: 'authenticator-app' },
};

/** The word for a recovery step in `locale`, for `{step}`. */
export function recoveryStepLabel(locale: Locale, step: RecoveryStep): string {
  return STEP_LABELS[locale][step];
}

/** The word for the lost factor in `locale`, for `{factor}`. */
export function lostFactorLabel(locale: Locale, factor: LostFactor): string {
  return FACTOR_LABELS[locale][factor];
}

/** An instant as `2026-03-03 09:00 UTC`: the same in every locale, and unambiguous. */
export function formatInstant(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
