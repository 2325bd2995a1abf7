import { timeZoneSchema } from '@relai/config';
import { z } from 'zod';

/**
 * When humans answer: weekly opening intervals in a time zone, minus holidays. An escalation outside
 * them goes to a team that is open (a rule's backup team), or tells the customer when a human will
 * reply instead of promising one now.
 */

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
type Day = (typeof DAYS)[number];

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clock = z.string().regex(CLOCK, 'use HH:MM (00:00-24:00)');
const intervalSchema = z
  .object({ from: clock, to: clock })
  .refine((interval) => !CLOCK.test(interval.from) || !CLOCK.test(interval.to) || minutesOf(interval.from) < minutesOf(interval.to), {
    message: '"from" must be before "to" (split a night shift at midnight)',
  });

export const businessHoursSchema = z.object({
  /** IANA time zone the intervals and holidays are in, e.g. "Europe/Paris". */
  timezone: timeZoneSchema,
  /** Opening intervals per day of the week; a day left out is closed. */
  weekly: z.partialRecord(z.enum(DAYS), z.array(intervalSchema).max(6)),
  /** Whole days closed, as YYYY-MM-DD in the time zone. */
  holidays: z.array(z.iso.date()).max(400).default([]),
});

export type BusinessHours = z.output<typeof businessHoursSchema>;

/** No team a human request could go to is open: when the team opens (null: not in the next 60 days), in its time zone. */
export interface OffHours {
  nextOpening: Date | null;
  timeZone: string;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

interface LocalTime {
  date: string;
  day: Day;
  minutes: number;
}

/** Building a formatter costs far more than using one: one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date, weekday and minute of the day of an instant in a time zone. */
function localTime(at: Date, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, day: parts.weekday!.toLowerCase() as Day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant a wall-clock time of a date has in a time zone. */
function instantOf(date: string, minutes: number, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const offsetAt = (instant: number) => {
    const local = localTime(new Date(instant), timeZone);
    return Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000 - instant;
  };
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  const readsAs = (instant: number) => {
    const local = localTime(new Date(instant), timeZone);
    return local.date === date && local.minutes === minutes;
  };
  const exact = [first, second].filter(readsAs);
  // Twice on the clock (autumn): the first time; never (spring gap): the instant the clock jumps to.
  return new Date(exact.length ? Math.min(...exact) : Math.max(first, second));
}

export function isOpen(hours: BusinessHours, at: Date): boolean {
  const local = localTime(at, hours.timezone);
  if (hours.holidays.includes(local.date)) return false;
  return (hours.weekly[local.day] ?? []).some((interval) => minutesOf(interval.from) <= local.minutes && local.minutes < minutesOf(interval.to));
}

/** Looking this far ahead is enough for any real schedule (a long holiday closure included). */
const LOOKAHEAD_DAYS = 60;

/** When the next opening interval starts after `at` (`at` itself when open); null: never in the next 60 days. */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  if (isOpen(hours, at)) return at;
  const today = localTime(at, hours.timezone);
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    // Noon UTC of each following day names the calendar date whatever the zone's offset.
    const date = new Date(Date.parse(`${today.date}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    if (hours.holidays.includes(date)) continue;
    const day = DAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    const starts = (hours.weekly[day] ?? []).map((interval) => minutesOf(interval.from)).sort((a, b) => a - b);
    for (const start of starts) {
      const opening = instantOf(date, start, hours.timezone);
      if (opening.getTime() > at.getTime()) return opening;
    }
  }
  return null;
}
