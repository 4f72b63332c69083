import { describe, expect, it } from 'vitest';
import { AccountType, BrandRole, ProductArea, SupportLanguage } from '../src/entities/enums';
import {
  CHAT_WINDOW,
  ContactMethod,
  contactMethods,
  ENTERPRISE_WINDOW,
  enterpriseHandoverAt,
  minutesUntilOpen,
  slotFits,
  SPECIALIST_WINDOW,
  GMT_WINDOW,
  isOpen,
  JST_WINDOW,
  redirectAdvice,
  RedirectTarget,
  SupportTeam,
  SupportTopic,
  productAreaRouting,
  supportTopics,
  UnavailableReason,
  unavailableReason,
  US_BUSINESS_WINDOW,
  type ContactFacts,
  type WeeklyWindow,
} from '../src/services/support-hours';

// every instant is an absolute UTC time: results do not depend on the machine's clock or zone
const at = (iso: string) => new Date(iso);

const STANDARD: ContactFacts = { accountType: AccountType.SELF_SERVICE, role: BrandRole.STANDARD, enterpriseSeat: false, successPackage: false };
const SEAT: ContactFacts = { accountType: AccountType.ENTERPRISE, role: BrandRole.STANDARD, enterpriseSeat: true, successPackage: true };

describe('support hours: window edges (pure, zone-independent)', () => {
  const cases: [string, WeeklyWindow, string, boolean][] = [
    // CON-5 chat, Friday 16:29 / 16:30 Denver, in winter (MST, UTC-7) and summer (MDT, UTC-6)
    ['CON-5 chat Fri 16:29 MST open', CHAT_WINDOW, '2026-11-06T23:29:00Z', true],
    ['CON-5 chat Fri 16:30 MST closed', CHAT_WINDOW, '2026-11-06T23:30:00Z', false],
    ['CON-5 chat Fri 16:29 MDT open', CHAT_WINDOW, '2026-07-10T22:29:00Z', true],
    ['CON-5 chat Fri 16:30 MDT closed', CHAT_WINDOW, '2026-07-10T22:30:00Z', false],
    ['CON-5 chat Mon 06:59 MST closed', CHAT_WINDOW, '2026-11-02T13:59:00Z', false],
    ['CON-5 chat Mon 07:00 MST open', CHAT_WINDOW, '2026-11-02T14:00:00Z', true],
    ['CON-5 chat Saturday noon closed', CHAT_WINDOW, '2026-11-07T19:00:00Z', false],
    // ENT-2 Enterprise: Sunday 17:00 start, Friday 17:00 end (Denver)
    ['ENT-2 Sun 16:59 MST closed', ENTERPRISE_WINDOW, '2026-11-08T23:59:00Z', false],
    ['ENT-2 Sun 17:00 MST open', ENTERPRISE_WINDOW, '2026-11-09T00:00:00Z', true],
    ['ENT-2 Wed 03:00 MST open', ENTERPRISE_WINDOW, '2026-11-11T10:00:00Z', true],
    ['ENT-2 Fri 16:59 MST open', ENTERPRISE_WINDOW, '2026-11-06T23:59:00Z', true],
    ['ENT-2 Fri 17:00 MST closed', ENTERPRISE_WINDOW, '2026-11-07T00:00:00Z', false],
    ['ENT-2 Saturday closed', ENTERPRISE_WINDOW, '2026-11-07T18:00:00Z', false],
    // DST switch days in Denver: 2026-03-08 (spring forward, 17:00 is MDT = 23:00Z), 2026-11-01 (fall back, 17:00 is MST = 00:00Z)
    ['ENT-2 DST 2026-03-08 Sun 16:59 MDT closed', ENTERPRISE_WINDOW, '2026-03-08T22:59:00Z', false],
    ['ENT-2 DST 2026-03-08 Sun 17:00 MDT open', ENTERPRISE_WINDOW, '2026-03-08T23:00:00Z', true],
    ['ENT-2 DST 2026-11-01 Sun 16:59 MST closed', ENTERPRISE_WINDOW, '2026-11-01T23:59:00Z', false],
    ['ENT-2 DST 2026-11-01 Sun 17:00 MST open', ENTERPRISE_WINDOW, '2026-11-02T00:00:00Z', true],
    // the hour after fall-back: 23:00Z on 2026-11-01 is 16:00 MST (a fixed -6 offset would say 17:00)
    ['ENT-2 DST 2026-11-01 23:00Z is 16:00 MST closed', ENTERPRISE_WINDOW, '2026-11-01T23:00:00Z', false],
    // chat on the Monday after spring forward: 07:00 MDT = 13:00Z
    ['CON-5 chat Mon 2026-03-09 06:59 MDT closed', CHAT_WINDOW, '2026-03-09T12:59:00Z', false],
    ['CON-5 chat Mon 2026-03-09 07:00 MDT open', CHAT_WINDOW, '2026-03-09T13:00:00Z', true],
    // CON-8 GMT is fixed UTC+0: in British summer time 07:00 GMT is still 07:00Z
    ['CON-8 GMT Mon 06:59 closed', GMT_WINDOW, '2026-07-06T06:59:00Z', false],
    ['CON-8 GMT Mon 07:00 open', GMT_WINDOW, '2026-07-06T07:00:00Z', true],
    ['CON-8 GMT Mon 15:29 open', GMT_WINDOW, '2026-07-06T15:29:00Z', true],
    ['CON-8 GMT Mon 15:30 closed', GMT_WINDOW, '2026-07-06T15:30:00Z', false],
    // CON-8 JST 09:00–17:00 (Monday in Tokyo is still Sunday in UTC)
    ['CON-8 JST Mon 08:59 closed', JST_WINDOW, '2026-11-01T23:59:00Z', false],
    ['CON-8 JST Mon 09:00 open', JST_WINDOW, '2026-11-02T00:00:00Z', true],
    ['CON-8 JST Mon 16:59 open', JST_WINDOW, '2026-11-02T07:59:00Z', true],
    ['CON-8 JST Mon 17:00 closed', JST_WINDOW, '2026-11-02T08:00:00Z', false],
    // CON-8 US business hours, 08:00–17:00 America/New_York (EDT in July, EST in November)
    ['CON-8 US Mon 08:00 EDT open', US_BUSINESS_WINDOW, '2026-07-06T12:00:00Z', true],
    ['CON-8 US Mon 07:59 EDT closed', US_BUSINESS_WINDOW, '2026-07-06T11:59:00Z', false],
    ['CON-8 US Fri 16:59 EST open', US_BUSINESS_WINDOW, '2026-11-06T21:59:00Z', true],
    ['CON-8 US Fri 17:00 EST closed', US_BUSINESS_WINDOW, '2026-11-06T22:00:00Z', false],
  ];
  it.each(cases)('%s', (_name, window, iso, open) => {
    expect(isOpen(window, at(iso))).toBe(open);
  });
});

describe('support hours: method rules (pure)', () => {
  const MON_0800_DENVER = at('2026-11-02T15:00:00Z');
  const SAT = at('2026-11-07T18:00:00Z');
  const cases: [string, ContactMethod, ContactFacts, ProductArea, SupportLanguage, Date, UnavailableReason | null][] = [
    ['CON-5 chat English Survey Platform in hours', ContactMethod.CHAT, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER, null],
    ['CON-5 chat Spanish Survey Platform', ContactMethod.CHAT, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.SPANISH, MON_0800_DENVER, null],
    ['CON-5 chat Spanish CX Dashboards', ContactMethod.CHAT, STANDARD, ProductArea.CX_DASHBOARDS, SupportLanguage.SPANISH, MON_0800_DENVER, UnavailableReason.LANGUAGE_NOT_OFFERED],
    ['CON-5 chat German', ContactMethod.CHAT, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.GERMAN, MON_0800_DENVER, UnavailableReason.LANGUAGE_NOT_OFFERED],
    ['CON-5 chat SSO not covered', ContactMethod.CHAT, STANDARD, ProductArea.SSO_SETUP, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.PRODUCT_NOT_COVERED],
    ['CON-5 chat Saturday', ContactMethod.CHAT, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, SAT, UnavailableReason.OUT_OF_HOURS],
    ['CON-5 chat free license', ContactMethod.CHAT, { ...STANDARD, accountType: AccountType.FREE }, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.LICENSE],
    ['CON-6 email English Saturday', ContactMethod.EMAIL, STANDARD, ProductArea.SSO_SETUP, SupportLanguage.ENGLISH, SAT, null],
    ['CON-8 email German on Saturday accepted (asynchronous, picked up Monday)', ContactMethod.EMAIL, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.GERMAN, SAT, null],
    ['CON-8 email Japanese at 00:00 JST accepted', ContactMethod.EMAIL, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.JAPANESE, MON_0800_DENVER, null],
    ['CON-8 email Spanish not offered', ContactMethod.EMAIL, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.SPANISH, MON_0800_DENVER, UnavailableReason.LANGUAGE_NOT_OFFERED],
    ['CON-8 phone German at 15:00 GMT', ContactMethod.PHONE, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.GERMAN, MON_0800_DENVER, null],
    ['CON-8 phone Japanese at 00:00 JST', ContactMethod.PHONE, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.JAPANESE, MON_0800_DENVER, UnavailableReason.OUT_OF_HOURS],
    ['CON-7 phone English Saturday (24×7)', ContactMethod.PHONE, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, SAT, null],
    ['ENT-3 conference without success package', ContactMethod.CONFERENCE, STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.NOT_SUCCESS_PACKAGE],
    ['ENT-3 conference seat holder', ContactMethod.CONFERENCE, SEAT, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER, null],
    ['ENT-3 conference area not covered', ContactMethod.CONFERENCE, SEAT, ProductArea.ACCESSIBILITY, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.PRODUCT_NOT_COVERED],
    ['ENT-3 conference non-enterprise license', ContactMethod.CONFERENCE, { ...SEAT, accountType: AccountType.SELF_SERVICE }, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.LICENSE],
    ['CON-3 XM Discover goes to a separate team', ContactMethod.EMAIL, STANDARD, ProductArea.XM_DISCOVER_SOCIAL_CONNECT, SupportLanguage.ENGLISH, MON_0800_DENVER, UnavailableReason.SEPARATE_TEAM],
  ];
  it.each(cases)('%s', (_name, method, facts, area, language, now, expected) => {
    expect(unavailableReason(method, facts, area, language, now)).toBe(expected);
  });

  it('ENT-1/ENT-2/ENT-4: seat holders see the Enterprise Support label where that team answers now; outside 24×5 (Saturday) general support handles e-mail and phone, unlabelled', () => {
    const inWindow = contactMethods(SEAT, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER);
    const phone = inWindow.find((m) => m.method === ContactMethod.PHONE)!;
    expect(phone).toMatchObject({ available: true, enterpriseSupport: 'Enterprise Support', handledBy: SupportTeam.ENTERPRISE_SUPPORT, recommendedForUrgent: true });
    expect(inWindow.find((m) => m.method === ContactMethod.CHAT)!.enterpriseSupport).toBeNull();
    const weekend = contactMethods(SEAT, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, SAT);
    expect(weekend.find((m) => m.method === ContactMethod.EMAIL)).toMatchObject({ available: true, enterpriseSupport: null, handledBy: SupportTeam.GENERAL_SUPPORT });
    expect(weekend.find((m) => m.method === ContactMethod.PHONE)).toMatchObject({ enterpriseSupport: null, handledBy: SupportTeam.GENERAL_SUPPORT, recommendedForUrgent: false });
    // ENT-1: an area Enterprise Support does not serve (Accessibility) is general support's, unlabelled, even inside 24×5
    const accessibility = contactMethods(SEAT, ProductArea.ACCESSIBILITY, SupportLanguage.ENGLISH, MON_0800_DENVER);
    expect(accessibility.every((m) => m.enterpriseSupport === null && m.handledBy === SupportTeam.GENERAL_SUPPORT)).toBe(true);
    const standard = contactMethods(STANDARD, ProductArea.SURVEY_PLATFORM, SupportLanguage.ENGLISH, MON_0800_DENVER);
    expect(standard.every((m) => m.enterpriseSupport === null)).toBe(true);
  });

  it('CON-2: standard users are pointed to their brand admin, brand admins to their account team and get theme requests', () => {
    expect(redirectAdvice(BrandRole.STANDARD).checkWith).toBe(RedirectTarget.BRAND_ADMIN);
    expect(redirectAdvice(BrandRole.BRAND_ADMIN).checkWith).toBe(RedirectTarget.ACCOUNT_TEAM);
    expect(supportTopics(BrandRole.STANDARD, ProductArea.SURVEY_PLATFORM)).not.toContain(SupportTopic.THEME_REQUEST);
    expect(supportTopics(BrandRole.BRAND_ADMIN, ProductArea.SURVEY_PLATFORM)).toContain(SupportTopic.THEME_REQUEST);
  });

  it('CON-2, CON-3: topics per role and product area — theme requests where surveys are built, none for the separate XM Discover team', () => {
    const themes = (role: BrandRole) => Object.values(ProductArea).filter((area) => supportTopics(role, area).includes(SupportTopic.THEME_REQUEST));
    expect(themes(BrandRole.BRAND_ADMIN)).toEqual([ProductArea.SURVEY_PLATFORM, ProductArea.EMPLOYEE_ENGAGEMENT, ProductArea.EMPLOYEE_360]);
    expect(themes(BrandRole.STANDARD)).toEqual([]);
    for (const role of [BrandRole.STANDARD, BrandRole.BRAND_ADMIN]) {
      expect(supportTopics(role, ProductArea.XM_DISCOVER_SOCIAL_CONNECT)).toEqual([]);
      expect(supportTopics(role, ProductArea.CX_DASHBOARDS)).toEqual([SupportTopic.TECHNICAL_ISSUE, SupportTopic.HOW_TO_QUESTION, SupportTopic.LOGIN_AND_ACCOUNT_ACCESS, SupportTopic.OTHER_REQUEST]);
    }
    expect(productAreaRouting(ProductArea.XM_DISCOVER_SOCIAL_CONNECT)).toEqual({ team: SupportTeam.XM_DISCOVER_SUPPORT, separateTeam: true });
    expect(productAreaRouting(ProductArea.SURVEY_PLATFORM)).toEqual({ team: SupportTeam.GENERAL_SUPPORT, separateTeam: false });
  });
});

describe('opening times (PHN-2 with CON-8, ENT-3, ENT-4)', () => {
  it('CON-8: minutesUntilOpen is 0 inside a window and counts to the next opening outside it', () => {
    // Monday 16:00 GMT: German opens Tuesday 07:00 GMT, 15 hours later
    expect(minutesUntilOpen(GMT_WINDOW, new Date('2026-11-02T16:00:00Z'))).toBe(15 * 60);
    expect(minutesUntilOpen(GMT_WINDOW, new Date('2026-11-02T10:00:00Z'))).toBe(0);
    // Friday 16:00 GMT: Monday 07:00 GMT
    expect(minutesUntilOpen(GMT_WINDOW, new Date('2026-11-06T16:00:00Z'))).toBe((2 * 24 + 15) * 60);
  });

  const SAT = at('2026-11-07T18:00:00Z');
  const MON_0800_DENVER = at('2026-11-02T15:00:00Z');
  it('ENT-4: a seat holder on Saturday is handed over at Sunday 17:00 America/Denver', () => {
    expect(enterpriseHandoverAt(SEAT, SAT, ProductArea.SURVEY_PLATFORM)?.toISOString()).toBe('2026-11-09T00:00:00.000Z');
    expect(enterpriseHandoverAt(SEAT, MON_0800_DENVER, ProductArea.SURVEY_PLATFORM)).toBeNull();
    expect(enterpriseHandoverAt(SEAT, SAT, ProductArea.ACCESSIBILITY)).toBeNull();
    expect(enterpriseHandoverAt(STANDARD, SAT, ProductArea.SURVEY_PLATFORM)).toBeNull();
  });

  it('ENT-3: a conference slot must fit inside the specialists’ hours', () => {
    expect(slotFits(SPECIALIST_WINDOW, new Date('2026-11-03T16:00:00Z'), 60)).toBe(true); // Tue 09:00 Denver
    expect(slotFits(SPECIALIST_WINDOW, new Date('2026-11-03T23:30:00Z'), 60)).toBe(false); // Tue 16:30 Denver, ends 17:30
    expect(slotFits(SPECIALIST_WINDOW, new Date('2026-11-07T17:00:00Z'), 60)).toBe(false); // Saturday
  });
});
