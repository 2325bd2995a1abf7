import { z } from 'zod';

/** An IANA time zone name that this runtime knows ("Europe/Paris"), for schedules and business hours. */
export const timeZoneSchema = z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Paris"');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
