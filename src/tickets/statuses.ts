import { commonErrors } from '../errors.js';
import { describeValue } from '../messages/describe.js';
import { isLocale, type Locale } from '../messages/locales.js';
import type { TicketStatus } from './ticket-machine.js';

/** A status's label and one-line definition, per locale, as a requester reads them. */
export interface StatusDefinition {
  readonly status: TicketStatus;
  /** The name shown to users. The Dutch names are the source's (Open, In behandeling, In de wacht, Opgelost). */
  readonly labels: Readonly<Record<Locale, string>>;
  /** What the status means for the requester. The Dutch texts follow the source's table. */
  readonly definition: Readonly<Record<Locale, string>>;
}

/**
 * The statuses of a ticket with their labels and definitions (support-ticket-statuses.nl.txt
 * defines Open, Pending, On hold and Solved; New and Closed are this library's, see
 * docs/tickets.md), so hosts show the same words everywhere.
 */
export const statusDefinitions: Readonly<Record<TicketStatus, StatusDefinition>> = {
  new: {
    status: 'new',
    labels: { en: 'New', hu: 'Új', el: 'Νέο', nl: 'Nieuw' },
    definition: {
      en: 'Your request has been received and is waiting for a support agent.',
      hu: 'A kérésed megérkezett, és ügyintézőre vár.',
      el: 'Το αίτημά σας παραλήφθηκε και αναμένει τεχνικό υποστήριξης.',
      nl: 'Uw verzoek is ontvangen en wacht op een medewerker van de ondersteuning.',
    },
  },
  open: {
    status: 'open',
    labels: { en: 'Open', hu: 'Nyitott', el: 'Ανοιχτό', nl: 'Open' },
    definition: {
      en: 'Support is actively working on your request and will follow up with more information.',
      hu: 'Az ügyfélszolgálat aktívan dolgozik a kérésed megoldásán, és további információval jelentkezik.',
      el: 'Η υποστήριξη εργάζεται ενεργά στο αίτημά σας και θα επανέλθει με περισσότερες πληροφορίες.',
      nl: 'Ondersteuning is actief bezig met uw verzoek en zal opvolgen met meer informatie.',
    },
  },
  pending: {
    status: 'pending',
    labels: { en: 'Pending', hu: 'Válaszra vár', el: 'Σε αναμονή απάντησης', nl: 'In behandeling' },
    definition: {
      en: 'Support is waiting for your reply before continuing. Without a reply within 72 hours of our last response the ticket is solved automatically; replying afterwards reopens it.',
      hu: 'Az ügyfélszolgálat a válaszodra vár. Ha az utolsó válaszunk után 72 órán belül nem reagálsz, a bejelentés automatikusan megoldottá válik; ha később válaszolsz, újra megnyílik.',
      el: 'Η υποστήριξη περιμένει την απάντησή σας για να συνεχίσει. Αν δεν απαντήσετε μέσα σε 72 ώρες από την τελευταία μας απάντηση, το αίτημα επιλύεται αυτόματα· αν απαντήσετε αργότερα, ανοίγει ξανά.',
      nl: 'Ondersteuning wacht op uw reactie voordat een onderzoek wordt voortgezet. Als u niet reageert binnen 72 uur na onze laatste reactie, wordt het ticket automatisch Opgelost. Reageert u daarna, dan wordt het ticket heropend.',
    },
  },
  on_hold: {
    status: 'on_hold',
    labels: { en: 'On hold', hu: 'Felfüggesztve', el: 'Σε αναστολή', nl: 'In de wacht' },
    definition: {
      en: 'Support has run into unexpected behaviour and is working on a fix.',
      hu: 'Az ügyfélszolgálat váratlan működést tapasztalt, és dolgozik a javításán.',
      el: 'Η υποστήριξη εντόπισε απρόσμενη συμπεριφορά και εργάζεται για τη διόρθωσή της.',
      nl: 'Ondersteuning is een onverwacht gedrag tegengekomen en werkt aan een oplossing.',
    },
  },
  solved: {
    status: 'solved',
    labels: { en: 'Solved', hu: 'Megoldva', el: 'Επιλύθηκε', nl: 'Opgelost' },
    definition: {
      en: 'A solution has been reached and the ticket is archived. Replying reopens it.',
      hu: 'Megoldás született, a bejelentést archiváltuk. Ha válaszolsz, újra megnyílik.',
      el: 'Βρέθηκε λύση και το αίτημα αρχειοθετήθηκε. Αν απαντήσετε, ανοίγει ξανά.',
      nl: 'Er is een oplossing bereikt en het ondersteuningsticket is gearchiveerd. Reageert u, dan wordt het heropend.',
    },
  },
  closed: {
    status: 'closed',
    labels: { en: 'Closed', hu: 'Lezárva', el: 'Κλειστό', nl: 'Gesloten' },
    definition: {
      en: 'The ticket was solved and has had no activity since; a new message opens a follow-up ticket.',
      hu: 'A bejelentés megoldódott, és azóta nem volt vele tevékenység; egy új üzenet új, kapcsolódó bejelentést nyit.',
      el: 'Το αίτημα επιλύθηκε και δεν είχε έκτοτε δραστηριότητα· ένα νέο μήνυμα ανοίγει νέο, συνδεδεμένο αίτημα.',
      nl: 'Het ticket is opgelost en sindsdien niet meer gewijzigd; een nieuw bericht opent een vervolgticket.',
    },
  },
};

/**
 * The label of `status` in `locale`, e.g. `In behandeling` for `pending` in Dutch.
 * Throws `INVALID_INPUT` for an unknown status or locale.
 */
export function statusLabel(status: TicketStatus, locale: Locale): string {
  return knownStatus(status, locale).labels[locale];
}

/** The definition of a status `locale` has words for; INVALID_INPUT for anything else. */
function knownStatus(status: TicketStatus, locale: Locale): StatusDefinition {
  // Own keys only: `__proto__` or `toString` must not find Object.prototype's members.
  if (typeof status !== 'string' || !Object.hasOwn(statusDefinitions, status)) {
    throw commonErrors.raise('INVALID_INPUT', { status }, `Unknown ticket status ${describeValue(status)}.`);
  }
  if (!isLocale(locale)) {
    throw commonErrors.raise('INVALID_INPUT', { locale }, `Unknown locale ${describeValue(locale)}.`);
  }
  return statusDefinitions[status];
}

/** The statuses in lifecycle order with their definitions (a literal list, so a bundle that does not use it drops it). */
export const STATUS_DEFINITIONS: readonly StatusDefinition[] = [
  statusDefinitions.new,
  statusDefinitions.open,
  statusDefinitions.pending,
  statusDefinitions.on_hold,
  statusDefinitions.solved,
  statusDefinitions.closed,
];

/** Every status's label per locale, e.g. `statusLabels.on_hold.nl` is `In de wacht`. */
export const statusLabels: Readonly<Record<TicketStatus, Readonly<Record<Locale, string>>>> = {
  new: statusDefinitions.new.labels,
  open: statusDefinitions.open.labels,
  pending: statusDefinitions.pending.labels,
  on_hold: statusDefinitions.on_hold.labels,
  solved: statusDefinitions.solved.labels,
  closed: statusDefinitions.closed.labels,
};

/**
 * The one-line definition of `status` in `locale`, as a requester reads it (the Dutch source's for nl).
 * Throws `INVALID_INPUT` for an unknown status or locale.
 */
export function statusDefinition(status: TicketStatus, locale: Locale): string {
  return knownStatus(status, locale).definition[locale];
}
