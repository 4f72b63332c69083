import type { EntityManager } from '@mikro-orm/core';
import { inChunks, placeholders, selectRows, toBoolean } from '../db/read-rows';
import { Agent, type AccountType, BrandRole } from '../entities';
import { AGENT_SCOPE, INTEGRATION_SCOPE, type VerifiedToken } from './token';

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

/** A signed-in customer, with role, brand and FedRAMP status read from the database. */
export interface CustomerViewer {
  kind: 'customer';
  account: ViewerAccount;
  brand: ViewerBrand;
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

function customerViewer(account: ViewerAccount, brand: ViewerBrand): CustomerViewer {
  return { kind: 'customer', account, brand, accountId: account.id, brandId: brand.id, role: account.role, isFedramp: brand.fedramp };
}

/**
 * Customer viewers (account and brand, role and FedRAMP from the database) by account id, one plain
 * statement per 4,096 ids (`inChunks`); unknown ids are missing from the map. This runs before
 * every request of a signed-in customer and for every subscriber of a real-time event: hydrating
 * managed entities through the query builder cost more than the rest of a small query
 * (docs/performance.md).
 */
export async function readCustomers(em: EntityManager, accountIds: readonly string[]): Promise<Map<string, CustomerViewer>> {
  const rows = await inChunks(accountIds, (ids) =>
    selectRows(
      em,
      `select a.id, a.username, a.email, a.first_name, a.last_name, a.language, a.account_type, a.role, a.support_access_granted, a.enterprise_seat,
        b.id as brand_id, b.name as brand_name, b.fedramp, b.success_package, b.billing_contact_editing
       from account a join brand b on b.id = a.brand_id where a.id in (${placeholders(ids.length)})`,
      ids,
    ),
  );
  const viewers = new Map<string, CustomerViewer>();
  for (const row of rows) {
    const brand: ViewerBrand = {
      id: row.brand_id as string,
      name: row.brand_name as string,
      fedramp: toBoolean(row.fedramp),
      successPackage: toBoolean(row.success_package),
      billingContactEditing: toBoolean(row.billing_contact_editing),
    };
    const account: ViewerAccount = {
      id: row.id as string,
      brand: { id: brand.id },
      username: row.username as string,
      email: row.email as string,
      firstName: row.first_name as string,
      lastName: row.last_name as string,
      language: row.language as string,
      accountType: row.account_type as AccountType,
      role: row.role as BrandRole,
      supportAccessGranted: toBoolean(row.support_access_granted),
      enterpriseSeat: toBoolean(row.enterprise_seat),
    };
    viewers.set(account.id, customerViewer(account, brand));
  }
  return viewers;
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
  return (await readCustomers(em, [token.subject])).get(token.subject);
}
