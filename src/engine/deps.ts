import type { SendingBudgetPolicy } from './sending-budget.js';
import type { Locale } from '../messages/locales.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { RandomSource } from '../ports/random-source.js';
import type { Storage } from '../ports/storage.js';

/** The ports every service is built from; `createHelpdesk` fills in the defaults. */
export interface CoreDeps {
  storage: Storage;
  clock: Clock;
  ids: IdGenerator;
  random: RandomSource;
  /** Locale of messages when the recipient has none. */
  locale: Locale;
  /** The per-recipient sending budget the storage decorator enforces; services read it to answer truthfully. */
  sending: SendingBudgetPolicy;
}
