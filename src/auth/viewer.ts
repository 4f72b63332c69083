import type { EntityManager } from '@mikro-orm/core';
import type { AccountType, BrandRole } from '../entities';
import { readAgents, readCustomers } from '../read/viewers';
import { AGENT_SCOPE, FEDRAMP_SCOPE, INTEGRATION_SCOPE, type VerifiedToken } from './token';

/** The signed-in account as read at the start of the request: a snapshot, not a managed entity. */
export interface ViewerAccount {
  id: string;
  brand: { id: string };
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  language: string;
  accountType: AccountType;
  role: BrandRole;
  supportAccessGranted: boolean;
  enterpriseSeat: boolean;
}

/** The viewer's brand, as read at the start of the request. */
export interface ViewerBrand {
  id: string;
  name: string;
  fedramp: boolean;
  successPackage: boolean;
  billingContactEditing: boolean;
}

/** What the access rules read of a customer: ids, role and FedRAMP flag (part of every `CustomerViewer`). */
export interface CustomerAccess {
  kind: 'customer';
  accountId: string;
  brandId: string;
  role: BrandRole;
  isFedramp: boolean;
}

/** A signed-in customer, with role, brand and FedRAMP status read from the database. */
export interface CustomerViewer extends CustomerAccess {
  account: ViewerAccount;
  brand: ViewerBrand;
}

/** The signed-in agent as read at the start of the request: a snapshot, not a managed entity. */
export interface ViewerAgent {
  id: string;
  displayName: string;
  email: string;
}

/** Vendor support staff (internal schema). */
export interface AgentViewer {
  kind: 'agent';
  agent: ViewerAgent;
  agentId: string;
}

/** A provisioning machine client (internal schema). */
export interface IntegrationViewer {
  kind: 'integration';
  subject: string;
  /** The token carries `hub:fedramp`: the integration may handle FedRAMP brands' data (its webhooks). */
  fedrampCleared?: boolean;
  /**
   * Only set on the viewer a webhook receives events as (src/auth/webhook-access.ts): the brands whose
   * tickets it may read. A request's integration viewer has none and reads no ticket.
   */
  brandIds?: readonly string[];
}

export interface AnonymousViewer {
  kind: 'anonymous';
}

export type Viewer = CustomerViewer | AgentViewer | IntegrationViewer | AnonymousViewer;

/**
 * What the access rules of `src/auth` read of a viewer: every `Viewer` is one, and fan-outs to
 * thousands of subscribers read only this much of each customer (`readCustomerAccess`).
 */
export type AccessViewer = CustomerAccess | AgentViewer | IntegrationViewer | AnonymousViewer;

export const ANONYMOUS: AnonymousViewer = { kind: 'anonymous' };

/** Which kind of caller a verified token names; the scopes decide, as for the endpoints. */
export function tokenKind(token: VerifiedToken): 'integration' | 'agent' | 'customer' {
  if (token.scopes.includes(INTEGRATION_SCOPE)) return 'integration';
  if (token.scopes.includes(AGENT_SCOPE)) return 'agent';
  return 'customer';
}

/**
 * Turns a verified token into a viewer by reading the database (src/read/viewers.ts). Returns
 * undefined when the subject is unknown (a token for a deleted account must not keep working).
 */
export async function resolveViewer(em: EntityManager, token: VerifiedToken): Promise<Viewer | undefined> {
  const kind = tokenKind(token);
  if (kind === 'integration') return { kind: 'integration', subject: token.subject, fedrampCleared: token.scopes.includes(FEDRAMP_SCOPE) };
  if (kind === 'agent') return (await readAgents(em, [token.subject])).get(token.subject);
  return (await readCustomers(em, [token.subject])).get(token.subject);
}
