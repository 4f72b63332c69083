import { describe, expect, it } from 'vitest';
import { ForbiddenReason } from '../src/auth/errors';
import {
  canListOrganizationTickets,
  canReadTicket,
  canUseTicketHistory,
  HISTORY_CUTOFF,
  type TicketAccessFacts,
} from '../src/auth/ticket-access';
import type { Viewer } from '../src/auth/viewer';
import type { Account, Agent, Brand } from '../src/entities';
import { BrandRole } from '../src/entities/enums';

// the rules read ids, role and the FedRAMP flag only: the entities can be minimal stand-ins
function customer(accountId: string, brandId: string, opts: { role?: BrandRole; fedramp?: boolean } = {}): Viewer {
  return {
    kind: 'customer',
    account: { id: accountId } as unknown as Account,
    brand: { id: brandId, fedramp: opts.fedramp ?? false } as unknown as Brand,
    accountId,
    brandId,
    role: opts.role ?? BrandRole.STANDARD,
    isFedramp: opts.fedramp ?? false,
  };
}

const agent: Viewer = { kind: 'agent', agent: { id: 'agent-1' } as unknown as Agent, agentId: 'agent-1' };
const integration: Viewer = { kind: 'integration', subject: 'crm-sync' };
const anonymous: Viewer = { kind: 'anonymous' };

const submitter = customer('alice', 'acme');
const participant = customer('bob', 'acme');
const colleague = customer('carol', 'acme');
const brandAdmin = customer('dana', 'acme', { role: BrandRole.BRAND_ADMIN });
const otherBrandAdmin = customer('erin', 'globex', { role: BrandRole.BRAND_ADMIN });
const otherBrandUser = customer('frank', 'globex');
const fedrampSubmitter = customer('gina', 'fed', { fedramp: true });
const fedrampAdmin = customer('hank', 'fed', { role: BrandRole.BRAND_ADMIN, fedramp: true });

function ticket(overrides: Partial<TicketAccessFacts> = {}): TicketAccessFacts {
  return {
    brandId: 'acme',
    submitterId: 'alice',
    participantIds: ['alice', 'bob'],
    createdAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

const acmeTicket = ticket();
const fedTicket = ticket({ brandId: 'fed', submitterId: 'gina', participantIds: ['gina'] });

describe('canReadTicket', () => {
  it.each<[string, Viewer, TicketAccessFacts, boolean]>([
    ['an agent reads any ticket', agent, acmeTicket, true],
    ['an agent reads a FedRAMP brand ticket', agent, fedTicket, true],
    ['HIST-1: the submitter reads their own ticket', submitter, acmeTicket, true],
    ['HIST-1: an associated participant reads the ticket', participant, acmeTicket, true],
    ['HIST-1: a participant listed only in participantIds reads it', customer('zoe', 'acme'), ticket({ participantIds: ['alice', 'zoe'] }), true],
    ['HIST-3: another standard user of the same brand cannot read it', colleague, acmeTicket, false],
    ['HIST-3: a brand admin reads any ticket of their brand', brandAdmin, acmeTicket, true],
    ["HIST-3: a brand admin cannot read another brand's ticket", otherBrandAdmin, acmeTicket, false],
    ["a standard user of another brand cannot read it", otherBrandUser, acmeTicket, false],
    ['a submitter id match in another brand does not leak across brands', customer('alice', 'globex'), acmeTicket, false],
    ['FED-1: a FedRAMP submitter cannot read even their own ticket', fedrampSubmitter, fedTicket, false],
    ['FED-1: a FedRAMP brand admin cannot read their brand tickets', fedrampAdmin, fedTicket, false],
    ['an integration never reads tickets', integration, acmeTicket, false],
    ['an anonymous caller never reads tickets', anonymous, acmeTicket, false],
  ])('%s', (_title, viewer, facts, expected) => {
    expect(canReadTicket(viewer, facts)).toBe(expected);
  });

  it.each<[string, string, Viewer, boolean]>([
    ['HIST-5: a ticket filed 2019-07-14T23:59:59Z is not readable by its submitter', '2019-07-14T23:59:59.000Z', submitter, false],
    ['HIST-5: a ticket filed 2019-07-14T23:59:59.999Z is not readable by a brand admin', '2019-07-14T23:59:59.999Z', brandAdmin, false],
    ['HIST-5: a ticket filed 2019-07-15T00:00:00Z is readable by its submitter', '2019-07-15T00:00:00.000Z', submitter, true],
    ['HIST-5: a ticket filed 2019-07-15T00:00:00Z is readable by a brand admin', '2019-07-15T00:00:00.000Z', brandAdmin, true],
  ])('%s', (_title, createdAt, viewer, expected) => {
    expect(canReadTicket(viewer, ticket({ createdAt: new Date(createdAt) }))).toBe(expected);
  });

  it('HIST-5: the cutoff is 2019-07-15T00:00:00Z', () => {
    expect(HISTORY_CUTOFF.toISOString()).toBe('2019-07-15T00:00:00.000Z');
  });
});

describe('canUseTicketHistory', () => {
  it.each<[string, Viewer, ForbiddenReason | undefined]>([
    ['a standard customer may use ticket history', submitter, undefined],
    ['a brand admin may use ticket history', brandAdmin, undefined],
    ['an agent may use ticket history', agent, undefined],
    ['FED-1: a FedRAMP standard user is refused with FEDRAMP_RESTRICTED', fedrampSubmitter, ForbiddenReason.FEDRAMP_RESTRICTED],
    ['FED-1: a FedRAMP brand admin is refused with FEDRAMP_RESTRICTED', fedrampAdmin, ForbiddenReason.FEDRAMP_RESTRICTED],
    ['an integration is refused with NOT_A_CUSTOMER', integration, ForbiddenReason.NOT_A_CUSTOMER],
    ['an anonymous caller is refused with NOT_A_CUSTOMER', anonymous, ForbiddenReason.NOT_A_CUSTOMER],
  ])('%s', (_title, viewer, reason) => {
    const decision = canUseTicketHistory(viewer);
    if (reason === undefined) {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision).toMatchObject({ allowed: false, reason });
      expect(decision.allowed === false && decision.message).toBeTruthy();
    }
  });

  it('FED-1: the FedRAMP refusal tells the user they can still contact support', () => {
    const decision = canUseTicketHistory(fedrampSubmitter);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.message).toMatch(/contact support/i);
  });
});

describe('canListOrganizationTickets', () => {
  it.each<[string, Viewer, ForbiddenReason | undefined]>([
    ["HIST-3: a brand admin may list the organization's tickets", brandAdmin, undefined],
    ["HIST-3: a standard user is refused with NOT_BRAND_ADMIN", submitter, ForbiddenReason.NOT_BRAND_ADMIN],
    ['HIST-3 + FED-1: a FedRAMP brand admin is refused with FEDRAMP_RESTRICTED', fedrampAdmin, ForbiddenReason.FEDRAMP_RESTRICTED],
    ['FED-1: a FedRAMP standard user is refused with FEDRAMP_RESTRICTED, not NOT_BRAND_ADMIN', fedrampSubmitter, ForbiddenReason.FEDRAMP_RESTRICTED],
    ['an agent may list tickets', agent, undefined],
    ['an integration is refused', integration, ForbiddenReason.NOT_A_CUSTOMER],
    ['an anonymous caller is refused', anonymous, ForbiddenReason.NOT_A_CUSTOMER],
  ])('%s', (_title, viewer, reason) => {
    const decision = canListOrganizationTickets(viewer);
    if (reason === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reason });
  });
});
