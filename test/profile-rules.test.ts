import { describe, expect, it } from 'vitest';
import { ForbiddenReason } from '../src/auth/errors';
import {
  billingAccess,
  billingContactsConfirmationDue,
  brandAdminContactsAvailability,
  canUnsubscribe,
  contractDurationMonths,
  emailPreferencesEligibility,
  linkedAccountsAvailability,
  preferenceCategoriesFor,
  SectionUnavailableReason,
} from '../src/auth/profile-access';
import { AccountType, BrandRole, EmailPreferenceCategory } from '../src/entities/enums';

describe('profile rules (pure)', () => {
  it.each([
    [AccountType.ENTERPRISE, false, true, undefined],
    [AccountType.SELF_SERVICE, false, true, undefined],
    [AccountType.FREE, false, false, SectionUnavailableReason.FREE_ACCOUNT],
    [AccountType.ENTERPRISE, true, false, SectionUnavailableReason.FEDRAMP_RESTRICTED],
    [AccountType.FREE, true, false, SectionUnavailableReason.FEDRAMP_RESTRICTED],
  ])('PREF-3 / FED-3: %s fedramp=%s → eligible %s (%s)', (accountType, isFedramp, eligible, reason) => {
    const result = emailPreferencesEligibility({ accountType, isFedramp });
    expect(result.available).toBe(eligible);
    if (!result.available) expect(result.reason).toBe(reason);
  });

  it.each([
    [BrandRole.STANDARD, 3, false],
    [BrandRole.BRAND_ADMIN, 4, true],
  ])('PREF-1 / PREF-2: %s has %i categories, operational=%s', (role, count, operational) => {
    const categories = preferenceCategoriesFor(role);
    expect(categories).toHaveLength(count);
    expect(categories.includes(EmailPreferenceCategory.OPERATIONAL_UPDATES)).toBe(operational);
  });

  it('PREF-2: only operational updates cannot be unsubscribed', () => {
    expect(Object.values(EmailPreferenceCategory).filter((c) => !canUnsubscribe(c))).toEqual([EmailPreferenceCategory.OPERATIONAL_UPDATES]);
  });

  it.each([
    [false, true],
    [true, false],
  ])('FED-2 / FED-4: fedramp=%s → brand admin contacts and linked accounts shown %s', (isFedramp, shown) => {
    const facts = { role: BrandRole.STANDARD, accountType: AccountType.ENTERPRISE, isFedramp, email: 'a@x.com' };
    expect(brandAdminContactsAvailability(facts).available).toBe(shown);
    expect(linkedAccountsAvailability(facts).available).toBe(shown);
  });

  const contracts = [
    { primaryEmail: 'owner@x.com', billingEmail: 'invoices@x.com' },
    { primaryEmail: 'other@x.com', billingEmail: 'Me@X.com' },
    { primaryEmail: 'me@x.com', billingEmail: 'me@x.com' },
  ];
  it.each([
    ['brand admin sees all', BrandRole.BRAND_ADMIN, 'nobody@x.com', 'all'],
    ['primary contact', BrandRole.STANDARD, 'owner@x.com', [0]],
    ['billing contact, e-mail case-insensitive', BrandRole.STANDARD, 'me@x.com', [1, 2]],
    ['not a contact', BrandRole.STANDARD, 'stranger@x.com', 'forbidden'],
  ] as const)('BILL-1: %s', (_name, role, email, expected) => {
    const decision = billingAccess({ role, email }, contracts);
    if (expected === 'forbidden') {
      expect(decision).toMatchObject({ allowed: false, reason: ForbiddenReason.NOT_BILLING_CONTACT });
    } else if (expected === 'all') {
      expect(decision).toEqual({ allowed: true, all: true });
    } else {
      expect(decision).toEqual({ allowed: true, all: false, contractIndexes: expected });
    }
  });

  it.each([
    ['2026-01-01', '2026-12-31', 12],
    ['2026-01-01', '2027-01-01', 12],
    ['2026-01-01', '2028-12-31', 36],
    ['2026-01-15', '2026-03-31', 3],
    ['2026-01-01', '2026-01-10', 1],
    ['2026-01-31', '2026-02-27', 1],
    ['2026-01-01', '2026-06-14', 5],
    ['2026-01-01', '2026-06-15', 6],
  ])('BILL-3: %s … %s lasts %i months', (start, end, months) => {
    expect(contractDurationMonths(start, end)).toBe(months);
  });

  const end = '2027-06-30';
  it.each([
    ['day 151 before the end', '2027-01-30T12:00:00Z', null, false],
    ['day 150 before the end', '2027-01-31T00:00:00Z', null, true],
    ['the end date itself', '2027-06-30T23:00:00Z', null, true],
    ['after the end', '2027-07-01T00:00:00Z', null, false],
    ['confirmed for this cycle', '2027-03-01T00:00:00Z', end, false],
    ['confirmed for the previous cycle', '2027-03-01T00:00:00Z', '2026-06-30', true],
  ])('BILL-6: %s', (_name, now, confirmedFor, due) => {
    expect(billingContactsConfirmationDue({ endDate: end, contactsConfirmedForEndDate: confirmedFor }, new Date(now))).toBe(due);
  });
});
