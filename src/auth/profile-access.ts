import { AccountType, BrandRole, EmailPreferenceCategory } from '../entities/enums';
import type { MessageKey } from '../i18n';
import { ForbiddenReason } from './errors';
import type { AccessViewer } from './viewer';

/** What the profile rules need to know about a customer: plain data, so the rules are table-testable. */
export interface ProfileFacts {
  role: BrandRole;
  accountType: AccountType;
  isFedramp: boolean;
  email: string;
}

/** Why a profile section is absent. */
export enum SectionUnavailableReason {
  FEDRAMP_RESTRICTED = 'FEDRAMP_RESTRICTED',
  FREE_ACCOUNT = 'FREE_ACCOUNT',
  NOT_BILLING_CONTACT = 'NOT_BILLING_CONTACT',
}

/** Whether a section is shown; when not, why, and the catalog text that explains it (LANG-1). */
export type Availability = { available: true } | { available: false; reason: SectionUnavailableReason; messageKey: MessageKey };

const AVAILABLE: Availability = { available: true };

/** FED-2: standard users see their brand admins' contacts, except FedRAMP users. */
export function brandAdminContactsAvailability(facts: ProfileFacts): Availability {
  if (facts.isFedramp) {
    return {
      available: false,
      reason: SectionUnavailableReason.FEDRAMP_RESTRICTED,
      messageKey: 'section.brandAdminContacts.FEDRAMP_RESTRICTED',
    };
  }
  return AVAILABLE;
}

/** PREF-3 / FED-3: free accounts and FedRAMP users have no e-mail preferences section. */
export function emailPreferencesEligibility(facts: Pick<ProfileFacts, 'accountType' | 'isFedramp'>): Availability {
  if (facts.isFedramp) {
    return { available: false, reason: SectionUnavailableReason.FEDRAMP_RESTRICTED, messageKey: 'section.emailPreferences.FEDRAMP_RESTRICTED' };
  }
  if (facts.accountType === AccountType.FREE) {
    return { available: false, reason: SectionUnavailableReason.FREE_ACCOUNT, messageKey: 'section.emailPreferences.FREE_ACCOUNT' };
  }
  return AVAILABLE;
}

/** FED-4: FedRAMP users' linked accounts (community, certifications) are not shown. */
export function linkedAccountsAvailability(facts: Pick<ProfileFacts, 'isFedramp'>): Availability {
  if (facts.isFedramp) {
    return { available: false, reason: SectionUnavailableReason.FEDRAMP_RESTRICTED, messageKey: 'section.linkedAccounts.FEDRAMP_RESTRICTED' };
  }
  return AVAILABLE;
}

/** PREF-1 / PREF-2: the categories an account has; operational updates only for brand admins. */
export function preferenceCategoriesFor(role: BrandRole): EmailPreferenceCategory[] {
  const all = [EmailPreferenceCategory.PERSONALIZED_LEARNING, EmailPreferenceCategory.NEWS_AND_UPDATES, EmailPreferenceCategory.CUSTOMER_EVENTS];
  return role === BrandRole.BRAND_ADMIN ? [...all, EmailPreferenceCategory.OPERATIONAL_UPDATES] : all;
}

/** PREF-2: operational updates cannot be unsubscribed. */
export function canUnsubscribe(category: EmailPreferenceCategory): boolean {
  return category !== EmailPreferenceCategory.OPERATIONAL_UPDATES;
}

/** The contacts of a contract, as the BILL-1 rule sees them. */
export interface ContractContactFacts {
  primaryEmail: string;
  billingEmail: string;
}

export type BillingDecision =
  | { allowed: true; all: true }
  | { allowed: true; all: false; contractIndexes: number[] }
  | { allowed: false; reason: ForbiddenReason; message: string };

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * BILL-1: brand admins see every contract of their brand; anyone else only the contracts listing them
 * as primary or billing contact with their account e-mail; no such contract means no billing at all.
 */
export function billingAccess(facts: Pick<ProfileFacts, 'role' | 'email'>, contracts: readonly ContractContactFacts[]): BillingDecision {
  if (facts.role === BrandRole.BRAND_ADMIN) return { allowed: true, all: true };
  const contractIndexes = contracts
    .map((c, i) => (sameEmail(c.primaryEmail, facts.email) || sameEmail(c.billingEmail, facts.email) ? i : -1))
    .filter((i) => i >= 0);
  if (contractIndexes.length === 0) {
    return {
      allowed: false,
      reason: ForbiddenReason.NOT_BILLING_CONTACT,
      message: 'Billing details are visible to brand administrators and to the primary or billing contact of a contract.',
    };
  }
  return { allowed: true, all: false, contractIndexes };
}

/** `node(id)` of an account: a customer reads their own account (the Viewer) and no one else's. */
export function canReadAccountNode(viewer: AccessViewer, accountId: string): boolean {
  return viewer.kind === 'customer' && viewer.accountId === accountId;
}

/** `node(id)` of a brand: a customer reads their own brand and no other. */
export function canReadBrandNode(viewer: AccessViewer, brandId: string): boolean {
  return viewer.kind === 'customer' && viewer.brandId === brandId;
}

/** BILL-2: a billing inquiry is read back by the account that submitted it, within its brand. */
export function canReadBillingInquiry(viewer: AccessViewer, inquiry: { accountId: string; brandId: string }): boolean {
  return viewer.kind === 'customer' && viewer.accountId === inquiry.accountId && viewer.brandId === inquiry.brandId;
}

/** BILL-1 as a section: billing is shown when `billingAccess` allows it; otherwise why, like every other section. */
export function billingAvailability(decision: BillingDecision): Availability {
  if (decision.allowed) return AVAILABLE;
  return { available: false, reason: SectionUnavailableReason.NOT_BILLING_CONTACT, messageKey: 'section.billing.NOT_BILLING_CONTACT' };
}

/** BILL-5 / BILL-7: contacts are editable by whoever sees billing (BILL-1), and only where the organization enables editing. */
export function canEditBillingContacts(decision: BillingDecision, organizationEditingEnabled: boolean): boolean {
  return decision.allowed && organizationEditingEnabled;
}

/** BILL-6: the reminder starts this many days before a contract ends. */
export const CONFIRMATION_WINDOW_DAYS = 150;

const DAY_MS = 86_400_000;

/** Whole UTC days from `today` (an instant) to `date` (YYYY-MM-DD); negative once passed. */
export function daysUntil(date: string, today: Date): number {
  const end = Date.parse(`${date}T00:00:00.000Z`);
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((end - start) / DAY_MS);
}

/**
 * BILL-6: due from 150 days before the end date (inclusive) until the end date, unless the contacts
 * were already confirmed (or edited) for this renewal cycle, i.e. for this end date.
 */
export function billingContactsConfirmationDue(
  contract: { endDate: string; contactsConfirmedForEndDate?: string | null },
  now: Date,
): boolean {
  const days = daysUntil(contract.endDate, now);
  if (days < 0 || days > CONFIRMATION_WINDOW_DAYS) return false;
  return contract.contactsConfirmedForEndDate !== contract.endDate;
}

/**
 * BILL-3: contract duration in months. The end date is inclusive; whole calendar months are counted
 * from the start date to the day after the end date, and a remaining partial month counts as one
 * more month when it is at least 15 days, otherwise it is dropped. Never less than 1.
 * 2026-01-01…2026-12-31 → 12; 2026-01-01…2027-01-01 → 12; 2026-01-15…2026-03-31 → 3.
 */
export function contractDurationMonths(startDate: string, endDate: string): number {
  const [sy, sm, sd] = startDate.split('-').map(Number);
  const endExclusive = new Date(Date.parse(`${endDate}T00:00:00.000Z`) + DAY_MS);
  const [ey, em, ed] = [endExclusive.getUTCFullYear(), endExclusive.getUTCMonth() + 1, endExclusive.getUTCDate()];
  let months = (ey - sy) * 12 + (em - sm);
  if (ed < sd) months -= 1;
  const anchor = Date.UTC(sy, sm - 1 + months, 1);
  // the anchor day clamps to the month's length (Jan 31 + 1 month → Feb 28/29)
  const anchorDate = new Date(anchor);
  const lastDay = new Date(Date.UTC(anchorDate.getUTCFullYear(), anchorDate.getUTCMonth() + 1, 0)).getUTCDate();
  const anchorMs = Date.UTC(anchorDate.getUTCFullYear(), anchorDate.getUTCMonth(), Math.min(sd, lastDay));
  const leftoverDays = Math.round((endExclusive.getTime() - anchorMs) / DAY_MS);
  if (leftoverDays >= 15) months += 1;
  return Math.max(1, months);
}
