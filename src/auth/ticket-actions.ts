import { BrandRole, TicketKind, TicketStatus } from '../entities/enums';
import type { TicketAccessFacts } from './ticket-access';
import type { Viewer } from './viewer';

/**
 * Why a viewer may not act on a ticket. `kind: 'forbidden'` refusals are about who the viewer is
 * (GraphQL error FORBIDDEN with this reason); `kind: 'state'` refusals are about the ticket's state
 * (a `userErrors` entry with code INVALID_STATE in the mutation payload).
 */
export enum TicketActionRefusal {
  NOT_A_CUSTOMER = 'NOT_A_CUSTOMER',
  FEDRAMP_RESTRICTED = 'FEDRAMP_RESTRICTED',
  NOT_TICKET_OWNER = 'NOT_TICKET_OWNER',
  NOT_TICKET_PARTICIPANT = 'NOT_TICKET_PARTICIPANT',
  TICKET_CLOSED = 'TICKET_CLOSED',
  TICKET_NOT_CLOSED = 'TICKET_NOT_CLOSED',
  NO_EMAIL_THREAD = 'NO_EMAIL_THREAD',
  FEEDBACK_ALREADY_RECEIVED = 'FEEDBACK_ALREADY_RECEIVED',
}

const AUTHORIZATION_REFUSALS: ReadonlySet<TicketActionRefusal> = new Set([
  TicketActionRefusal.NOT_A_CUSTOMER,
  TicketActionRefusal.FEDRAMP_RESTRICTED,
  TicketActionRefusal.NOT_TICKET_OWNER,
  TicketActionRefusal.NOT_TICKET_PARTICIPANT,
]);

/** True when the refusal is about the caller (FORBIDDEN), false when about the ticket's state (userError). */
export function isAuthorizationRefusal(reason: TicketActionRefusal): boolean {
  return AUTHORIZATION_REFUSALS.has(reason);
}

/** What the action rules need beyond the read facts: plain data, so they stay pure. */
export interface TicketActionFacts extends TicketAccessFacts {
  kind: TicketKind;
  status: TicketStatus;
  /** Number of e-mails in the ticket's thread. */
  messageCount: number;
  /** CLS-3: feedback was already left. */
  hasFeedback: boolean;
}

export type ActionDecision = { allowed: true } | { allowed: false; reason: TicketActionRefusal; message: string };

const ALLOW: ActionDecision = { allowed: true };
const refuse = (reason: TicketActionRefusal, message: string): ActionDecision => ({ allowed: false, reason, message });

/** Customers only, never FedRAMP accounts (they have no ticket history, FED-1). */
function customerGate(viewer: Viewer): ActionDecision {
  if (viewer.kind !== 'customer') return refuse(TicketActionRefusal.NOT_A_CUSTOMER, 'Only customer accounts act on their tickets here.');
  if (viewer.isFedramp) return refuse(TicketActionRefusal.FEDRAMP_RESTRICTED, 'Support ticket history is not available to FedRAMP accounts.');
  return ALLOW;
}

/**
 * FUP-1 "has an e-mail thread": an EMAIL ticket always has one (it was raised by e-mail); a phone,
 * chat or conference ticket has one once it carries related e-mails (TKT-3, TKT-5).
 */
export function hasEmailThread(facts: Pick<TicketActionFacts, 'kind' | 'messageCount'>): boolean {
  return facts.kind === TicketKind.EMAIL || facts.messageCount > 0;
}

/**
 * FUP-1, FUP-4: the submitter and the brand admins of the ticket's brand can reply to a ticket that
 * is not closed and has an e-mail thread. Who comes first: a non-owner learns NOT_TICKET_OWNER even
 * on a closed ticket.
 */
export function canReply(viewer: Viewer, facts: TicketActionFacts): ActionDecision {
  const gate = customerGate(viewer);
  if (!gate.allowed || viewer.kind !== 'customer') return gate;
  const isSubmitter = facts.submitterId === viewer.accountId;
  const isBrandAdmin = viewer.role === BrandRole.BRAND_ADMIN && viewer.brandId === facts.brandId;
  if (!isSubmitter && !isBrandAdmin) {
    return refuse(TicketActionRefusal.NOT_TICKET_OWNER, 'Only the submitter of this ticket and their brand administrators can reply to it.');
  }
  if (facts.status === TicketStatus.CLOSED) {
    return refuse(TicketActionRefusal.TICKET_CLOSED, 'This ticket is closed and can no longer be replied to; create a new ticket and reference this ticket ID.');
  }
  if (!hasEmailThread(facts)) return refuse(TicketActionRefusal.NO_EMAIL_THREAD, 'This ticket has no e-mail thread to reply to.');
  return ALLOW;
}

/** CLS-1: the owner (submitter) of a ticket that is not closed can close it. */
export function canClose(viewer: Viewer, facts: TicketActionFacts): ActionDecision {
  const gate = customerGate(viewer);
  if (!gate.allowed || viewer.kind !== 'customer') return gate;
  if (facts.submitterId !== viewer.accountId) return refuse(TicketActionRefusal.NOT_TICKET_OWNER, 'Only the submitter of this ticket can close it.');
  if (facts.status === TicketStatus.CLOSED) return refuse(TicketActionRefusal.TICKET_CLOSED, 'This ticket is already closed.');
  return ALLOW;
}

/** CLS-3: the owner of a closed ticket can leave feedback, once. */
export function canLeaveFeedback(viewer: Viewer, facts: TicketActionFacts): ActionDecision {
  const gate = customerGate(viewer);
  if (!gate.allowed || viewer.kind !== 'customer') return gate;
  if (facts.submitterId !== viewer.accountId) return refuse(TicketActionRefusal.NOT_TICKET_OWNER, 'Only the submitter of this ticket can leave feedback.');
  if (facts.status !== TicketStatus.CLOSED) return refuse(TicketActionRefusal.TICKET_NOT_CLOSED, 'Feedback can be left once the ticket is closed.');
  if (facts.hasFeedback) return refuse(TicketActionRefusal.FEEDBACK_ALREADY_RECEIVED, 'Feedback was already received for this ticket. Thank you!');
  return ALLOW;
}

/**
 * PRX-1, PRX-2: each user associated with a ticket (submitter or additional user) sets proxy access
 * for their own account only; the decision never concerns another user's account.
 */
export function canSetProxyAccess(viewer: Viewer, facts: TicketAccessFacts): ActionDecision {
  const gate = customerGate(viewer);
  if (!gate.allowed || viewer.kind !== 'customer') return gate;
  if (facts.submitterId !== viewer.accountId && !facts.participantIds.includes(viewer.accountId)) {
    return refuse(TicketActionRefusal.NOT_TICKET_PARTICIPANT, 'Only users associated with this ticket can set proxy access for their own account.');
  }
  return ALLOW;
}

/** Where an effective proxy-access value comes from (PRX-3). */
export enum ProxyAccessSource {
  TICKET_OVERRIDE = 'TICKET_OVERRIDE',
  ACCOUNT_DEFAULT = 'ACCOUNT_DEFAULT',
  /** ENT-5: the user's "Enterprise Support may access my account" answer when verifying the ticket. */
  ENTERPRISE_VERIFICATION = 'ENTERPRISE_VERIFICATION',
}

/**
 * PRX-3, ENT-5: the latest ticket-level change for the user wins (their per-ticket setting, or the
 * answer they gave when verifying an Enterprise ticket); without one the account-level "grant
 * support access" setting applies.
 */
export function effectiveProxyAccess(
  accountDefault: boolean,
  changes: readonly { granted: boolean; changedAt: Date; origin?: string }[],
): { granted: boolean; source: ProxyAccessSource } {
  let latest: { granted: boolean; changedAt: Date; origin?: string } | undefined;
  for (const c of changes) if (!latest || c.changedAt.getTime() >= latest.changedAt.getTime()) latest = c;
  if (!latest) return { granted: accountDefault, source: ProxyAccessSource.ACCOUNT_DEFAULT };
  return { granted: latest.granted, source: latest.origin === 'ENTERPRISE_VERIFICATION' ? ProxyAccessSource.ENTERPRISE_VERIFICATION : ProxyAccessSource.TICKET_OVERRIDE };
}

/** CLS-2: the catalog key of the notice for a ticket (word for word in English), or null while it is not closed. */
export function closedNotice(status: TicketStatus): 'ticket.closedNotice' | null {
  return status === TicketStatus.CLOSED ? 'ticket.closedNotice' : null;
}
