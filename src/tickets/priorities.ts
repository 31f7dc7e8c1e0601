import { z } from 'zod';
import { commonErrors } from '../errors.js';
import type { Locale } from '../messages/locales.js';

export { LOCALES, type Locale } from '../messages/locales.js';

/** Ticket priorities, lowest first (helpdesk-account-and-priorities.el.txt). */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent', 'critical'] as const;

/** One of {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number];

/** Parses a priority. */
export const prioritySchema = z.enum(PRIORITIES);

/**
 * How a requester is advised to reach support: by phone for emergencies and
 * urgent requests, by an online ticket otherwise (support-ticket-statuses.nl.txt:
 * "Voor noodgevallen of dringende verzoeken ... via de telefoon"; "Voor
 * niet-urgente verzoeken ... online een Support Ticket").
 */
export type ChannelAdvice = 'phone' | 'online';

/** A priority's labels, definition texts and channel advice. */
export interface PriorityDefinition {
  readonly priority: Priority;
  /** Position in {@link PRIORITIES}: 0 for `low` up to 4 for `critical`. */
  readonly rank: number;
  /** The name shown to users, per locale. The Greek names are those of the source. */
  readonly labels: Readonly<Record<Locale, string>>;
  /** When to choose this priority, per locale. The Greek text is the source's, verbatim. */
  readonly definition: Readonly<Record<Locale, string>>;
  readonly channelAdvice: ChannelAdvice;
}

/**
 * The priority scale of the Greek source. English, Hungarian and Dutch
 * definitions are faithful translations of the Greek ones.
 */
export const priorityDefinitions: Readonly<Record<Priority, PriorityDefinition>> = {
  low: {
    priority: 'low',
    rank: 0,
    labels: { en: 'Low', hu: 'Alacsony', el: 'Χαμηλή', nl: 'Laag' },
    definition: {
      en: 'When the problem is not of particular importance, or you simply want to ask a general question.',
      hu: 'Ha a probléma nem különösebben fontos, vagy csak egy általános kérdést szeretnél feltenni.',
      el: 'Όταν το πρόβλημα δεν είναι ιδιαίτερης σημασίας ή απλά θέλετε να διατυπώσετε μια γενική ερώτηση.',
      nl: 'Wanneer het probleem niet van bijzonder belang is, of u gewoon een algemene vraag wilt stellen.',
    },
    channelAdvice: 'online',
  },
  normal: {
    priority: 'normal',
    rank: 1,
    labels: { en: 'Normal', hu: 'Normál', el: 'Κανονική', nl: 'Normaal' },
    definition: {
      en: 'When the problem concerns questions about using programs, or system or network settings, or (new) peripheral devices.',
      hu: 'Ha a probléma programok használatával, rendszer- vagy hálózati beállításokkal, illetve (új) perifériákkal kapcsolatos kérdés.',
      el: 'Όταν το πρόβλημα αφορά απορίες για την χρήση προγραμμάτων ή ρυθμίσεις συστήματος ή δικτύου ή (νέων) περιφερειακών συσκευών',
      nl: 'Wanneer het probleem vragen betreft over het gebruik van programma’s, systeem- of netwerkinstellingen of (nieuwe) randapparatuur.',
    },
    channelAdvice: 'online',
  },
  high: {
    priority: 'high',
    rank: 2,
    labels: { en: 'High', hu: 'Magas', el: 'Υψηλή', nl: 'Hoog' },
    definition: {
      en: 'When there is a problem with a function of your system, your network or your peripherals that keeps you from working.',
      hu: 'Ha a rendszered, a hálózatod vagy a perifériáid valamelyik funkciójában olyan hiba van, amely miatt nem tudsz dolgozni.',
      el: 'Όταν υπάρχει πρόβλημα σε κάποια λειτουργία του συστήματός σας ή του δικτύου σας ή των περιφερειακών σας που δεν σας επιτρέπει να εργαστείτε.',
      nl: 'Wanneer er een probleem is met een functie van uw systeem, uw netwerk of uw randapparatuur waardoor u niet kunt werken.',
    },
    channelAdvice: 'online',
  },
  urgent: {
    priority: 'urgent',
    rank: 3,
    labels: { en: 'Urgent', hu: 'Sürgős', el: 'Επείγουσα', nl: 'Dringend' },
    definition: {
      en: 'When a central system, a server, the web site or a mail server malfunctions, so that productive work stops at a small number of workstations.',
      hu: 'Ha egy központi rendszer, szerver, a weboldal vagy egy levelezőszerver hibásan működik, és emiatt néhány munkaállomáson leáll a termelő munka.',
      el: 'Όταν υπάρχει δυσλειτουργία σε κεντρικό σύστημα ή server ή το web site ή σε mail server με αποτέλεσμα την διακοπή της παραγωγικής λειτουργίας ενός μικρού αριθμού θέσεων εργασίας.',
      nl: 'Wanneer een centraal systeem, een server, de website of een mailserver niet goed werkt, waardoor het productieve werk op een klein aantal werkplekken stilvalt.',
    },
    channelAdvice: 'phone',
  },
  critical: {
    priority: 'critical',
    rank: 4,
    labels: { en: 'Critical', hu: 'Kritikus', el: 'Κρίσιμη', nl: 'Kritiek' },
    definition: {
      en: 'When core operating resources of the business are unreachable, the productive operation of the whole business is affected across all workstations, and you do not know the cause.',
      hu: 'Ha a vállalkozás működéséhez szükséges alapvető erőforrások nem érhetők el, a termelő működés az összes munkaállomáson érintett, és nem tudod, mi okozza a hibát.',
      el: 'Όταν δεν είναι προσβάσιμοι βασικοί πόροι λειτουργίας της επιχείρησης και επηρεάζεται καθολικά η παραγωγική λειτουργία της επιχείρησης για το σύνολο των θέσεων εργασίας και δεν γνωρίζετε την αιτία.',
      nl: 'Wanneer essentiële bedrijfsmiddelen niet bereikbaar zijn, de productieve werking van het hele bedrijf op alle werkplekken wordt getroffen en u de oorzaak niet kent.',
    },
    channelAdvice: 'phone',
  },
};

/** Compares two priorities: negative when `a` is lower than `b`, 0 when equal, positive when higher. */
export function comparePriorities(a: Priority, b: Priority): number {
  for (const [field, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (typeof value !== 'string' || !Object.hasOwn(priorityDefinitions, value))
      throw commonErrors.raise('INVALID_INPUT', { field, reason: 'unknown_priority' }, 'Unknown priority.');
  }
  return priorityDefinitions[a].rank - priorityDefinitions[b].rank;
}
