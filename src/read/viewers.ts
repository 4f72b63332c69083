import type { EntityManager } from '@mikro-orm/core';
import type { AgentViewer, CustomerAccess, CustomerViewer, ViewerAccount, ViewerAgent, ViewerBrand } from '../auth/viewer';
import type { AccountType, BrandRole } from '../entities';
import { inChunks, placeholders, selectRows, toBoolean } from './driver';

/**
 * The viewers read model: who a signed-in caller is (account and brand, role and FedRAMP flag, or
 * the agent), read fresh from the database. The one reader of viewers: a request's viewer
 * (`resolveViewer`) and every subscriber of a real-time event (`viewerLoader`) come from here, and
 * the watchers of a queue move read the access part of the same rows (`readCustomerAccess`). Plain
 * rows, one statement per kind per 4,096 ids
 * (`inChunks`): hydrating the account and brand as entities cost more than the rest of a small
 * query (docs/performance.md). Unknown ids are missing from the maps.
 */

/** Customer viewers by account id. */
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
    viewers.set(account.id, { kind: 'customer', account, brand, accountId: account.id, brandId: brand.id, role: account.role, isFedramp: brand.fedramp });
  }
  return viewers;
}

/**
 * `readCustomers` for the access rules only (`CustomerAccess`: ids, role, FedRAMP flag): a queue move
 * re-reads every watcher of the queue (thousands), and the full viewer rows cost two to three times
 * as much to read and build for 5,000 of them (20 → 41 ms and 30 → 84 ms in process, docs/architecture.md).
 */
export async function readCustomerAccess(em: EntityManager, accountIds: readonly string[]): Promise<Map<string, CustomerAccess>> {
  const rows = await inChunks(accountIds, (ids) =>
    selectRows(em, `select a.id, a.brand_id, a.role, b.fedramp from account a join brand b on b.id = a.brand_id where a.id in (${placeholders(ids.length)})`, ids),
  );
  const viewers = new Map<string, CustomerAccess>();
  for (const row of rows) {
    const accountId = row.id as string;
    viewers.set(accountId, { kind: 'customer', accountId, brandId: row.brand_id as string, role: row.role as BrandRole, isFedramp: toBoolean(row.fedramp) });
  }
  return viewers;
}

/** Agent viewers by agent id. */
export async function readAgents(em: EntityManager, agentIds: readonly string[]): Promise<Map<string, AgentViewer>> {
  const rows = await inChunks(agentIds, (ids) => selectRows(em, `select id, display_name, email from agent where id in (${placeholders(ids.length)})`, ids));
  const viewers = new Map<string, AgentViewer>();
  for (const row of rows) {
    const agent: ViewerAgent = { id: row.id as string, displayName: row.display_name as string, email: row.email as string };
    viewers.set(agent.id, { kind: 'agent', agent, agentId: agent.id });
  }
  return viewers;
}
