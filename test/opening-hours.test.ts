import { describe, expect, it } from 'vitest';
import { hoursOf, HoursKind, localInstant, openingState, windowsOf } from '../src/services/opening-hours';
import { CHAT_WINDOW, ENTERPRISE_WINDOW, type WeeklyWindow } from '../src/services/support-hours';

const DAY = 24 * 60;
/** A Berlin office window, Monday–Friday 07:00–15:30 local: Europe's switches move its instants. */
const BERLIN: WeeklyWindow = { name: 'Berlin office', timeZone: 'Europe/Berlin', intervals: [1, 2, 3, 4, 5].map((d) => [d * DAY + 7 * 60, d * DAY + 15 * 60 + 30] as const) };
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('opening hours as data (issue 17 point 2; pure, zone-independent)', () => {
  it.each([
    // [zone, local date, local minute, instant] — either side of each 2026 switch
    ['Europe/Berlin', '2026-03-28', 7 * 60, '2026-03-28T06:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', 7 * 60, '2026-03-29T05:00:00.000Z'],
    ['Europe/Berlin', '2026-10-24', 7 * 60, '2026-10-24T05:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', 7 * 60, '2026-10-25T06:00:00.000Z'],
    ['America/Denver', '2026-03-07', 17 * 60, '2026-03-08T00:00:00.000Z'],
    ['America/Denver', '2026-03-08', 17 * 60, '2026-03-08T23:00:00.000Z'],
    ['America/Denver', '2026-10-31', 7 * 60, '2026-10-31T13:00:00.000Z'],
    ['America/Denver', '2026-11-01', 7 * 60, '2026-11-01T14:00:00.000Z'],
    ['Etc/GMT', '2026-03-29', 7 * 60, '2026-03-29T07:00:00.000Z'],
  ])('local %s %s minute %i is %s', (zone, date, minute, instant) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(localInstant(zone, y, m, d, minute).toISOString()).toBe(instant);
  });

  it('DST: the next opening across a switch keeps the local time and moves the instant', () => {
    // Friday 2026-03-27 after closing in Berlin (CET): Monday 07:00 is CEST, 05:00Z (06:00Z before the switch)
    expect(openingState(BERLIN, new Date('2026-03-27T15:00:00Z'))).toEqual({ openNow: false, opensAt: new Date('2026-03-30T05:00:00Z'), closesAt: null });
    // Friday 2026-10-23 after closing (CEST): Monday 2026-10-26 07:00 is CET, 06:00Z
    expect(iso(openingState(BERLIN, new Date('2026-10-23T14:00:00Z')).opensAt)).toBe('2026-10-26T06:00:00.000Z');
    // Denver chat: Friday 2026-03-06 16:35 MST → Monday 07:00 MDT = 13:00Z; Friday 2026-10-30 16:35 MDT → Monday 07:00 MST = 14:00Z
    expect(iso(openingState(CHAT_WINDOW, new Date('2026-03-06T23:35:00Z')).opensAt)).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(openingState(CHAT_WINDOW, new Date('2026-10-30T22:35:00Z')).opensAt)).toBe('2026-11-02T14:00:00.000Z');
    // open now: when the current window closes, on the switch day itself
    expect(openingState(BERLIN, new Date('2026-03-30T10:00:00Z'))).toEqual({ openNow: true, opensAt: null, closesAt: new Date('2026-03-30T13:30:00Z') });
    // Enterprise opens on the Sunday of the switch at 17:00 MDT (23:00Z) and stays open until Friday 17:00 MDT
    expect(iso(openingState(ENTERPRISE_WINDOW, new Date('2026-03-07T18:00:00Z')).opensAt)).toBe('2026-03-08T23:00:00.000Z');
    expect(iso(openingState(ENTERPRISE_WINDOW, new Date('2026-03-10T18:00:00Z')).closesAt)).toBe('2026-03-13T23:00:00.000Z');
    // the week wraps: Saturday → Monday
    expect(iso(openingState(CHAT_WINDOW, new Date('2026-11-07T18:00:00Z')).opensAt)).toBe('2026-11-09T14:00:00.000Z');
  });

  it('windows are grouped by day with local times; a span over days says how many days later it closes', () => {
    expect(windowsOf(CHAT_WINDOW)).toEqual([{ days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], opens: '07:00', closes: '16:30', closesDaysLater: 0, timeZone: 'America/Denver' }]);
    expect(windowsOf(ENTERPRISE_WINDOW)).toEqual([{ days: ['SUNDAY'], opens: '17:00', closes: '17:00', closesDaysLater: 5, timeZone: 'America/Denver' }]);
    expect(hoursOf('ALWAYS', new Date())).toMatchObject({ kind: HoursKind.ALWAYS, openNow: true, windows: [] });
    expect(hoursOf('NOT_OFFERED', new Date())).toMatchObject({ kind: HoursKind.NOT_OFFERED, openNow: false, opensAt: null });
  });
});
