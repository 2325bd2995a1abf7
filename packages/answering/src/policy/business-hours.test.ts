import { describe, expect, it } from 'vitest';
import { businessHoursSchema, isOpen, nextOpening } from './business-hours';

const weekdays = [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }];
const paris = businessHoursSchema.parse({
  timezone: 'Europe/Paris',
  weekly: { monday: weekdays, tuesday: weekdays, wednesday: weekdays, thursday: weekdays, friday: weekdays },
  holidays: ['2026-12-25'],
});

describe('business hours', () => {
  it('is open inside an interval in the schedule\'s time zone, not in UTC', () => {
    // Monday 23 November 2026: Paris is UTC+1.
    expect(isOpen(paris, new Date('2026-11-23T08:30:00Z'))).toBe(true); // 09:30 in Paris
    expect(isOpen(paris, new Date('2026-11-23T07:30:00Z'))).toBe(false); // 08:30
    expect(isOpen(paris, new Date('2026-11-23T12:00:00Z'))).toBe(false); // 13:00, lunch
    expect(isOpen(paris, new Date('2026-11-23T17:00:00Z'))).toBe(false); // 18:00, closing time
  });

  it('finds the next opening after lunch, over a weekend and over a holiday', () => {
    expect(nextOpening(paris, new Date('2026-11-23T12:00:00Z'))?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    // Friday 27 November, 19:00 in Paris -> Monday 30 November, 09:00.
    expect(nextOpening(paris, new Date('2026-11-27T18:00:00Z'))?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    // Thursday 24 December, 20:00 -> Christmas Day is a holiday, then the weekend -> Monday 28, 09:00.
    expect(nextOpening(paris, new Date('2026-12-24T19:00:00Z'))?.toISOString()).toBe('2026-12-28T08:00:00.000Z');
    expect(nextOpening(paris, new Date('2026-11-23T08:30:00Z'))?.toISOString()).toBe('2026-11-23T08:30:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Sunday 29 March 2026 Paris moves to UTC+2: Monday 30 opens at 07:00 UTC.
    expect(nextOpening(paris, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    const montreal = businessHoursSchema.parse({ timezone: 'America/Montreal', weekly: { sunday: [{ from: '02:30', to: '05:00' }] } });
    // 8 March 2026, 02:30 does not exist in Montreal (clocks jump from 02:00 to 03:00): the later reading.
    expect(nextOpening(montreal, new Date('2026-03-07T12:00:00Z'))?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('never opens when no day has hours', () => {
    expect(nextOpening(businessHoursSchema.parse({ timezone: 'UTC', weekly: {} }), new Date('2026-11-23T08:30:00Z'))).toBeNull();
  });

  it('rejects unknown time zones, malformed times and reversed intervals with the field named', () => {
    const error = (input: unknown) => businessHoursSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(error({ timezone: 'Europe/Pariss', weekly: {} })).toEqual(['timezone: expected an IANA time zone such as "Europe/Paris"']);
    expect(error({ timezone: 'UTC', weekly: { monday: [{ from: '9h', to: '18:00' }] } })).toEqual(['weekly.monday.0.from: use HH:MM (00:00-24:00)']);
    expect(error({ timezone: 'UTC', weekly: { friday: [{ from: '22:00', to: '02:00' }] } })).toEqual(['weekly.friday.0: "from" must be before "to" (split a night shift at midnight)']);
    expect(error({ timezone: 'UTC', weekly: { funday: [] } })?.[0]).toMatch(/^weekly/);
  });
});
