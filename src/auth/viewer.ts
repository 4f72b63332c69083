import type { EntityManager } from '@mikro-orm/core';
import { Account, Agent, Brand, BrandRole } from '../entities';
import { AGENT_SCOPE, INTEGRATION_SCOPE, type VerifiedToken } from './token';

/** A signed-in customer, with role, brand and FedRAMP status read from the database. */
export interface CustomerViewer {
  kind: 'customer';
  account: Account;
  brand: Brand;
  accountId: string;
  brandId: string;
  role: BrandRole;
  isFedramp: boolean;
}

/** Vendor support staff (internal schema). */
export interface AgentViewer {
  kind: 'agent';
  agent: Agent;
  agentId: string;
}

/** A provisioning machine client (internal schema). */
export interface IntegrationViewer {
  kind: 'integration';
  subject: string;
}

export interface AnonymousViewer {
  kind: 'anonymous';
}

export type Viewer = CustomerViewer | AgentViewer | IntegrationViewer | AnonymousViewer;

export const ANONYMOUS: AnonymousViewer = { kind: 'anonymous' };

/** Which kind of caller a verified token names; the scopes decide, as for the endpoints. */
export function tokenKind(token: VerifiedToken): 'integration' | 'agent' | 'customer' {
  if (token.scopes.includes(INTEGRATION_SCOPE)) return 'integration';
  if (token.scopes.includes(AGENT_SCOPE)) return 'agent';
  return 'customer';
}

/** A customer viewer from an account read with its brand: role and FedRAMP come from the database. */
export function customerViewerOf(account: Account): CustomerViewer {
  const brand = account.brand.getEntity();
  return { kind: 'customer', account, brand, accountId: account.id, brandId: brand.id, role: account.role, isFedramp: brand.fedramp };
}

/**
 * Turns a verified token into a viewer by reading the database. Returns undefined when the subject
 * is unknown (a token for a deleted account must not keep working).
 */
export async function resolveViewer(em: EntityManager, token: VerifiedToken): Promise<Viewer | undefined> {
  const kind = tokenKind(token);
  if (kind === 'integration') return { kind: 'integration', subject: token.subject };
  if (kind === 'agent') {
    const agent = await em.findOne(Agent, { id: token.subject });
    return agent ? { kind: 'agent', agent, agentId: agent.id } : undefined;
  }
  const account = await em.findOne(Account, { id: token.subject }, { populate: ['brand'] });
  return account ? customerViewerOf(account) : undefined;
}
