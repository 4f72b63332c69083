import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { VerifiedToken } from '../auth/token';
import { type AccessViewer, type IntegrationViewer, tokenKind, type Viewer } from '../auth/viewer';
import { readAgents, readCustomerAccess, readCustomers } from '../read/viewers';

/** Who a subscriber is, by id only (`customer:<account>`, `agent:<agent>`, `integration:<subject>`): re-read per event. */
export type ViewerKey = string;

/** The key of a verified token's subject, decided exactly like `resolveViewer` decides the kind. */
export function viewerKeyOfToken(token: VerifiedToken): ViewerKey {
  return `${tokenKind(token)}:${token.subject}`;
}

/** The key of a viewer already read (null for anonymous). */
export function viewerKeyOf(viewer: Viewer): ViewerKey | null {
  if (viewer.kind === 'customer') return `customer:${viewer.accountId}`;
  if (viewer.kind === 'agent') return `agent:${viewer.agentId}`;
  if (viewer.kind === 'integration') return `integration:${viewer.subject}`;
  return null;
}

/** The viewers of `keys`, in key order, customers and agents read by `customers` and `agents`. */
async function byKeys<V extends AccessViewer>(
  keys: readonly ViewerKey[],
  customers: (ids: string[]) => Promise<Map<string, V>>,
  agents: (ids: string[]) => Promise<Map<string, V>>,
): Promise<(V | IntegrationViewer | undefined)[]> {
  const ids = (kind: string) => [...new Set(keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)))];
  const [customerViewers, agentViewers] = await Promise.all([customers(ids('customer')), agents(ids('agent'))]);
  const byKey = new Map<ViewerKey, V>();
  for (const [id, viewer] of customerViewers) byKey.set(`customer:${id}`, viewer);
  for (const [id, viewer] of agentViewers) byKey.set(`agent:${id}`, viewer);
  return keys.map((key) => (key.startsWith('integration:') ? { kind: 'integration', subject: key.slice('integration:'.length) } : byKey.get(key)));
}

/**
 * The batch form of `resolveViewer` (src/auth/viewer.ts), through the same reader
 * (src/read/viewers.ts): many subscribers' viewers from one statement per kind, with the same fields
 * (role, brand, FedRAMP re-read from the database). Unknown subjects give undefined, as there.
 */
export function loadViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(Viewer | undefined)[]> {
  return byKeys<Viewer>(keys, (ids) => readCustomers(em, ids), (ids) => readAgents(em, ids));
}

/**
 * `loadViewers` for the access rules only (`AccessViewer`: kind, ids, role, brand, FedRAMP flag),
 * for a queue move's thousands of watchers; read fresh at every call.
 */
export function loadAccessViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(AccessViewer | undefined)[]> {
  return byKeys<AccessViewer>(keys, (ids) => readCustomerAccess(em, ids), (ids) => readAgents(em, ids));
}

/** A per-event loader of viewers: every subscriber of one event on this instance shares one query per kind. */
export function viewerLoader(em: EntityManager): DataLoader<ViewerKey, Viewer | undefined> {
  return new DataLoader((keys) => loadViewers(em, keys), { maxBatchSize: 5_000 });
}
