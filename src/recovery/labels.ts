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

/** The approved step with the end of the waiting period (`waitingEndsAt`, a `formatDateTime` text). */
const APPROVED_UNTIL: Readonly<Record<Locale, (waitingEndsAt: string) => string>> = {
  en: (at) => `approved, the waiting period runs until ${at}`,
  hu: (at) => `jóváhagyva, a várakozási idő vége: ${at}`,
  el: (at) => `εγκρίθηκε, η περίοδος αναμονής λήγει στις ${at}`,
  nl: (at) => `goedgekeurd, de wachttijd loopt tot ${at}`,
};

/** The word for a recovery step in `locale`, for `{step}`. */
export function recoveryStepLabel(locale: Locale, step: RecoveryStep): string {
  return STEP_LABELS[locale][step];
}

/**
 * A step as the requester's notice names it: the approval with the end of the waiting period
 * (`waitingEndsAt`, already formatted for `locale`), any other step by its label.
 */
export function recoveryStepText(locale: Locale, step: RecoveryStep, waitingEndsAt: string | null): string {
  return step === 'approved' && waitingEndsAt !== null
    ? APPROVED_UNTIL[locale](waitingEndsAt)
    : recoveryStepLabel(locale, step);
}

/** The word for the lost factor in `locale`, for `{factor}`. */
export function lostFactorLabel(locale: Locale, factor: LostFactor): string {
  return FACTOR_LABELS[locale][factor];
}

/**
 * The ticket a new recovery case is filed under, in the requester's language: the organisation
 * and subject of its title (`Organisation - Subject`) and the description used when the request
 * gives none. The factor is named by {@link lostFactorLabel}; no article or adjective that would
 * have to agree with it in gender (Greek) is written before it.
 */
const CASE_TICKETS: Readonly<
  Record<
    Locale,
    {
      organization: string;
      subject: (factor: string, login: string) => string;
      description: (factor: string, login: string) => string;
    }
  >
> = {
  en: {
    organization: 'Account recovery',
    subject: (factor, login) => `Lost ${factor} for ${login}`,
    description: (factor, login) =>
      `The requester lost access to the ${factor} of the account ${login} and asks to recover the account.`,
  },
  hu: {
    organization: 'Fiók-helyreállítás',
    subject: (factor, login) => `Elveszett ${factor}: ${login}`,
    description: (factor, login) =>
      `Az igénylő nem fér hozzá a(z) ${login} fiók második tényezőjéhez (${factor}), és a fiók helyreállítását kéri.`,
  },
  el: {
    organization: 'Ανάκτηση λογαριασμού',
    subject: (factor, login) => `Απώλεια δεύτερου παράγοντα (${factor}): ${login}`,
    description: (factor, login) =>
      `Ο αιτών έχασε την πρόσβαση στον δεύτερο παράγοντα (${factor}) του λογαριασμού ${login} και ζητά την ανάκτηση του λογαριασμού.`,
  },
  nl: {
    organization: 'Accountherstel',
    subject: (factor, login) => `Verloren ${factor}: ${login}`,
    description: (factor, login) =>
      `De aanvrager heeft geen toegang meer tot de tweede factor (${factor}) van account ${login} en vraagt om herstel van het account.`,
  },
};

/** The organisation, subject and default description of the ticket a recovery case of `login` opens, in `locale`. */
export function recoveryTicketText(
  locale: Locale,
  factor: LostFactor,
  login: string,
): { organization: string; subject: string; description: string } {
  const text = CASE_TICKETS[locale];
  const factorLabel = lostFactorLabel(locale, factor);
  return {
    organization: text.organization,
    subject: text.subject(factorLabel, login),
    description: text.description(factorLabel, login),
  };
}

/**
 * An instant as `2026-03-03 09:00 UTC`: the same in every locale, and unambiguous. Only for the SMS that
 * carries a cancel link (`{waitingEndsAt}` of `recovery.sms_approved`): a localised date and the link do not
 * fit one SMS. Mails write dates with `formatDateTime`.
 */
export function formatInstant(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
