import { BrandRole } from '../entities/enums';
import { ForbiddenReason } from './errors';
import type { AccessViewer } from './viewer';

/** HIST-5: tickets filed before this instant are not viewable. */
export const HISTORY_CUTOFF = new Date('2019-07-15T00:00:00.000Z');

/** What the rules need to know about a ticket: plain data, so the rules are pure and table-testable. */
export interface TicketAccessFacts {
  brandId: string;
  submitterId: string;
  /**
   * Every associated account. The submitter is usually among them, but the rules never rely on it:
   * they check the submitter and the participants (so a writer that forgets the submitter's row
   * cannot hide a ticket from its owner).
   */
  participantIds: readonly string[];
  createdAt: Date;
}

/** The outcome of a rule: allowed, or refused with the reason a client can act on. */
export type Decision = { allowed: true } | { allowed: false; reason: ForbiddenReason; message: string };

const ALLOW: Decision = { allowed: true };

/**
 * FED-1: may this viewer use ticket history at all (list, detail, escalations, ticket subscriptions)?
 * FedRAMP customers may not; everyone else who is a customer or an agent may.
 */
export function canUseTicketHistory(viewer: AccessViewer): Decision {
  if (viewer.kind === 'agent') return ALLOW;
  if (viewer.kind !== 'customer') {
    return { allowed: false, reason: ForbiddenReason.NOT_A_CUSTOMER, message: 'Ticket history belongs to customer accounts.' };
  }
  if (viewer.isFedramp) {
    return {
      allowed: false,
      reason: ForbiddenReason.FEDRAMP_RESTRICTED,
      message: 'Support ticket history is not available to FedRAMP accounts. You can still contact support.',
    };
  }
  return ALLOW;
}

/** HIST-3: only brand admins may list their organization's tickets. */
export function canListOrganizationTickets(viewer: AccessViewer): Decision {
  const history = canUseTicketHistory(viewer);
  if (!history.allowed) return history;
  if (viewer.kind === 'customer' && viewer.role !== BrandRole.BRAND_ADMIN) {
    return {
      allowed: false,
      reason: ForbiddenReason.NOT_BRAND_ADMIN,
      message: "Only brand administrators can list their organization's tickets.",
    };
  }
  return ALLOW;
}

/**
 * Whose tickets a read covers: `ORGANIZATION`, every ticket the viewer may read (a brand admin's
 * whole brand, HIST-3); `MINE`, only those the viewer is on as submitter or participant (HIST-1).
 * The values of the GraphQL `TicketScope` enum.
 */
export type VisibilityScope = 'MINE' | 'ORGANIZATION';

/**
 * The ticket visibility rule (HIST-1, HIST-3, HIST-5, FED-1, brand isolation) reduced to the
 * conditions a ticket must meet: the one definition that both `canReadTicket` (over a ticket's
 * facts) and `visibleTicketsWhere` (as SQL over the `ticket` table) evaluate, condition by condition.
 * Every condition present must hold; `null` means no ticket at all.
 */
export interface TicketVisibility {
  /** HIST-5: filed at or after this instant. Absent for agents, who read every ticket. */
  since?: Date;
  /** Only this brand's tickets: never another brand's. */
  brandId?: string;
  /** Only these brands' tickets (a webhook's audience; empty: none). */
  brandIds?: readonly string[];
  /** HIST-1: this account must be the ticket's submitter or one of its participants. */
  onTicket?: string;
}

/**
 * Which tickets this viewer sees in a scope. Agents see every ticket (no cutoff, every brand).
 * A customer sees, from the HIST-5 cutoff and within their brand, the tickets they submitted or are
 * associated with (HIST-1), or in `ORGANIZATION` scope, when brand admin, every ticket of the brand
 * (HIST-3); a standard user's `ORGANIZATION` is their own tickets (the list refuses it up front,
 * `canListOrganizationTickets`). FedRAMP customers (FED-1) and anonymous callers see none; an
 * integration sees none either, except as a webhook's audience (`webhookAudience`): every ticket of
 * the brands it is scoped to, FedRAMP brands already left out unless it is cleared.
 */
export function ticketVisibility(viewer: AccessViewer, scope: VisibilityScope = 'ORGANIZATION'): TicketVisibility | null {
  if (viewer.kind === 'agent') return {};
  if (viewer.kind === 'integration') return viewer.brandIds ? { brandIds: viewer.brandIds } : null;
  if (viewer.kind !== 'customer' || viewer.isFedramp) return null;
  const wholeBrand = scope === 'ORGANIZATION' && viewer.role === BrandRole.BRAND_ADMIN;
  return wholeBrand ? { since: HISTORY_CUTOFF, brandId: viewer.brandId } : { since: HISTORY_CUTOFF, brandId: viewer.brandId, onTicket: viewer.accountId };
}

/**
 * Can this viewer read this ticket (in `scope`; by default every ticket they may read)? The
 * conditions of `ticketVisibility`, over the ticket's facts.
 */
export function canReadTicket(viewer: AccessViewer, ticket: TicketAccessFacts, scope?: VisibilityScope): boolean {
  const visibility = ticketVisibility(viewer, scope);
  if (!visibility) return false;
  if (visibility.since && ticket.createdAt.getTime() < visibility.since.getTime()) return false;
  if (visibility.brandId !== undefined && ticket.brandId !== visibility.brandId) return false;
  if (visibility.brandIds !== undefined && !visibility.brandIds.includes(ticket.brandId)) return false;
  if (visibility.onTicket !== undefined && ticket.submitterId !== visibility.onTicket && !ticket.participantIds.includes(visibility.onTicket)) return false;
  return true;
}

/** A SQL condition with its `?` parameters, in order (dates as `Date`s: the read side converts them). */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * `canReadTicket` as a SQL condition on the `ticket` table aliased `t`: the conditions of
 * `ticketVisibility`, each written as the column test it stands for. `test/ticket-visibility.test.ts`
 * runs one table of cases through both forms, on SQLite and PostgreSQL.
 */
export function visibleTicketsWhere(viewer: AccessViewer, scope?: VisibilityScope): SqlCondition {
  const visibility = ticketVisibility(viewer, scope);
  if (!visibility) return { sql: '1 = 0', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (visibility.since) {
    parts.push('t.created_at >= ?');
    params.push(visibility.since);
  }
  if (visibility.brandId !== undefined) {
    parts.push('t.brand_id = ?');
    params.push(visibility.brandId);
  }
  if (visibility.brandIds !== undefined) {
    parts.push(visibility.brandIds.length ? `t.brand_id in (${visibility.brandIds.map(() => '?').join(', ')})` : '1 = 0');
    params.push(...visibility.brandIds);
  }
  if (visibility.onTicket !== undefined) {
    parts.push('(t.submitter_id = ? or exists (select 1 from ticket_participant p where p.ticket_id = t.id and p.account_id = ?))');
    params.push(visibility.onTicket, visibility.onTicket);
  }
  return { sql: parts.length ? parts.join(' and ') : '1 = 1', params };
}

/** May this caller watch ticket events on the internal schema (RT-1 for support agents)? Agents only. */
export function canWatchTicketsAsAgent(viewer: AccessViewer): Decision {
  if (viewer.kind === 'agent') return ALLOW;
  return { allowed: false, reason: ForbiddenReason.NOT_AN_AGENT, message: 'Ticket events on the internal API are for support agents.' };
}
