import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../src/i18n';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

const CAPABILITIES = ['canSeeTicketHistory', 'canListOrganizationTickets', 'canSeeBilling', 'canEditBillingContacts', 'canManageEmailPreferences', 'canSeeLinkedAccounts'] as const;
type Capability = (typeof CAPABILITIES)[number];

/**
 * Pages that degrade, not vanish (issue 17 point 3): a refused part is null with its error on its own
 * path, every profile section answers the same availability shape, and the viewer's capability
 * fields say what each operation will do — computed by the same rules, compared here with what the
 * operation actually does for FedRAMP users, standard users, brand admins, billing contacts and a
 * free account, in organizations with and without contact editing (BILL-7).
 */
describe.each(DATABASE_TARGETS)('viewer capabilities and degrading pages ($name)', (target) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  /** Per brand: its one contract's global id and billing contact, as an admin of the brand reads them. */
  const contractOf: Record<string, { id: string; billingContact: { firstName: string; lastName: string; email: string } }> = {};
  const brandOf: Record<string, string> = {};

  const USERS = ['a-admin', 'a-std', 'a-billing', 'a-free', 'c-admin', 'c-billing', 'f-user', 'f-admin'] as const;

  const post = async (query: string, token: string, acceptLanguage?: string): Promise<GraphQLResponse> => {
    const res = await fetch(t.publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse, 'status'>) };
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    const f = new Fixtures(t);
    const brand = (id: string, fedramp: boolean, editing: boolean) =>
      t.internal(`mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { userErrors { message } } }`, { input: { id, name: id, fedramp, billingContactEditing: editing } }).then(ok);
    await brand('brand-a', false, true);
    await brand('brand-c', false, false);
    await brand('brand-f', true, true);
    const accounts: [string, string, 'STANDARD' | 'BRAND_ADMIN', string][] = [
      ['a-admin', 'brand-a', 'BRAND_ADMIN', 'ENTERPRISE'],
      ['a-std', 'brand-a', 'STANDARD', 'ENTERPRISE'],
      ['a-billing', 'brand-a', 'STANDARD', 'ENTERPRISE'],
      ['a-free', 'brand-a', 'STANDARD', 'FREE'],
      ['c-admin', 'brand-c', 'BRAND_ADMIN', 'ENTERPRISE'],
      ['c-billing', 'brand-c', 'STANDARD', 'SELF_SERVICE'],
      ['f-user', 'brand-f', 'STANDARD', 'ENTERPRISE'],
      ['f-admin', 'brand-f', 'BRAND_ADMIN', 'ENTERPRISE'],
    ];
    for (const [id, brandId, role, accountType] of accounts) {
      await f.account(id, brandId, { role, accountType });
      tok[id] = await f.tokenFor(id);
      brandOf[id] = brandId;
    }
    const contact = (email: string) => ({ firstName: 'Bill', lastName: 'Contact', email });
    for (const [brandId, billing, admin] of [['brand-a', 'a-billing', 'a-admin'], ['brand-c', 'c-billing', 'c-admin'], ['brand-f', 'f-user', 'f-admin']] as const) {
      ok(await t.internal(`mutation($input: UpsertContractInput!) { upsertContract(input: $input) { ok } }`, {
        input: { brandId, number: `N-${brandId}`, startDate: '2026-07-01', endDate: '2027-06-30', primaryContact: contact(`owner@${brandId}.example`), billingContact: contact(`${billing}@example.com`), licenses: [] },
      }));
      const read = ok(await t.gql(`{ viewer { billing { contracts { id billingContact { firstName lastName email } } } } }`, undefined, tok[admin]));
      contractOf[brandId] = read.viewer.billing.contracts[0];
    }
    await f.ticket({ submitterId: 'a-std', createdAt: '2026-10-01T08:00:00.000Z' });
    await f.ticket({ submitterId: 'f-user', createdAt: '2026-10-01T08:00:00.000Z' });
  });

  afterAll(async () => {
    await t?.close();
  });

  /** What each operation actually does for this user: true when it answers, false when it refuses. */
  const OPERATIONS: Record<Capability, (who: string) => Promise<boolean>> = {
    async canSeeTicketHistory(who) {
      const res = await t.gql(`{ tickets(first: 5) { totalCount } }`, undefined, tok[who]);
      if (res.errors) expect(res.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
      return !res.errors && res.data.tickets !== null;
    },
    async canListOrganizationTickets(who) {
      const res = await t.gql(`{ tickets(first: 5, scope: ORGANIZATION) { totalCount } }`, undefined, tok[who]);
      if (res.errors) expect(res.errors[0].extensions?.code).toBe('FORBIDDEN');
      return !res.errors && res.data.tickets !== null;
    },
    async canSeeBilling(who) {
      const read = ok(await t.gql(`{ viewer { billing { contactEditingEnabled } billingAvailability { available } } }`, undefined, tok[who]));
      const inquiry = await t.gql(`mutation { submitBillingInquiry(input: { topic: OTHER, subject: "Question", message: "A billing question." }) { inquiry { id } userErrors { code } } }`, undefined, tok[who]);
      const inquiryAnswered = !inquiry.errors && inquiry.data.submitBillingInquiry.inquiry !== null;
      if (inquiry.errors) expect(inquiry.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BILLING_CONTACT' });
      // the section, its availability and the inquiry mutation agree
      expect(read.viewer.billing !== null, who).toBe(read.viewer.billingAvailability.available);
      expect(inquiryAnswered, who).toBe(read.viewer.billing !== null);
      return read.viewer.billing !== null;
    },
    async canEditBillingContacts(who) {
      const contract = contractOf[brandOf[who]];
      // the same values again: the edit is accepted or refused, the contacts stay as they were
      const res = await t.gql(
        `mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { id } userErrors { code reason } } }`,
        { input: { contractId: contract.id, kind: 'BILLING', ...contract.billingContact } },
        tok[who],
      );
      if (res.errors) {
        expect(res.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BILLING_CONTACT' });
        return false;
      }
      const payload = res.data.updateBillingContact;
      if (payload.userErrors.length) expect(payload.userErrors).toEqual([{ code: 'INVALID_STATE', reason: 'CONTACT_EDITING_DISABLED' }]);
      return payload.userErrors.length === 0 && payload.contract?.id === contract.id;
    },
    async canManageEmailPreferences(who) {
      const res = await t.gql(`mutation { updateEmailPreferences(input: { changes: [{ category: NEWS_AND_UPDATES, subscribed: true }] }) { emailPreferences { email } userErrors { code } } }`, undefined, tok[who]);
      if (res.errors) expect(res.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_PREFERENCES_NOT_ELIGIBLE' });
      return !res.errors && res.data.updateEmailPreferences.emailPreferences !== null;
    },
    async canSeeLinkedAccounts(who) {
      return ok(await t.gql(`{ viewer { linkedAccounts { certifications { name } } } }`, undefined, tok[who])).viewer.linkedAccounts !== null;
    },
  };

  it('each capability on the viewer is exactly what its operation does, for every kind of user', async () => {
    const seen: Record<Capability, Set<boolean>> = Object.fromEntries(CAPABILITIES.map((c) => [c, new Set<boolean>()])) as Record<Capability, Set<boolean>>;
    for (const who of USERS) {
      const capabilities = ok(await t.gql(`{ viewer { ${CAPABILITIES.join(' ')} } }`, undefined, tok[who])).viewer;
      for (const capability of CAPABILITIES) {
        const actual = await OPERATIONS[capability](who);
        expect(capabilities[capability], `${capability} for ${who}`).toBe(actual);
        seen[capability].add(actual);
      }
    }
    // each capability is both true and false among these users: the comparison is never vacuous
    for (const capability of CAPABILITIES) expect([...seen[capability]].sort(), capability).toEqual([false, true]);
  });

  it('the capabilities of the users the rules name: FedRAMP (FED-1, FED-3, FED-4), brand admin (HIST-3), billing contact (BILL-1), BILL-7', async () => {
    const read = async (who: string) => ok(await t.gql(`{ viewer { ${CAPABILITIES.join(' ')} } }`, undefined, tok[who])).viewer;
    expect(await read('f-user')).toEqual({ canSeeTicketHistory: false, canListOrganizationTickets: false, canSeeBilling: true, canEditBillingContacts: true, canManageEmailPreferences: false, canSeeLinkedAccounts: false });
    expect(await read('a-std')).toEqual({ canSeeTicketHistory: true, canListOrganizationTickets: false, canSeeBilling: false, canEditBillingContacts: false, canManageEmailPreferences: true, canSeeLinkedAccounts: true });
    expect(await read('a-admin')).toMatchObject({ canListOrganizationTickets: true, canSeeBilling: true, canEditBillingContacts: true });
    expect(await read('c-billing')).toMatchObject({ canListOrganizationTickets: false, canSeeBilling: true, canEditBillingContacts: false });
    expect(await read('a-free')).toMatchObject({ canManageEmailPreferences: false });
  });

  it("FED-1: a FedRAMP user's { viewer tickets } answers viewer, with the error on tickets only", async () => {
    const res = await t.gql(`{ viewer { username isFedramp canSeeTicketHistory } tickets(first: 10) { totalCount edges { node { id } } } }`, undefined, tok['f-user']);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { username: 'f-user', isFedramp: true, canSeeTicketHistory: false }, tickets: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['tickets']);
    expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
  });

  it("HIST-3: a standard user's organization list is null beside the viewer (NOT_BRAND_ADMIN), the own list still answers", async () => {
    const res = await t.gql(`{ viewer { username } mine: tickets(first: 10) { totalCount } organization: tickets(first: 10, scope: ORGANIZATION) { totalCount } }`, undefined, tok['a-std']);
    expect(res.data).toEqual({ viewer: { username: 'a-std' }, mine: { totalCount: 1 }, organization: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.reason])).toEqual([[['organization'], 'NOT_BRAND_ADMIN']]);
  });

  it('BILL-1: billing answers with the same availability shape as every other section, no FORBIDDEN; its text in the request language', async () => {
    const query = `{ viewer { billing { contracts { id } } billingAvailability { available reason message }
      emailPreferencesEligibility { available reason } linkedAccountsAvailability { available reason } accountTeam { brandAdminsAvailability { available reason } } } }`;
    const std = await post(query, tok['a-std']);
    expect(std.errors).toBeUndefined();
    expect(std.data.viewer.billing).toBeNull();
    expect(std.data.viewer.billingAvailability).toEqual({ available: false, reason: 'NOT_BILLING_CONTACT', message: translate('en', 'section.billing.NOT_BILLING_CONTACT') });
    const german = await post(query, tok['a-std'], 'de-DE');
    expect(german.data.viewer.billingAvailability.message).toBe(translate('de', 'section.billing.NOT_BILLING_CONTACT'));
    expect(german.data.viewer.billingAvailability.message).not.toBe(std.data.viewer.billingAvailability.message);
    // a billing contact: the section and its availability
    const contact = ok(await post(query, tok['a-billing']));
    expect(contact.viewer.billing.contracts).toHaveLength(1);
    expect(contact.viewer.billingAvailability).toEqual({ available: true, reason: null, message: null });
    // FedRAMP: every restricted section answers the shape, none an error
    const fedramp = await post(query, tok['f-user']);
    expect(fedramp.errors).toBeUndefined();
    expect(fedramp.data.viewer).toMatchObject({
      emailPreferencesEligibility: { available: false, reason: 'FEDRAMP_RESTRICTED' },
      linkedAccountsAvailability: { available: false, reason: 'FEDRAMP_RESTRICTED' },
      accountTeam: { brandAdminsAvailability: { available: false, reason: 'FEDRAMP_RESTRICTED' } },
    });
  });
});
