import { AccountType, BrandRole, ProductArea, SupportLanguage, SupportTopic } from '../entities/enums';
import { isOpen, localWeekMinute, minutesUntilOpen, nextOpening, type WeeklyWindow } from './opening-hours';

// the hours model (windows, instants) lives in opening-hours.ts; these are its users' names for it
export { isOpen, localWeekMinute, minutesUntilOpen, nextOpening, type WeeklyWindow };

/**
 * Contact rules (CON-2…8, ENT-1…4) as pure functions of facts and an instant. No clock, no database:
 * every window is evaluated in its own time zone through `Intl`, so daylight saving is the zone
 * database's job, never a fixed offset.
 */

/** How a customer can reach support. */
export enum ContactMethod {
  CHAT = 'CHAT',
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  CONFERENCE = 'CONFERENCE',
}

/** Why a contact method is not offered right now. */
export enum UnavailableReason {
  OUT_OF_HOURS = 'OUT_OF_HOURS',
  LANGUAGE_NOT_OFFERED = 'LANGUAGE_NOT_OFFERED',
  PRODUCT_NOT_COVERED = 'PRODUCT_NOT_COVERED',
  LICENSE = 'LICENSE',
  NOT_SUCCESS_PACKAGE = 'NOT_SUCCESS_PACKAGE',
  SEPARATE_TEAM = 'SEPARATE_TEAM',
}

/** The team that answers a request made now. */
export enum SupportTeam {
  GENERAL_SUPPORT = 'GENERAL_SUPPORT',
  ENTERPRISE_SUPPORT = 'ENTERPRISE_SUPPORT',
  XM_DISCOVER_SUPPORT = 'XM_DISCOVER_SUPPORT',
}

const DAY = 24 * 60;
const hm = (h: number, m = 0) => h * 60 + m;
const SUN = 0;
const FRI = 5;

/** The same local hours on each weekday Monday–Friday. */
function weekdays(start: number, end: number): (readonly [number, number])[] {
  return [1, 2, 3, 4, 5].map((d) => [d * DAY + start, d * DAY + end] as const);
}

/** CON-5: chat, Monday–Friday 07:00–16:30 America/Denver. */
export const CHAT_WINDOW: WeeklyWindow = { name: 'Mon–Fri 07:00–16:30 America/Denver', timeZone: 'America/Denver', intervals: weekdays(hm(7), hm(16, 30)) };

/** ENT-2: Enterprise e-mail and phone, Sunday 17:00 to Friday 17:00 America/Denver. */
export const ENTERPRISE_WINDOW: WeeklyWindow = {
  name: 'Sun 17:00 – Fri 17:00 America/Denver',
  timeZone: 'America/Denver',
  intervals: [[SUN * DAY + hm(17), FRI * DAY + hm(17)]],
};

/**
 * CON-8 "US business hours": our reading is Monday–Friday 08:00–17:00 America/New_York (Eastern,
 * DST-aware).
 */
export const US_BUSINESS_WINDOW: WeeklyWindow = { name: 'Mon–Fri 08:00–17:00 America/New_York', timeZone: 'America/New_York', intervals: weekdays(hm(8), hm(17)) };

/** CON-8: German, French, Italian, Dutch 07:00–15:30 GMT (fixed UTC+0, no summer time), weekdays. */
export const GMT_WINDOW: WeeklyWindow = { name: 'Mon–Fri 07:00–15:30 GMT', timeZone: 'Etc/GMT', intervals: weekdays(hm(7), hm(15, 30)) };

/** CON-8: Japanese 09:00–17:00 JST, weekdays. */
export const JST_WINDOW: WeeklyWindow = { name: 'Mon–Fri 09:00–17:00 JST', timeZone: 'Asia/Tokyo', intervals: weekdays(hm(9), hm(17)) };

/** CON-8: when e-mail and phone support speak each language; English and no window means always (24×7). */
export const LANGUAGE_WINDOWS: Readonly<Record<SupportLanguage, WeeklyWindow | 'ALWAYS' | 'NOT_OFFERED'>> = {
  [SupportLanguage.ENGLISH]: 'ALWAYS',
  [SupportLanguage.SPANISH]: 'NOT_OFFERED',
  [SupportLanguage.PORTUGUESE]: US_BUSINESS_WINDOW,
  [SupportLanguage.GERMAN]: GMT_WINDOW,
  [SupportLanguage.FRENCH]: GMT_WINDOW,
  [SupportLanguage.ITALIAN]: GMT_WINDOW,
  [SupportLanguage.DUTCH]: GMT_WINDOW,
  [SupportLanguage.JAPANESE]: JST_WINDOW,
};

/** CON-5: product areas chat covers in English. */
export const CHAT_PRODUCT_AREAS: ReadonlySet<ProductArea> = new Set([
  ProductArea.SURVEY_PLATFORM,
  ProductArea.CX_DASHBOARDS,
  ProductArea.STATS_IQ_CROSSTABS,
  ProductArea.WEBSITE_APP_FEEDBACK,
  ProductArea.XM_DIRECTORY,
  ProductArea.EMPLOYEE_360,
]);

/** CON-5: Spanish chat is for Survey Platform only. */
export const SPANISH_CHAT_PRODUCT_AREAS: ReadonlySet<ProductArea> = new Set([ProductArea.SURVEY_PLATFORM]);

/** ENT-3 "some product areas": where a specialist can run a scheduled conference call. */
export const CONFERENCE_PRODUCT_AREAS: ReadonlySet<ProductArea> = new Set([
  ProductArea.SURVEY_PLATFORM,
  ProductArea.CX_DASHBOARDS,
  ProductArea.EMPLOYEE_ENGAGEMENT,
  ProductArea.EMPLOYEE_360,
  ProductArea.XM_DIRECTORY,
  ProductArea.INTEGRATIONS_API,
  ProductArea.SSO_SETUP,
]);

/**
 * ENT-1: the product areas Enterprise Support serves; a seat holder's request for any other area goes
 * to general support and carries no "Enterprise Support" label. Data, documented in
 * docs/chat-and-calls.md: change it here and there.
 */
export const ENTERPRISE_PRODUCT_AREAS: readonly ProductArea[] = [
  ProductArea.SURVEY_PLATFORM,
  ProductArea.CX_DASHBOARDS,
  ProductArea.BX_DASHBOARDS,
  ProductArea.EMPLOYEE_ENGAGEMENT,
  ProductArea.EMPLOYEE_360,
  ProductArea.XM_DIRECTORY,
  ProductArea.WEBSITE_APP_FEEDBACK,
  ProductArea.STATS_IQ_CROSSTABS,
  ProductArea.INTEGRATIONS_API,
  ProductArea.SSO_SETUP,
];
const ENTERPRISE_AREAS: ReadonlySet<ProductArea> = new Set(ENTERPRISE_PRODUCT_AREAS);

/**
 * ENT-3: the hours support specialists run scheduled conference calls, Monday–Friday 08:00–17:00
 * America/Denver; a call of `CONFERENCE_CALL_MINUTES` must fit inside them.
 */
export const SPECIALIST_WINDOW: WeeklyWindow = { name: 'Mon–Fri 08:00–17:00 America/Denver', timeZone: 'America/Denver', intervals: weekdays(hm(8), hm(17)) };

/** ENT-3: the length of a scheduled conference call, for the slot check. */
export const CONFERENCE_CALL_MINUTES = 60;

/** CON-3: routed straight to a separate support team; nothing here takes it. */
export const SEPARATE_TEAM_PRODUCT_AREAS: ReadonlySet<ProductArea> = new Set([ProductArea.XM_DISCOVER_SOCIAL_CONNECT]);

export const ENTERPRISE_SUPPORT_LABEL = 'Enterprise Support';

/** Whether the whole slot [start, start + minutes) lies inside one interval of the window (ENT-3). */
export function slotFits(window: WeeklyWindow, start: Date, minutes: number): boolean {
  const first = localWeekMinute(start, window.timeZone);
  return window.intervals.some(([from, to]) => first >= from && first + minutes <= to);
}

/** CON-8: minutes until e-mail and phone support in `language` opens (0 when open or always open). */
export function minutesUntilLanguageOpens(language: SupportLanguage, now: Date): number {
  const w = LANGUAGE_WINDOWS[language];
  return w === 'ALWAYS' || w === 'NOT_OFFERED' ? 0 : minutesUntilOpen(w, now);
}

/** Who is asking: the facts the rules depend on. */
export interface ContactFacts {
  accountType: AccountType;
  role: BrandRole;
  /** Holds an Enterprise Support seat of a brand with a success package (ENT-1). */
  enterpriseSeat: boolean;
  successPackage: boolean;
}

/** The hours a method follows: a weekly window, around the clock, not at all, or booked slots. */
export type MethodWindow = WeeklyWindow | 'ALWAYS' | 'NOT_OFFERED' | 'BY_APPOINTMENT';

export interface MethodAvailability {
  method: ContactMethod;
  available: boolean;
  unavailableReason: UnavailableReason | null;
  /** Who answers a request made now (ENT-4: general support outside the Enterprise window). */
  handledBy: SupportTeam;
  /** ENT-1: "Enterprise Support" on channels that team serves for seat holders. */
  enterpriseSupport: string | null;
  /** ENT-2: phone is the recommended method for urgent problems. */
  recommendedForUrgent: boolean;
  /** The hours the method follows in this language (CON-5, CON-6, CON-8). */
  window: MethodWindow;
  /** ENT-2: seat holders' e-mail and phone are also served by Enterprise Support in this window. */
  enterpriseWindow: WeeklyWindow | null;
  /**
   * CON-8, e-mail only: accepted now although support in this language is outside its hours; it is
   * picked up when the window next opens.
   */
  acceptedOutsideHours: boolean;
}

/** A seat holder of a success-package brand (ENT-1, ENT-3). */
export function isEnterpriseSeatHolder(facts: ContactFacts): boolean {
  return facts.enterpriseSeat && facts.successPackage;
}

/** ENT-1: whether Enterprise Support serves this product area at all. */
export function enterpriseServesArea(area: ProductArea): boolean {
  return ENTERPRISE_AREAS.has(area);
}

/** ENT-1/ENT-2/ENT-4: whether a seat holder's e-mail or phone request made now goes to Enterprise Support. */
export function enterpriseHandlesNow(facts: ContactFacts, now: Date, area?: ProductArea): boolean {
  return isEnterpriseSeatHolder(facts) && (area === undefined || enterpriseServesArea(area)) && isOpen(ENTERPRISE_WINDOW, now);
}

/**
 * ENT-4: a seat holder's request for an area Enterprise Support serves, made outside its hours, is
 * handled by general support and handed over when the window next opens: that instant, else null.
 */
export function enterpriseHandoverAt(facts: ContactFacts, now: Date, area: ProductArea): Date | null {
  if (!isEnterpriseSeatHolder(facts) || !enterpriseServesArea(area) || isOpen(ENTERPRISE_WINDOW, now)) return null;
  return nextOpening(ENTERPRISE_WINDOW, now);
}

/** CON-8: why phone in `language` is not available now, or null. */
function languageRefusal(language: SupportLanguage, now: Date): UnavailableReason | null {
  const w = LANGUAGE_WINDOWS[language];
  if (w === 'ALWAYS') return null;
  if (w === 'NOT_OFFERED') return UnavailableReason.LANGUAGE_NOT_OFFERED;
  return isOpen(w, now) ? null : UnavailableReason.OUT_OF_HOURS;
}

/**
 * CON-6, CON-8: e-mail is asynchronous. A language support does not speak at all refuses it; outside
 * the language's hours it is accepted and waits for the window to open.
 */
function emailRefusal(language: SupportLanguage): UnavailableReason | null {
  return LANGUAGE_WINDOWS[language] === 'NOT_OFFERED' ? UnavailableReason.LANGUAGE_NOT_OFFERED : null;
}

/** CON-8: e-mail in `language` accepted now but outside that language's hours. */
export function emailOutsideHours(language: SupportLanguage, now: Date): WeeklyWindow | null {
  const w = LANGUAGE_WINDOWS[language];
  return typeof w === 'object' && !isOpen(w, now) ? w : null;
}

/** The hours `method` follows in `language`. */
export function methodWindow(method: ContactMethod, language: SupportLanguage): MethodWindow {
  switch (method) {
    case ContactMethod.CHAT:
      // CON-5: English, and Spanish for Survey Platform; every other language has no chat
      return language === SupportLanguage.ENGLISH || language === SupportLanguage.SPANISH ? CHAT_WINDOW : 'NOT_OFFERED';
    case ContactMethod.EMAIL:
    case ContactMethod.PHONE:
      return LANGUAGE_WINDOWS[language];
    case ContactMethod.CONFERENCE:
      return 'BY_APPOINTMENT';
    default: {
      const never: never = method;
      throw new Error(`unknown contact method ${String(never)}`);
    }
  }
}

/** CON-5 chat rules. */
function chatRefusal(facts: ContactFacts, area: ProductArea, language: SupportLanguage, now: Date): UnavailableReason | null {
  if (facts.accountType === AccountType.FREE) return UnavailableReason.LICENSE;
  if (!CHAT_PRODUCT_AREAS.has(area)) return UnavailableReason.PRODUCT_NOT_COVERED;
  if (language !== SupportLanguage.ENGLISH && !(language === SupportLanguage.SPANISH && SPANISH_CHAT_PRODUCT_AREAS.has(area))) {
    return UnavailableReason.LANGUAGE_NOT_OFFERED;
  }
  return isOpen(CHAT_WINDOW, now) ? null : UnavailableReason.OUT_OF_HOURS;
}

/** ENT-3 conference rules (scheduling is possible at any time; the slot itself must be in the future). */
function conferenceRefusal(facts: ContactFacts, area: ProductArea): UnavailableReason | null {
  if (!isEnterpriseSeatHolder(facts)) return UnavailableReason.NOT_SUCCESS_PACKAGE;
  if (facts.accountType !== AccountType.ENTERPRISE) return UnavailableReason.LICENSE;
  if (!CONFERENCE_PRODUCT_AREAS.has(area)) return UnavailableReason.PRODUCT_NOT_COVERED;
  return null;
}

/** Why `method` is refused right now for these facts, or null when it is available (CON-4). */
export function unavailableReason(method: ContactMethod, facts: ContactFacts, area: ProductArea, language: SupportLanguage, now: Date): UnavailableReason | null {
  if (SEPARATE_TEAM_PRODUCT_AREAS.has(area)) return UnavailableReason.SEPARATE_TEAM;
  switch (method) {
    case ContactMethod.CHAT:
      return chatRefusal(facts, area, language, now);
    case ContactMethod.EMAIL:
      // CON-6: e-mail for every product and license, in the languages of CON-8, at any hour
      return emailRefusal(language);
    case ContactMethod.PHONE:
      if (facts.accountType === AccountType.FREE) return UnavailableReason.LICENSE;
      return languageRefusal(language, now);
    case ContactMethod.CONFERENCE:
      return conferenceRefusal(facts, area);
    default: {
      const never: never = method;
      throw new Error(`unknown contact method ${String(never)}`);
    }
  }
}

/** CON-4: every method with its availability now, in display order. */
export function contactMethods(facts: ContactFacts, area: ProductArea, language: SupportLanguage, now: Date): MethodAvailability[] {
  const seat = isEnterpriseSeatHolder(facts);
  const separate = SEPARATE_TEAM_PRODUCT_AREAS.has(area);
  const entNow = enterpriseHandlesNow(facts, now, area);
  return [ContactMethod.CHAT, ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.CONFERENCE].map((method) => {
    const reason = unavailableReason(method, facts, area, language, now);
    const enterpriseChannel = method !== ContactMethod.CHAT;
    let handledBy = SupportTeam.GENERAL_SUPPORT;
    if (separate) handledBy = SupportTeam.XM_DISCOVER_SUPPORT;
    else if (method === ContactMethod.CONFERENCE && seat && enterpriseServesArea(area)) handledBy = SupportTeam.ENTERPRISE_SUPPORT;
    else if (enterpriseChannel && entNow) handledBy = SupportTeam.ENTERPRISE_SUPPORT;
    return {
      method,
      available: reason === null,
      unavailableReason: reason,
      handledBy,
      // ENT-1: the label only where Enterprise Support answers a request made now (not on Saturday,
      // not for areas it does not serve)
      enterpriseSupport: handledBy === SupportTeam.ENTERPRISE_SUPPORT ? ENTERPRISE_SUPPORT_LABEL : null,
      recommendedForUrgent: method === ContactMethod.PHONE && handledBy === SupportTeam.ENTERPRISE_SUPPORT && reason === null,
      window: methodWindow(method, language),
      enterpriseWindow: seat && enterpriseChannel && method !== ContactMethod.CONFERENCE && !separate && enterpriseServesArea(area) ? ENTERPRISE_WINDOW : null,
      acceptedOutsideHours: method === ContactMethod.EMAIL && reason === null && emailOutsideHours(language, now) !== null,
    };
  });
}

/** Who handles a ticket now (ENT-4). */
export interface SupportHandling {
  team: SupportTeam;
  since: Date;
  enterpriseHandoverAt: Date | null;
  enterpriseSupport: string | null;
}

/**
 * ENT-4: Enterprise Support handles an enterprise ticket from its creation; one raised by a seat
 * holder outside Enterprise hours is general support's until its hand-over instant and Enterprise
 * Support's from then on; every other ticket is general support's (XM Discover's for that area).
 */
export function supportHandling(
  ticket: { enterprise: boolean; enterpriseHandoverAt?: Date | null; createdAt: Date; productArea: ProductArea },
  now: Date,
): SupportHandling {
  const handoverAt = ticket.enterpriseHandoverAt ?? null;
  if (ticket.enterprise) return { team: SupportTeam.ENTERPRISE_SUPPORT, since: ticket.createdAt, enterpriseHandoverAt: null, enterpriseSupport: ENTERPRISE_SUPPORT_LABEL };
  if (handoverAt && handoverAt.getTime() <= now.getTime()) {
    return { team: SupportTeam.ENTERPRISE_SUPPORT, since: handoverAt, enterpriseHandoverAt: handoverAt, enterpriseSupport: ENTERPRISE_SUPPORT_LABEL };
  }
  const team = SEPARATE_TEAM_PRODUCT_AREAS.has(ticket.productArea) ? SupportTeam.XM_DISCOVER_SUPPORT : SupportTeam.GENERAL_SUPPORT;
  return { team, since: ticket.createdAt, enterpriseHandoverAt: handoverAt, enterpriseSupport: null };
}

/** CON-2: who a request may belong to instead of technical support. */
export enum RedirectTarget {
  BRAND_ADMIN = 'BRAND_ADMIN',
  ACCOUNT_TEAM = 'ACCOUNT_TEAM',
}

// CON-2: the topics a user can pick before contacting support (stored on the ticket)
export { SupportTopic };

/** CON-2: typical requests that belong with the brand admin or the account team (texts in the catalog). */
export enum RedirectExample {
  LICENSE_FEATURES = 'LICENSE_FEATURES',
  ACCOUNT_DELETION = 'ACCOUNT_DELETION',
  SURVEY_OWNERSHIP = 'SURVEY_OWNERSHIP',
  PURCHASES = 'PURCHASES',
  BILLING = 'BILLING',
  RENEWALS = 'RENEWALS',
  BETAS = 'BETAS',
}

export interface RedirectAdvice {
  checkWith: RedirectTarget;
  examples: RedirectExample[];
}

/** CON-2: standard users check with their brand admin; brand admins with their account team. */
export function redirectAdvice(role: BrandRole): RedirectAdvice {
  if (role === BrandRole.BRAND_ADMIN) {
    return { checkWith: RedirectTarget.ACCOUNT_TEAM, examples: [RedirectExample.PURCHASES, RedirectExample.BILLING, RedirectExample.RENEWALS, RedirectExample.BETAS] };
  }
  return { checkWith: RedirectTarget.BRAND_ADMIN, examples: [RedirectExample.LICENSE_FEATURES, RedirectExample.ACCOUNT_DELETION, RedirectExample.SURVEY_OWNERSHIP] };
}

/** CON-2: a theme is a custom survey look, so theme requests belong to the areas where surveys are built. */
export const THEME_PRODUCT_AREAS: ReadonlySet<ProductArea> = new Set([ProductArea.SURVEY_PLATFORM, ProductArea.EMPLOYEE_ENGAGEMENT, ProductArea.EMPLOYEE_360]);

/**
 * CON-2, CON-3: the topics a user can pick for a product area. Topics differ by role: brand admins
 * can also file a theme request, for the areas where surveys are built (`THEME_PRODUCT_AREAS`). An
 * area routed to a separate team (XM Discover / Social Connect) offers none: its requests go there.
 */
export function supportTopics(role: BrandRole, area: ProductArea): SupportTopic[] {
  if (SEPARATE_TEAM_PRODUCT_AREAS.has(area)) return [];
  const common = [SupportTopic.TECHNICAL_ISSUE, SupportTopic.HOW_TO_QUESTION, SupportTopic.LOGIN_AND_ACCOUNT_ACCESS];
  const themes = role === BrandRole.BRAND_ADMIN && THEME_PRODUCT_AREAS.has(area) ? [SupportTopic.THEME_REQUEST] : [];
  return [...common, ...themes, SupportTopic.OTHER_REQUEST];
}

/** CON-3: who answers a product area's requests, and whether that is a separate team the user must go to. */
export interface ProductAreaRouting {
  team: SupportTeam;
  separateTeam: boolean;
}

/** CON-3: XM Discover / Social Connect is routed straight to its own support team; every other area to technical support. */
export function productAreaRouting(area: ProductArea): ProductAreaRouting {
  return SEPARATE_TEAM_PRODUCT_AREAS.has(area) ? { team: SupportTeam.XM_DISCOVER_SUPPORT, separateTeam: true } : { team: SupportTeam.GENERAL_SUPPORT, separateTeam: false };
}
