import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config';
import { createOrm, type Orm } from '../src/db/orm';
import { BillingInquiry, EmailPreference, PendingPreferenceChange, Ticket } from '../src/entities';
import { EmailPreferenceCategory } from '../src/entities/enums';
import { applyDuePreferenceChanges, derivePreferenceLinkKey, signManageLinkToken } from '../src/services/email-preferences.service';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, TEST_SECRET, type DatabaseTarget, type TestServer } from './utils/harness';

const START = new Date('2026-11-02T15:00:00.000Z');
const DAY = 86_400_000;

const PREFS = `emailPreferences { email settings { category subscribed canUnsubscribe pending { subscribed effectiveAt } } }
  emailPreferencesEligibility { available reason message }`;
const CONTRACT = `id number startDate endDate durationMonths licenses { product quantity }
  primaryContact { firstName lastName email updatedAt } billingContact { firstName lastName email updatedAt }
  billingContactsConfirmationDue contactsConfirmedAt viewerCanEditContacts`;

/** A second ORM on the suite's database, as another instance of the API would have. */
function databaseOf(orm: Orm, target: DatabaseTarget): DatabaseConfig {
  return target.name === 'postgresql'
    ? { kind: 'postgresql', url: orm.config.get('clientUrl')! }
    : { kind: 'sqlite', path: orm.config.get('dbName')! };
}

describe.each(DATABASE_TARGETS)('hub profile through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  const contractIds: Record<string, string> = {};

  const upsertBrand = (input: Record<string, unknown>) =>
    t.internal(`mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { userErrors { message } } }`, { input });
  const upsertContract = async (input: Record<string, unknown>) => {
    const res = ok(await t.internal(`mutation($input: UpsertContractInput!) { upsertContract(input: $input) { ok userErrors { message } } }`, { input }));
    expect(res.upsertContract.userErrors).toEqual([]);
  };
  const contact = (name: string, email: string) => ({ firstName: name, lastName: 'Contact', email });
  const viewer = (token: string | undefined, fields: string) => t.gql(`{ viewer { ${fields} } }`, undefined, token);

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    ok(await upsertBrand({ id: 'brand-a', name: 'Brand A', billingContactEditing: true }));
    ok(await upsertBrand({ id: 'brand-b', name: 'Brand B' }));
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    ok(await t.internal(`mutation { upsertAccount(input: { id: "a-admin", brandId: "brand-a", username: "a-admin", email: "a-admin@example.com", firstName: "Ada", lastName: "Admin", role: BRAND_ADMIN, accountType: ENTERPRISE, contactPhone: "+1 555 0100" }) { userErrors { message } } }`));
    await f.account('a-std', 'brand-a', { accountType: 'ENTERPRISE' });
    await f.account('a-billing', 'brand-a', { accountType: 'ENTERPRISE' });
    await f.account('a-free', 'brand-a', { accountType: 'FREE' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.account('f-user', 'brand-f', { accountType: 'ENTERPRISE' });
    await f.account('f-admin', 'brand-f', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    for (const id of ['a-admin', 'a-std', 'a-billing', 'a-free', 'b-admin', 'f-user', 'f-admin']) tok[id] = await f.tokenFor(id);

    ok(await t.internal(`mutation { setAccountTeam(input: { brandId: "brand-a", successManager: { name: "Sam Success", email: "sam@vendor.example", phone: "+1 555 0101" }, accountExecutive: { name: "Alex Exec", email: "alex@vendor.example" } }) { ok } }`));
    ok(await t.internal(`mutation { setAccountTeam(input: { brandId: "brand-b", accountExecutive: { name: "Alex Exec", email: "alex@vendor.example" }, intakeFormUrl: "https://forms.example.com/licenses" }) { ok } }`));
    ok(await t.internal(`mutation { setAccountTeam(input: { brandId: "brand-f", successManager: { name: "Fed Manager", email: "fm@vendor.example" } }) { ok } }`));

    await upsertContract({
      brandId: 'brand-a', number: 'C-1', startDate: '2026-07-01', endDate: '2027-06-30',
      primaryContact: contact('Owner', 'owner@example.com'), billingContact: contact('Billy', 'a-billing@example.com'),
      licenses: [{ product: 'CoreXM', quantity: 10 }, { product: 'XM Directory', quantity: 1 }],
    });
    await upsertContract({
      brandId: 'brand-a', number: 'C-2', startDate: '2025-01-01', endDate: '2025-12-31',
      primaryContact: contact('Owner', 'owner@example.com'), billingContact: contact('Ap', 'ap@example.com'), licenses: [],
    });
    // a contract of another brand that lists the same e-mail: never visible from brand A
    await upsertContract({
      brandId: 'brand-b', number: 'C-3', startDate: '2026-01-01', endDate: '2026-12-31',
      primaryContact: contact('Billy', 'a-billing@example.com'), billingContact: contact('Billy', 'a-billing@example.com'), licenses: [],
    });

    ok(await t.internal(`mutation { setLinkedAccounts(input: { accountId: "a-std", community: { username: "astd", rank: "Level 3", memberSince: "2024-02-01T00:00:00.000Z", topicsParticipated: 7 }, certifications: [{ name: "CoreXM", status: COMPLETED, completedAt: "2025-05-01T00:00:00.000Z", certificateUrl: "https://cert.example.com/1" }, { name: "EX", status: IN_PROGRESS }] }) { ok } }`));
    ok(await t.internal(`mutation { setLinkedAccounts(input: { accountId: "f-user", community: { username: "fed", rank: "Level 1", memberSince: "2024-02-01T00:00:00.000Z", topicsParticipated: 1 }, certifications: [{ name: "CoreXM", status: IN_PROGRESS }] }) { ok } }`));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('account information', () => {
    it('ACC-1: shows the account details', async () => {
      const data = ok(await viewer(tok['a-std'], 'username email firstName lastName language accountType role brand { name } isFedramp'));
      expect(data.viewer).toMatchObject({ username: 'a-std', email: 'a-std@example.com', language: 'en', accountType: 'ENTERPRISE', role: 'STANDARD', brand: { name: 'Brand A' }, isFedramp: false });
    });

    it("ACC-2: a standard user sees their brand administrators' contacts, not the vendor team", async () => {
      const data = ok(await viewer(tok['a-std'], 'accountTeam { brandAdmins { firstName lastName email phone } brandAdminsAvailability { available } successManager { name } accountExecutive { name } intakeFormUrl }'));
      expect(data.viewer.accountTeam).toEqual({
        brandAdmins: [{ firstName: 'Ada', lastName: 'Admin', email: 'a-admin@example.com', phone: '+1 555 0100' }],
        brandAdminsAvailability: { available: true },
        successManager: null,
        accountExecutive: null,
        intakeFormUrl: null,
      });
    });

    it('ACC-2: a brand admin sees the success manager and account executive', async () => {
      const data = ok(await viewer(tok['a-admin'], 'accountTeam { brandAdmins { email } successManager { name email phone } accountExecutive { name email } intakeFormUrl }'));
      expect(data.viewer.accountTeam).toEqual({
        brandAdmins: [],
        successManager: { name: 'Sam Success', email: 'sam@vendor.example', phone: '+1 555 0101' },
        accountExecutive: { name: 'Alex Exec', email: 'alex@vendor.example' },
        intakeFormUrl: null,
      });
    });

    it('ACC-2: a brand admin without a success manager gets the intake form link', async () => {
      const data = ok(await viewer(tok['b-admin'], 'accountTeam { successManager { name } accountExecutive { name } intakeFormUrl }'));
      expect(data.viewer.accountTeam).toEqual({ successManager: null, accountExecutive: { name: 'Alex Exec' }, intakeFormUrl: 'https://forms.example.com/licenses' });
    });

    it('ACC-3: deletion information depends on the account type', async () => {
      const free = ok(await viewer(tok['a-free'], 'accountDeletion { accountType selfService instructions }'));
      const ent = ok(await viewer(tok['a-std'], 'accountDeletion { accountType selfService instructions }'));
      expect(free.viewer.accountDeletion).toMatchObject({ accountType: 'FREE', selfService: true });
      expect(ent.viewer.accountDeletion).toMatchObject({ accountType: 'ENTERPRISE', selfService: false });
      expect(ent.viewer.accountDeletion.instructions).toMatch(/brand administrators/);
    });
  });

  describe('FedRAMP', () => {
    it('FED-2 / FED-3 / FED-4: a FedRAMP user sees no brand-admin contacts, no preferences, no linked accounts, each explained', async () => {
      const data = ok(await viewer(tok['f-user'], `accountTeam { brandAdmins { email } brandAdminsAvailability { available reason message } }
        ${PREFS} linkedAccounts { community { username } } linkedAccountsAvailability { available reason message }`));
      expect(data.viewer.accountTeam.brandAdmins).toEqual([]);
      expect(data.viewer.accountTeam.brandAdminsAvailability).toMatchObject({ available: false, reason: 'FEDRAMP_RESTRICTED' });
      expect(data.viewer.emailPreferences).toBeNull();
      expect(data.viewer.emailPreferencesEligibility).toMatchObject({ available: false, reason: 'FEDRAMP_RESTRICTED' });
      expect(data.viewer.linkedAccounts).toBeNull();
      expect(data.viewer.linkedAccountsAvailability).toMatchObject({ available: false, reason: 'FEDRAMP_RESTRICTED' });
      expect(data.viewer.linkedAccountsAvailability.message).toBeTruthy();
    });

    it('FED-2: a FedRAMP brand admin still sees their vendor account team', async () => {
      const data = ok(await viewer(tok['f-admin'], 'accountTeam { successManager { name } }'));
      expect(data.viewer.accountTeam.successManager).toEqual({ name: 'Fed Manager' });
    });

    it('FED-3: a FedRAMP user cannot save preferences', async () => {
      const res = await t.gql(`mutation { updateEmailPreferences(input: { changes: [{ category: NEWS_AND_UPDATES, subscribed: false }] }) { userErrors { code } } }`, undefined, tok['f-user']);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_PREFERENCES_NOT_ELIGIBLE' });
    });
  });

  describe('linked accounts', () => {
    it('LINK-1 / LINK-2: community account and certifications', async () => {
      const data = ok(await viewer(tok['a-std'], 'linkedAccounts { community { username rank memberSince topicsParticipated } certifications { name status completedAt certificateUrl } } linkedAccountsAvailability { available }'));
      expect(data.viewer.linkedAccounts.community).toEqual({ username: 'astd', rank: 'Level 3', memberSince: '2024-02-01T00:00:00.000Z', topicsParticipated: 7 });
      expect(data.viewer.linkedAccounts.certifications).toHaveLength(2);
      expect(data.viewer.linkedAccounts.certifications).toContainEqual({ name: 'CoreXM', status: 'COMPLETED', completedAt: '2025-05-01T00:00:00.000Z', certificateUrl: 'https://cert.example.com/1' });
      expect(data.viewer.linkedAccountsAvailability).toEqual({ available: true });
    });

    it('LINK-1: no community account linked is null, not an error', async () => {
      const data = ok(await viewer(tok['a-admin'], 'linkedAccounts { community { username } certifications { name } }'));
      expect(data.viewer.linkedAccounts).toEqual({ community: null, certifications: [] });
    });
  });

  describe('application status', () => {
    it('STAT-1: lists the sixteen components, anonymously too', async () => {
      const data = ok(await t.gql(`{ applicationStatus { component name status message updatedAt } }`));
      expect(data.applicationStatus).toHaveLength(16);
      expect(data.applicationStatus[0]).toEqual({ component: 'LOGINS', name: 'Logins', status: 'OPERATIONAL', message: null, updatedAt: null });
      expect(data.applicationStatus.map((c: any) => c.name)).toContain('XM Directory');
    });

    it('STAT-1: setApplicationStatus sets a component; unknown components are a userError', async () => {
      const set = ok(await t.internal(`mutation { setApplicationStatus(input: { component: "REPORTING", status: PARTIAL_OUTAGE, message: "Exports delayed" }) { componentStatus { component status message } userErrors { code } } }`));
      expect(set.setApplicationStatus).toEqual({ componentStatus: { component: 'REPORTING', status: 'PARTIAL_OUTAGE', message: 'Exports delayed' }, userErrors: [] });
      const listed = ok(await t.gql(`{ applicationStatus { component status message } }`, undefined, tok['a-std']));
      expect(listed.applicationStatus.find((c: any) => c.component === 'REPORTING')).toEqual({ component: 'REPORTING', status: 'PARTIAL_OUTAGE', message: 'Exports delayed' });
      const unknown = ok(await t.internal(`mutation { setApplicationStatus(input: { component: "COFFEE_MACHINE", status: MAJOR_OUTAGE }) { componentStatus { component } userErrors { field code } } }`));
      expect(unknown.setApplicationStatus).toEqual({ componentStatus: null, userErrors: [{ field: ['input', 'component'], code: 'NOT_FOUND' }] });
    });

    it('STAT-1: customers cannot set the status', async () => {
      const res = await t.internal(`mutation { setApplicationStatus(input: { component: "LOGINS", status: MAJOR_OUTAGE }) { userErrors { code } } }`, undefined, tok['a-admin']);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('e-mail preferences', () => {
    it('PREF-1 / PREF-2: standard users have three categories, brand admins also operational updates (not unsubscribable)', async () => {
      const std = ok(await viewer(tok['a-std'], PREFS));
      expect(std.viewer.emailPreferences.email).toBe('a-std@example.com');
      expect(std.viewer.emailPreferences.settings.map((s: any) => s.category)).toEqual(['PERSONALIZED_LEARNING', 'NEWS_AND_UPDATES', 'CUSTOMER_EVENTS']);
      const admin = ok(await viewer(tok['a-admin'], PREFS));
      expect(admin.viewer.emailPreferences.settings.at(-1)).toEqual({ category: 'OPERATIONAL_UPDATES', subscribed: true, canUnsubscribe: false, pending: null });
    });

    it('PREF-3: a free account has no preferences section, explained', async () => {
      const data = ok(await viewer(tok['a-free'], PREFS));
      expect(data.viewer.emailPreferences).toBeNull();
      expect(data.viewer.emailPreferencesEligibility).toMatchObject({ available: false, reason: 'FREE_ACCOUNT' });
    });

    it('PREF-2: unsubscribing from operational updates is refused and nothing changes', async () => {
      const res = ok(await t.gql(
        `mutation { updateEmailPreferences(input: { changes: [{ category: NEWS_AND_UPDATES, subscribed: false }, { category: OPERATIONAL_UPDATES, subscribed: false }] }) { emailPreferences { email } userErrors { field code message } } }`,
        undefined, tok['a-admin'],
      ));
      expect(res.updateEmailPreferences.emailPreferences).toBeNull();
      expect(res.updateEmailPreferences.userErrors).toEqual([{ field: ['input', 'changes', '1', 'subscribed'], code: 'INVALID', message: 'Operational updates cannot be unsubscribed.' }]);
      const em = t.orm.em.fork();
      expect(await em.count(PendingPreferenceChange, { email: 'a-admin@example.com' })).toBe(0);
      expect(await em.count(EmailPreference, { email: 'a-admin@example.com' })).toBe(0);
    });

    it('PREF-2: a standard user cannot set operational updates at all', async () => {
      const res = ok(await t.gql(`mutation { updateEmailPreferences(input: { changes: [{ category: OPERATIONAL_UPDATES, subscribed: true }] }) { userErrors { field code } } }`, undefined, tok['a-std']));
      expect(res.updateEmailPreferences.userErrors).toEqual([{ field: ['input', 'changes', '0', 'category'], code: 'INVALID' }]);
    });

    it('PREF-4 / PREF-5: a saved change is pending for 24 hours, then applied once by the job', async () => {
      t.clock.now = START;
      const res = ok(await t.gql(
        `mutation { updateEmailPreferences(input: { changes: [{ category: CUSTOMER_EVENTS, subscribed: false }] }) { emailPreferences { settings { category subscribed pending { subscribed effectiveAt } } } userErrors { code } } }`,
        undefined, tok['a-std'],
      ));
      const events = res.updateEmailPreferences.emailPreferences.settings.find((s: any) => s.category === 'CUSTOMER_EVENTS');
      expect(events).toEqual({ category: 'CUSTOMER_EVENTS', subscribed: true, pending: { subscribed: false, effectiveAt: new Date(START.getTime() + DAY).toISOString() } });

      expect(await applyDuePreferenceChanges(t.orm.em, new Date(START.getTime() + DAY - 1000))).toBe(0);
      expect(await applyDuePreferenceChanges(t.orm.em, new Date(START.getTime() + DAY))).toBe(1);
      expect(await applyDuePreferenceChanges(t.orm.em, new Date(START.getTime() + DAY))).toBe(0);
      const after = ok(await viewer(tok['a-std'], PREFS));
      expect(after.viewer.emailPreferences.settings.find((s: any) => s.category === 'CUSTOMER_EVENTS')).toMatchObject({ subscribed: false, pending: null });
      // PREF-4: keyed by the address
      const row = await t.orm.em.fork().findOneOrFail(EmailPreference, { email: 'a-std@example.com', category: EmailPreferenceCategory.CUSTOMER_EVENTS });
      expect(row.subscribed).toBe(false);
    });

    it('PREF-6: the manage link changes preferences without signing in, and the hub shows it', async () => {
      t.clock.now = START;
      const key = derivePreferenceLinkKey(TEST_SECRET);
      const token = await signManageLinkToken(key, 'a-std@example.com', START);
      const res = ok(await t.gql(`mutation($input: UpdateEmailPreferencesByLinkInput!) { updateEmailPreferencesByLink(input: $input) { emailPreferences { email } userErrors { field code } } }`,
        { input: { token, changes: [{ category: 'PERSONALIZED_LEARNING', subscribed: false }] } }));
      expect(res.updateEmailPreferencesByLink).toEqual({ emailPreferences: { email: 'a-std@example.com' }, userErrors: [] });
      const hub = ok(await viewer(tok['a-std'], PREFS));
      expect(hub.viewer.emailPreferences.settings.find((s: any) => s.category === 'PERSONALIZED_LEARNING').pending).toMatchObject({ subscribed: false });
    });

    it('PREF-6: expired, tampered and foreign-key tokens are refused', async () => {
      const key = derivePreferenceLinkKey(TEST_SECRET);
      const expired = await signManageLinkToken(key, 'a-std@example.com', new Date(START.getTime() - 40 * DAY));
      const good = await signManageLinkToken(key, 'a-std@example.com', START);
      const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
      const loginKeyToken = await signManageLinkToken(TEST_SECRET, 'a-std@example.com', START);
      for (const [token, pattern] of [[expired, /expired/], [tampered, /not valid/], [loginKeyToken, /not valid/]] as const) {
        const res = ok(await t.gql(`mutation($input: UpdateEmailPreferencesByLinkInput!) { updateEmailPreferencesByLink(input: $input) { userErrors { field code message } } }`,
          { input: { token, changes: [{ category: 'NEWS_AND_UPDATES', subscribed: false }] } }));
        expect(res.updateEmailPreferencesByLink.userErrors[0]).toMatchObject({ field: ['input', 'token'], code: 'INVALID' });
        expect(res.updateEmailPreferencesByLink.userErrors[0].message).toMatch(pattern);
      }
    });

    it('PREF-5: two instances applying due changes at once apply each exactly once', async () => {
      const seedEm = t.orm.em.fork();
      const due = new Date(START.getTime() - 1000);
      const emails = Array.from({ length: 40 }, (_, i) => `bulk${i}@example.com`);
      for (const email of emails) {
        seedEm.create(PendingPreferenceChange, { email, category: EmailPreferenceCategory.NEWS_AND_UPDATES, subscribed: false, requestedAt: due, effectiveAt: due });
      }
      await seedEm.flush();
      // PostgreSQL: two ORMs with their own connection pools, as two API instances. SQLite is
      // single-instance by nature (one writer per file): two forks of the one ORM race instead.
      const others = target.name === 'postgresql' ? [await createOrm(databaseOf(t.orm, target)), await createOrm(databaseOf(t.orm, target))] : [];
      try {
        const [emA, emB] = others.length ? others.map((o) => o.em) : [t.orm.em.fork(), t.orm.em.fork()];
        const [a, b] = await Promise.all([applyDuePreferenceChanges(emA, START), applyDuePreferenceChanges(emB, START)]);
        expect(a + b).toBe(emails.length);
      } finally {
        for (const o of others) await o.close(true);
      }
      const em = t.orm.em.fork();
      const rows = await em.find(PendingPreferenceChange, { email: { $in: emails } });
      expect(rows.every((r) => r.appliedAt?.getTime() === START.getTime())).toBe(true);
      expect(await em.count(EmailPreference, { email: { $in: emails }, subscribed: false })).toBe(emails.length);
    });
  });

  describe('billing', () => {
    it('BILL-1: a standard user who is not a contact gets no billing section, and billingAvailability says why (no error)', async () => {
      const res = await viewer(tok['a-std'], 'username billing { contracts { number } } billingAvailability { available reason }');
      expect(res.errors).toBeUndefined();
      // the rest of the profile still loads
      expect(res.data).toEqual({ viewer: { username: 'a-std', billing: null, billingAvailability: { available: false, reason: 'NOT_BILLING_CONTACT' } } });
    });

    it('BILL-1 / BILL-3: the billing contact with a matching e-mail sees exactly that contract', async () => {
      t.clock.now = START;
      const data = ok(await viewer(tok['a-billing'], `billing { contracts { ${CONTRACT} } documents { title url } contactEditingEnabled }`));
      expect(data.viewer.billing.contracts.map((c: any) => c.number)).toEqual(['C-1']);
      const [c1] = data.viewer.billing.contracts;
      contractIds['C-1'] = c1.id;
      expect(c1).toMatchObject({ startDate: '2026-07-01', endDate: '2027-06-30', durationMonths: 12, licenses: [{ product: 'CoreXM', quantity: 10 }, { product: 'XM Directory', quantity: 1 }] });
      expect(c1.billingContact).toEqual({ firstName: 'Billy', lastName: 'Contact', email: 'a-billing@example.com', updatedAt: null });
      expect(data.viewer.billing.contactEditingEnabled).toBe(true);
    });

    it('BILL-1: a brand admin sees every contract of the brand and none of another', async () => {
      const data = ok(await viewer(tok['a-admin'], 'billing { contracts { number } }'));
      expect(data.viewer.billing.contracts.map((c: any) => c.number).sort()).toEqual(['C-1', 'C-2']);
    });

    it('BILL-4: security and privacy documents are listed', async () => {
      const data = ok(await viewer(tok['a-admin'], 'billing { documents { title url } }'));
      expect(data.viewer.billing.documents.map((d: any) => d.title)).toEqual(['Trust center', 'Terms of service', 'Privacy statement']);
    });

    it('BILL-6: the confirmation is due from day 150 before the end, once per renewal cycle', async () => {
      const due = async () => ok(await viewer(tok['a-billing'], 'billing { contracts { billingContactsConfirmationDue } }')).viewer.billing.contracts[0].billingContactsConfirmationDue;
      t.clock.now = new Date('2027-01-30T12:00:00.000Z'); // day 151 before 2027-06-30
      expect(await due()).toBe(false);
      t.clock.now = new Date('2027-01-31T09:00:00.000Z'); // day 150
      expect(await due()).toBe(true);
      const confirmed = ok(await t.gql(`mutation($input: ConfirmBillingContactsInput!) { confirmBillingContacts(input: $input) { contract { billingContactsConfirmationDue contactsConfirmedAt } userErrors { code } } }`,
        { input: { contractId: contractIds['C-1'] } }, tok['a-billing']));
      expect(confirmed.confirmBillingContacts).toEqual({ contract: { billingContactsConfirmationDue: false, contactsConfirmedAt: '2027-01-31T09:00:00.000Z' }, userErrors: [] });
      t.clock.now = new Date('2027-03-01T09:00:00.000Z');
      expect(await due()).toBe(false);
      // renewal: a new end date starts a new cycle
      await upsertContract({
        brandId: 'brand-a', number: 'C-1', startDate: '2027-07-01', endDate: '2028-06-30',
        primaryContact: contact('Owner', 'owner@example.com'), billingContact: contact('Billy', 'a-billing@example.com'),
        licenses: [{ product: 'CoreXM', quantity: 10 }],
      });
      t.clock.now = new Date('2028-02-01T09:00:00.000Z');
      expect(await due()).toBe(true);
      t.clock.now = START;
    });

    it('BILL-5: editing a contact requires first name, last name and a valid e-mail', async () => {
      const res = ok(await t.gql(`mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { number } userErrors { field code } } }`,
        { input: { contractId: contractIds['C-1'], kind: 'PRIMARY', firstName: ' ', lastName: 'X', email: 'not-an-email' } }, tok['a-admin']));
      expect(res.updateBillingContact.contract).toBeNull();
      expect(res.updateBillingContact.userErrors).toEqual([{ field: ['input', 'firstName'], code: 'REQUIRED' }, { field: ['input', 'email'], code: 'INVALID' }]);
    });

    it('BILL-5: an edit applies at once and shows when it was updated', async () => {
      t.clock.now = new Date('2026-12-01T10:00:00.000Z');
      const res = ok(await t.gql(`mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { primaryContact { firstName lastName email updatedAt } billingContact { updatedAt } } userErrors { code } } }`,
        { input: { contractId: contractIds['C-1'], kind: 'PRIMARY', firstName: 'New', lastName: 'Owner', email: 'New.Owner@Example.com' } }, tok['a-admin']));
      expect(res.updateBillingContact).toEqual({
        contract: { primaryContact: { firstName: 'New', lastName: 'Owner', email: 'new.owner@example.com', updatedAt: '2026-12-01T10:00:00.000Z' }, billingContact: { updatedAt: null } },
        userErrors: [],
      });
      t.clock.now = START;
    });

    it('BILL-7: where editing is not enabled, contacts are read-only', async () => {
      await upsertContract({
        brandId: 'brand-b', number: 'C-4', startDate: '2026-01-01', endDate: '2026-12-31',
        primaryContact: contact('B', 'b-admin@example.com'), billingContact: contact('B', 'b-admin@example.com'), licenses: [],
      });
      const data = ok(await viewer(tok['b-admin'], 'billing { contactEditingEnabled contracts { id number viewerCanEditContacts } }'));
      expect(data.viewer.billing.contactEditingEnabled).toBe(false);
      const c4 = data.viewer.billing.contracts.find((c: any) => c.number === 'C-4');
      expect(c4.viewerCanEditContacts).toBe(false);
      const res = ok(await t.gql(`mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { number } userErrors { code } } }`,
        { input: { contractId: c4.id, kind: 'BILLING', firstName: 'A', lastName: 'B', email: 'ab@example.com' } }, tok['b-admin']));
      expect(res.updateBillingContact).toEqual({ contract: null, userErrors: [{ code: 'INVALID_STATE' }] });
    });

    it('BILL-1: contracts of other brands cannot be edited or confirmed', async () => {
      const res = ok(await t.gql(`mutation($input: ConfirmBillingContactsInput!) { confirmBillingContacts(input: $input) { contract { number } userErrors { field code } } }`,
        { input: { contractId: contractIds['C-1'] } }, tok['b-admin']));
      expect(res.confirmBillingContacts).toEqual({ contract: null, userErrors: [{ field: ['input', 'contractId'], code: 'NOT_FOUND' }] });
    });

    it('BILL-2: billing inquiries are English only and stored as inquiries, not tickets', async () => {
      const mutation = `mutation($input: SubmitBillingInquiryInput!) { submitBillingInquiry(input: $input) { inquiry { id topic subject } userErrors { field code message } } }`;
      const german = ok(await t.gql(mutation, { input: { topic: 'INVOICE', subject: 'Rechnung', message: 'Frage', language: 'GERMAN' } }, tok['a-billing']));
      expect(german.submitBillingInquiry.userErrors).toEqual([{ field: ['input', 'language'], code: 'INVALID', message: 'Billing inquiries are supported in English only.' }]);
      const tickets = await t.orm.em.fork().count(Ticket, {});
      const sent = ok(await t.gql(mutation, { input: { contractId: contractIds['C-1'], topic: 'INVOICE', subject: 'Invoice copy', message: 'Please resend the March invoice.', language: 'ENGLISH' } }, tok['a-billing']));
      expect(sent.submitBillingInquiry).toMatchObject({ inquiry: { topic: 'INVOICE', subject: 'Invoice copy' }, userErrors: [] });
      const em = t.orm.em.fork();
      expect(await em.count(BillingInquiry, { accountId: 'a-billing' })).toBe(1);
      expect(await em.count(Ticket, {})).toBe(tickets);
      const refused = await t.gql(mutation, { input: { topic: 'QUOTE', subject: 'Quote', message: 'How much?' } }, tok['a-std']);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BILLING_CONTACT' });
    });
  });
});
