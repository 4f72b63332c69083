import { BrandRole } from '../entities/enums';
import { ForbiddenReason } from './errors';
import type { Viewer } from './viewer';

/** HIST-5: tickets filed before this instant are not viewable. */
export const HISTORY_CUTOFF = new Date('2019-07-15T00:00:00.000Z');

/** What the rules need to know about a ticket: plain data, so the rules are pure and table-testable. */
export interface TicketAccessFacts {
  brandId: string;
  submitterId: string;
  /** Every associated account, submitter included. */
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
export function canUseTicketHistory(viewer: Viewer): Decision {
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
export function canListOrganizationTickets(viewer: Viewer): Decision {
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

/** HIST-5: is the ticket recent enough to be shown at all? */
export function isWithinHistoryWindow(createdAt: Date): boolean {
  return createdAt.getTime() >= HISTORY_CUTOFF.getTime();
}

/**
 * Can this viewer read this ticket? Agents read every ticket. A customer reads a ticket they submitted
 * or are associated with (HIST-1), or any ticket of their brand when brand admin (HIST-3), never a
 * FedRAMP customer (FED-1), never a ticket filed before the cutoff (HIST-5), never another brand's.
 */
export function canReadTicket(viewer: Viewer, ticket: TicketAccessFacts): boolean {
  if (viewer.kind === 'agent') return true;
  if (viewer.kind !== 'customer' || viewer.isFedramp) return false;
  if (!isWithinHistoryWindow(ticket.createdAt)) return false;
  if (ticket.brandId !== viewer.brandId) return false;
  if (ticket.submitterId === viewer.accountId || ticket.participantIds.includes(viewer.accountId)) return true;
  return viewer.role === BrandRole.BRAND_ADMIN;
}

/** May this caller watch ticket events on the internal schema (RT-1 for support agents)? Agents only. */
export function canWatchTicketsAsAgent(viewer: Viewer): Decision {
  if (viewer.kind === 'agent') return ALLOW;
  return { allowed: false, reason: ForbiddenReason.NOT_AN_AGENT, message: 'Ticket events on the internal API are for support agents.' };
}
