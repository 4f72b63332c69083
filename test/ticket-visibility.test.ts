import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canReadTicket, type TicketAccessFacts, visibleTicketsWhere, type VisibilityScope } from '../src/auth/ticket-access';
import type { Viewer } from '../src/auth/viewer';
import { webhookAudience } from '../src/auth/webhook-access';
import { createOrm, type Orm } from '../src/db/orm';
import { Account, Agent, Brand, BrandRole, ParticipantRole, ProductArea, Ticket, TicketKind, TicketParticipant } from '../src/entities';
import { selectRows, withDateParams } from '../src/read/driver';
import { readAgents, readCustomers } from '../src/read/viewers';
import { DATABASE_TARGETS } from './utils/harness';

/**
 * Ticket visibility is one rule with two forms: `canReadTicket` over a ticket's facts (details,
 * mutations, subscription deliveries) and `visibleTicketsWhere` as SQL (the list). One table of
 * cases runs through both, on every database, with the viewers read as a request reads them; then
 * every viewer × scope × ticket of the fixture is checked for agreement.
 */

const BRANDS = [
  { id: 'acme', fedramp: false },
  { id: 'globex', fedramp: false },
  { id: 'fed', fedramp: true },
];
const ACCOUNTS: { id: string; brand: string; role?: BrandRole }[] = [
  { id: 'alice', brand: 'acme' },
  { id: 'bob', brand: 'acme' },
  { id: 'carol', brand: 'acme' },
  { id: 'zoe', brand: 'acme' },
  { id: 'dana', brand: 'acme', role: BrandRole.BRAND_ADMIN },
  { id: 'erin', brand: 'globex', role: BrandRole.BRAND_ADMIN },
  { id: 'frank', brand: 'globex' },
  { id: 'gina', brand: 'fed' },
  { id: 'hank', brand: 'fed', role: BrandRole.BRAND_ADMIN },
];
const AGENT = 'agent-1';

/** The tickets of the fixture: one row each, with exactly these participant rows. */
const TICKETS: Record<string, Omit<TicketAccessFacts, 'createdAt'> & { createdAt: string }> = {
  acme: { brandId: 'acme', submitterId: 'alice', participantIds: ['alice', 'bob'], createdAt: '2026-03-01T10:00:00.000Z' },
  // no participant row for its submitter: the rule must not need one
  acmeNoSubmitterRow: { brandId: 'acme', submitterId: 'alice', participantIds: [], createdAt: '2026-03-02T10:00:00.000Z' },
  acmeWithZoe: { brandId: 'acme', submitterId: 'alice', participantIds: ['alice', 'zoe'], createdAt: '2026-03-03T10:00:00.000Z' },
  danaOwn: { brandId: 'acme', submitterId: 'dana', participantIds: ['dana'], createdAt: '2026-03-04T10:00:00.000Z' },
  beforeCutoff: { brandId: 'acme', submitterId: 'alice', participantIds: ['alice'], createdAt: '2019-07-14T23:59:59.999Z' },
  atCutoff: { brandId: 'acme', submitterId: 'alice', participantIds: ['alice'], createdAt: '2019-07-15T00:00:00.000Z' },
  globex: { brandId: 'globex', submitterId: 'frank', participantIds: ['frank'], createdAt: '2026-03-05T10:00:00.000Z' },
  fed: { brandId: 'fed', submitterId: 'gina', participantIds: ['gina'], createdAt: '2026-03-06T10:00:00.000Z' },
};
type TicketName = keyof typeof TICKETS;

const facts = (name: TicketName): TicketAccessFacts => ({ ...TICKETS[name], createdAt: new Date(TICKETS[name].createdAt) });

/**
 * Who reads: accounts and the agent by id (read from the database, as a request does), or a viewer
 * no account stands for.
 */
type Who = string | { synthetic: Viewer; name: string };
/** An account id that exists in another brand only: a submitter id match must not leak across brands. */
const ALICE_IN_GLOBEX: Who = {
  name: 'alice-in-globex',
  synthetic: { kind: 'customer', accountId: 'alice', brandId: 'globex', role: BrandRole.STANDARD, isFedramp: false, account: { id: 'alice' } as never, brand: { id: 'globex' } as never },
};
const INTEGRATION: Who = { name: 'integration', synthetic: { kind: 'integration', subject: 'crm-sync' } };
const ANONYMOUS: Who = { name: 'anonymous', synthetic: { kind: 'anonymous' } };
/** Webhook audiences (src/auth/webhook-access.ts): an integration scoped to brands, FedRAMP ones only when cleared. */
const FEDRAMP_BRANDS = new Set(BRANDS.filter((b) => b.fedramp).map((b) => b.id));
const HOOK_ACME: Who = { name: 'webhook-acme', synthetic: webhookAudience({ ownerSubject: 'crm-sync', brandIds: ['acme'], fedrampCleared: false }, FEDRAMP_BRANDS) };
const HOOK_UNCLEARED: Who = { name: 'webhook-uncleared', synthetic: webhookAudience({ ownerSubject: 'crm-sync', brandIds: ['globex', 'fed'], fedrampCleared: false }, FEDRAMP_BRANDS) };
const HOOK_CLEARED: Who = { name: 'webhook-cleared', synthetic: webhookAudience({ ownerSubject: 'crm-gov', brandIds: ['fed'], fedrampCleared: true }, FEDRAMP_BRANDS) };
const HOOK_NONE: Who = { name: 'webhook-no-brand', synthetic: webhookAudience({ ownerSubject: 'crm-sync', brandIds: [], fedrampCleared: true }, FEDRAMP_BRANDS) };

/** scope `undefined`: a single ticket (`ticket(id)`, mutations, `ticketUpdated`), every ticket the viewer may read. */
const CASES: [title: string, who: Who, scope: VisibilityScope | undefined, ticket: TicketName, visible: boolean][] = [
  ['an agent reads any ticket', AGENT, undefined, 'acme', true],
  ["an agent reads a FedRAMP brand's ticket", AGENT, undefined, 'fed', true],
  ['an agent reads tickets filed before the cutoff', AGENT, undefined, 'beforeCutoff', true],
  ['an agent sees every ticket in MINE', AGENT, 'MINE', 'globex', true],
  ['HIST-1: the submitter reads their ticket', 'alice', undefined, 'acme', true],
  ['HIST-1: the submitter lists it in MINE', 'alice', 'MINE', 'acme', true],
  ['HIST-1: the submitter sees their ticket without a participant row for them', 'alice', 'MINE', 'acmeNoSubmitterRow', true],
  ['HIST-1: an associated user lists the ticket in MINE', 'bob', 'MINE', 'acme', true],
  ['HIST-1: an associated user reads the ticket', 'bob', undefined, 'acme', true],
  ['HIST-1: a user listed only as participant reads it', 'zoe', undefined, 'acmeWithZoe', true],
  ['HIST-1: a user of the brand on neither side does not', 'bob', undefined, 'acmeNoSubmitterRow', false],
  ['HIST-3: another standard user of the brand cannot read it', 'carol', undefined, 'acme', false],
  ['HIST-3: a standard user asking for ORGANIZATION still sees only their own', 'carol', 'ORGANIZATION', 'acme', false],
  ['HIST-3: a standard user sees their own in ORGANIZATION', 'alice', 'ORGANIZATION', 'acme', true],
  ['HIST-3: a brand admin reads any ticket of their brand', 'dana', undefined, 'acme', true],
  ["HIST-3: a brand admin lists the brand's tickets in ORGANIZATION", 'dana', 'ORGANIZATION', 'acme', true],
  ["HIST-3: a brand admin's MINE holds only tickets they are on", 'dana', 'MINE', 'acme', false],
  ["HIST-3: a brand admin's MINE holds their own ticket", 'dana', 'MINE', 'danaOwn', true],
  ["HIST-3: a brand admin cannot read another brand's ticket", 'erin', undefined, 'acme', false],
  ["HIST-3: a brand admin does not list another brand's ticket in ORGANIZATION", 'erin', 'ORGANIZATION', 'acme', false],
  ["HIST-3: a brand admin lists their own brand's ticket in ORGANIZATION", 'erin', 'ORGANIZATION', 'globex', true],
  ["a standard user of another brand cannot read it", 'frank', undefined, 'acme', false],
  ['a submitter id match in another brand does not leak across brands', ALICE_IN_GLOBEX, undefined, 'acme', false],
  ['HIST-5: a ticket filed 2019-07-14T23:59:59.999Z is not readable by its submitter', 'alice', undefined, 'beforeCutoff', false],
  ['HIST-5: a ticket filed 2019-07-14T23:59:59.999Z is not in MINE', 'alice', 'MINE', 'beforeCutoff', false],
  ['HIST-5: a ticket filed 2019-07-14T23:59:59.999Z is not in a brand admin ORGANIZATION list', 'dana', 'ORGANIZATION', 'beforeCutoff', false],
  ['HIST-5: a ticket filed 2019-07-15T00:00:00Z is readable by its submitter', 'alice', 'MINE', 'atCutoff', true],
  ['HIST-5: a ticket filed 2019-07-15T00:00:00Z is in a brand admin ORGANIZATION list', 'dana', 'ORGANIZATION', 'atCutoff', true],
  ['FED-1: a FedRAMP submitter cannot read even their own ticket', 'gina', undefined, 'fed', false],
  ['FED-1: a FedRAMP submitter does not list it in MINE', 'gina', 'MINE', 'fed', false],
  ["FED-1: a FedRAMP brand admin does not list their brand's tickets", 'hank', 'ORGANIZATION', 'fed', false],
  ['an integration never reads tickets', INTEGRATION, undefined, 'acme', false],
  ['an anonymous caller never reads tickets', ANONYMOUS, 'MINE', 'acme', false],
  ["a webhook reads its brand's tickets", HOOK_ACME, undefined, 'acme', true],
  ["a webhook reads its brand's tickets filed before the cutoff (staff side, like agents)", HOOK_ACME, undefined, 'beforeCutoff', true],
  ["a webhook never reads another brand's ticket", HOOK_ACME, undefined, 'globex', false],
  ['FED-1: a webhook of an uncleared integration naming a FedRAMP brand does not read its tickets', HOOK_UNCLEARED, undefined, 'fed', false],
  ['FED-1: … and still reads its other brand', HOOK_UNCLEARED, undefined, 'globex', true],
  ['FED-1: a FedRAMP-cleared webhook reads its FedRAMP brand', HOOK_CLEARED, undefined, 'fed', true],
  ['a webhook without brands reads nothing', HOOK_NONE, undefined, 'acme', false],
];

const SCOPES: (VisibilityScope | undefined)[] = [undefined, 'MINE', 'ORGANIZATION'];

describe.each(DATABASE_TARGETS)('ticket visibility: one rule, as a function and as SQL ($name)', (target) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  const ids = new Map<TicketName, number>();
  const viewers = new Map<string, Viewer>();

  beforeAll(async () => {
    const created = await target.create();
    drop = created.drop;
    orm = await createOrm(created.database);
    const em = orm.em.fork();
    for (const b of BRANDS) em.create(Brand, { id: b.id, name: `Brand ${b.id}`, fedramp: b.fedramp });
    for (const a of ACCOUNTS) {
      em.create(Account, { id: a.id, brand: em.getReference(Brand, a.brand), username: a.id, email: `${a.id}@example.com`, firstName: 'First', lastName: a.id, role: a.role ?? BrandRole.STANDARD });
    }
    em.create(Agent, { id: AGENT, displayName: 'Agent', email: 'agent@vendor.example' });
    await em.flush();
    const tickets = new Map<TicketName, Ticket>();
    for (const [name, spec] of Object.entries(TICKETS) as [TicketName, (typeof TICKETS)[TicketName]][]) {
      const createdAt = new Date(spec.createdAt);
      const ticket = em.create(Ticket, {
        kind: TicketKind.EMAIL,
        subject: name,
        productArea: ProductArea.SURVEY_PLATFORM,
        brand: em.getReference(Brand, spec.brandId),
        submitter: em.getReference(Account, spec.submitterId),
        createdAt,
        lastActivityAt: createdAt,
      });
      for (const accountId of spec.participantIds) {
        em.create(TicketParticipant, { ticket, account: em.getReference(Account, accountId), role: accountId === spec.submitterId ? ParticipantRole.SUBMITTER : ParticipantRole.ASSOCIATED, addedAt: createdAt });
      }
      tickets.set(name, ticket);
    }
    await em.flush();
    for (const [name, ticket] of tickets) ids.set(name, ticket.id);
    const read = orm.em.fork();
    for (const [id, viewer] of await readCustomers(read, ACCOUNTS.map((a) => a.id))) viewers.set(id, viewer);
    for (const [id, viewer] of await readAgents(read, [AGENT])) viewers.set(id, viewer);
  }, 60_000);

  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  const viewerOf = (who: Who): Viewer => {
    if (typeof who !== 'string') return who.synthetic;
    const viewer = viewers.get(who);
    if (!viewer) throw new Error(`no viewer ${who}`);
    return viewer;
  };

  /** The fixture's tickets the SQL condition selects for this viewer and scope, by name. */
  async function selected(viewer: Viewer, scope: VisibilityScope | undefined): Promise<Set<TicketName>> {
    const em = orm.em.fork();
    const where = visibleTicketsWhere(viewer, scope);
    const rows = await selectRows<{ id: number }>(em, `select t.id from ticket t where ${where.sql}`, withDateParams(em, where.params));
    const byId = new Map([...ids].map(([name, id]) => [id, name]));
    return new Set(rows.map((row) => byId.get(Number(row.id))!));
  }

  it.each(CASES)('%s', async (_title, who, scope, ticket, visible) => {
    const viewer = viewerOf(who);
    expect(canReadTicket(viewer, facts(ticket), scope), 'canReadTicket').toBe(visible);
    expect((await selected(viewer, scope)).has(ticket), 'visibleTicketsWhere').toBe(visible);
  });

  it('HIST-1, HIST-3, HIST-5, FED-1: for every viewer, scope and ticket, the SQL selects exactly the tickets canReadTicket allows', async () => {
    const everyone: Who[] = [AGENT, ...ACCOUNTS.map((a) => a.id), ALICE_IN_GLOBEX, INTEGRATION, ANONYMOUS, HOOK_ACME, HOOK_UNCLEARED, HOOK_CLEARED, HOOK_NONE];
    let compared = 0;
    for (const who of everyone) {
      const viewer = viewerOf(who);
      for (const scope of SCOPES) {
        const allowed = (Object.keys(TICKETS) as TicketName[]).filter((name) => canReadTicket(viewer, facts(name), scope)).sort();
        expect([...(await selected(viewer, scope))].sort(), `${typeof who === 'string' ? who : who.name} / ${scope ?? 'single ticket'}`).toEqual(allowed);
        compared += 1;
      }
    }
    expect(compared).toBe(everyone.length * SCOPES.length);
  });
});
