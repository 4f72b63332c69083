import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry, Ticket } from '../src/entities';
import { translate } from '../src/i18n';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const HOURS = `kind timeZone openNow opensAt closesAt summary windows { days opens closes closesDaysLater timeZone }`;
const OPTIONS = `query($area: ProductArea!, $language: SupportLanguage!) {
  supportOptions(productArea: $area, language: $language) {
    methods { method available unavailableReason unavailableMessage nextAvailableAt pickUpAt pickUpNotice hours schedule { ${HOURS} } enterpriseSchedule { ${HOURS} } }
  }
}`;
const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number } unavailableReason pickUpAt pickUpNotice userErrors { field code message } } }`;

describe.each(DATABASE_TARGETS)('structured hours and availability through the real server ($name)', (target) => {
  let t: TestServer;
  const tok: Record<string, string> = {};

  const options = async (language: string, token = tok.std, area = 'SURVEY_PLATFORM') => {
    const data = ok(await t.gql(OPTIONS, { area, language }, token));
    return Object.fromEntries(data.supportOptions.methods.map((m: any) => [m.method, m]));
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    const f = new Fixtures(t);
    await f.brand('hours');
    await f.brand('hours-succ', { successPackage: true });
    await f.account('std', 'hours');
    ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { code } } }`, {
      input: { id: 'seat', brandId: 'hours-succ', username: 'seat', email: 'seat@example.com', firstName: 'S', lastName: 'Seat', accountType: 'ENTERPRISE', enterpriseSeat: true },
    }));
    tok.std = await f.tokenFor('std');
    tok.seat = await f.tokenFor('seat');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('CON-5: chat hours as data; on the US spring-forward weekend it opens Monday 07:00 Denver = 13:00Z (not 14:00Z)', async () => {
    t.clock.now = new Date('2026-03-08T10:00:00Z'); // Sunday of the switch, 04:00 MDT
    const { CHAT } = await options('ENGLISH');
    expect(CHAT).toMatchObject({ available: false, unavailableReason: 'OUT_OF_HOURS', nextAvailableAt: '2026-03-09T13:00:00.000Z', pickUpAt: null });
    expect(CHAT.schedule).toEqual({
      kind: 'WEEKLY',
      timeZone: 'America/Denver',
      openNow: false,
      opensAt: '2026-03-09T13:00:00.000Z',
      closesAt: null,
      summary: 'Monday–Friday, 07:00–16:30 (Mountain Time)',
      windows: [{ days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], opens: '07:00', closes: '16:30', closesDaysLater: 0, timeZone: 'America/Denver' }],
    });
    expect(CHAT.unavailableMessage).toBe('Chat is closed now. It opens on Monday 07:00 (Mountain Time).');
    // fall back: Friday 2026-10-30 16:35 MDT → Monday 2026-11-02 07:00 MST = 14:00Z
    t.clock.now = new Date('2026-10-30T22:35:00Z');
    expect((await options('ENGLISH')).CHAT.schedule.opensAt).toBe('2026-11-02T14:00:00.000Z');
    // open: closesAt is the end of today's window (Monday after the switch, 16:30 MDT = 22:30Z)
    t.clock.now = new Date('2026-03-09T15:00:00Z');
    const open = (await options('ENGLISH')).CHAT;
    expect(open).toMatchObject({ available: true, nextAvailableAt: '2026-03-09T15:00:00.000Z' });
    expect(open.schedule).toMatchObject({ openNow: true, opensAt: null, closesAt: '2026-03-09T22:30:00.000Z' });
  });

  it('CON-8: German phone hours are 07:00–15:30 GMT across the European switches (2026-03-29, 2026-10-25); Portuguese follow New York (2026-11-01)', async () => {
    t.clock.now = new Date('2026-03-29T12:00:00Z'); // Sunday of Europe's spring switch
    const de = await options('GERMAN');
    expect(de.PHONE).toMatchObject({ available: false, unavailableReason: 'OUT_OF_HOURS', nextAvailableAt: '2026-03-30T07:00:00.000Z' });
    expect(de.PHONE.schedule).toMatchObject({ timeZone: 'Etc/GMT', opensAt: '2026-03-30T07:00:00.000Z', summary: 'Monday–Friday, 07:00–15:30 (GMT)' });
    t.clock.now = new Date('2026-10-25T12:00:00Z'); // Sunday of Europe's autumn switch
    expect((await options('GERMAN')).PHONE.schedule.opensAt).toBe('2026-10-26T07:00:00.000Z');
    t.clock.now = new Date('2026-10-30T21:30:00Z'); // Friday 17:30 EDT; the US falls back on Sunday
    const pt = await options('PORTUGUESE');
    expect(pt.PHONE.schedule).toMatchObject({ timeZone: 'America/New_York', opensAt: '2026-11-02T13:00:00.000Z', windows: [expect.objectContaining({ opens: '08:00', closes: '17:00' })] });
    // English is 24×7: open, with nothing to wait for
    expect((await options('ENGLISH')).PHONE.schedule).toMatchObject({ kind: 'ALWAYS', openNow: true, opensAt: null, windows: [], summary: '24 hours a day, 7 days a week' });
  });

  it('ENT-2: seat holders see the Enterprise Support hours as data: Sunday 17:00 to Friday 17:00 Denver, opening 23:00Z on the switch Sunday', async () => {
    t.clock.now = new Date('2026-03-07T18:00:00Z'); // Saturday
    const { PHONE, CHAT } = await options('ENGLISH', tok.seat);
    expect(PHONE.enterpriseSchedule).toMatchObject({
      kind: 'WEEKLY',
      openNow: false,
      opensAt: '2026-03-08T23:00:00.000Z',
      windows: [{ days: ['SUNDAY'], opens: '17:00', closes: '17:00', closesDaysLater: 5, timeZone: 'America/Denver' }],
      summary: 'Sunday 17:00 to Friday 17:00 (Mountain Time)',
    });
    expect(PHONE.hours).toBe('24 hours a day, 7 days a week; Enterprise Support: Sunday 17:00 to Friday 17:00 (Mountain Time)');
    expect(CHAT.enterpriseSchedule).toBeNull();
  });

  it('CON-8: an e-mail in German outside 07:00–15:30 GMT is accepted and says when it is picked up, in the answer language', async () => {
    t.clock.now = new Date('2026-11-07T18:00:00Z'); // Saturday
    const de = await options('GERMAN');
    expect(de.EMAIL).toMatchObject({ available: true, unavailableReason: null, pickUpAt: '2026-11-09T07:00:00.000Z' });
    expect(de.EMAIL.pickUpNotice).toBe('Your e-mail is accepted now. Support in German picks it up on Monday 07:00 (GMT).');
    const before = await t.orm.em.fork().count(Ticket, {});
    const res = await fetch(t.publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.std}`, 'accept-language': 'de-AT' },
      body: JSON.stringify({ query: EMAIL, variables: { input: { productArea: 'SURVEY_PLATFORM', language: 'GERMAN', subject: 'Export', description: 'Der Export schlägt fehl.' } } }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    const created = body.data.createEmailTicket;
    expect(created).toMatchObject({ unavailableReason: null, userErrors: [], pickUpAt: '2026-11-09T07:00:00.000Z' });
    expect(created.pickUpNotice).toBe(translate('de', 'contact.pickUp', { language: 'Deutsch', pickUpAt: new Date('2026-11-09T07:00:00Z'), timeZone: 'GMT' }, { timeZone: 'Etc/GMT' }));
    expect(created.pickUpNotice).toContain('Montag, 07:00 Uhr');
    expect(await t.orm.em.fork().count(Ticket, {})).toBe(before + 1);
    expect(await t.orm.em.fork().count(OutboxEntry, { ticketId: created.ticket.number })).toBeGreaterThan(0);
    // in hours there is nothing to wait for
    t.clock.now = new Date('2026-11-09T08:00:00Z');
    const inHours = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', language: 'GERMAN', subject: 'Export 2', description: 'Noch einmal.' } }, tok.std));
    expect(inHours.createEmailTicket).toMatchObject({ pickUpAt: null, pickUpNotice: null, userErrors: [] });
    // Spanish e-mail is not offered at all: still refused, nothing written
    const count = await t.orm.em.fork().count(Ticket, {});
    const es = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', language: 'SPANISH', subject: 'x', description: 'y' } }, tok.std));
    expect(es.createEmailTicket).toMatchObject({ ticket: null, unavailableReason: 'LANGUAGE_NOT_OFFERED', userErrors: [{ code: 'INVALID_STATE', message: 'E-mail support is not offered in Spanish.' }] });
    expect(await t.orm.em.fork().count(Ticket, {})).toBe(count);
  });

  it('supportHours: every support language with the hours of each method as data', async () => {
    t.clock.now = new Date('2026-11-07T18:00:00Z');
    const data = ok(await t.gql(`{ supportHours { language methods { method label schedule { kind timeZone openNow opensAt } } } }`, undefined, tok.std));
    const of = (language: string, method: string) => data.supportHours.find((l: any) => l.language === language).methods.find((m: any) => m.method === method).schedule;
    expect(data.supportHours).toHaveLength(8);
    expect(of('ENGLISH', 'EMAIL')).toEqual({ kind: 'ALWAYS', timeZone: null, openNow: true, opensAt: null });
    expect(of('JAPANESE', 'PHONE')).toEqual({ kind: 'WEEKLY', timeZone: 'Asia/Tokyo', openNow: false, opensAt: '2026-11-09T00:00:00.000Z' });
    expect(of('SPANISH', 'EMAIL')).toMatchObject({ kind: 'NOT_OFFERED', openNow: false });
    expect(of('SPANISH', 'CHAT')).toMatchObject({ kind: 'WEEKLY', timeZone: 'America/Denver' });
    expect(of('DUTCH', 'CHAT')).toMatchObject({ kind: 'NOT_OFFERED' });
    expect(of('FRENCH', 'CONFERENCE')).toMatchObject({ kind: 'BY_APPOINTMENT' });
  });
});
