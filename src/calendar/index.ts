export {
  calendarSchema,
  workingIntervalSchema,
  holidaySchema,
  parseCalendar,
  WEEKDAYS,
  type BusinessCalendar,
  type BusinessCalendarInput,
  type WorkingInterval,
  type Holiday,
  type Weekday,
} from './schema.js';
export { addBusinessTime, businessTimeBetween, isWithinBusinessHours } from './business-time.js';
export { MIN_INSTANT, MAX_INSTANT, MAX_SPAN_MS } from './_guards.js';
