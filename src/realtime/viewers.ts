import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { VerifiedToken } from '../auth/token';
import { tokenKind, type Viewer } from '../auth/viewer';
import { readAgents, readCustomers } from '../read/viewers';

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

/**
 * The batch form of `resolveViewer` (src/auth/viewer.ts), through the same reader
 * (src/read/viewers.ts): many subscribers' viewers from one statement per kind, with the same fields
 * (role, brand, FedRAMP re-read from the database). Unknown subjects give undefined, as there.
 */
export async function loadViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(Viewer | undefined)[]> {
  const ids = (kind: string) => [...new Set(keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)))];
  const accountIds = ids('customer');
  const agentIds = ids('agent');
  const [customers, agents] = await Promise.all([readCustomers(em, accountIds), readAgents(em, agentIds)]);
  const byKey = new Map<ViewerKey, Viewer>();
  for (const [id, viewer] of customers) byKey.set(`customer:${id}`, viewer);
  for (const [id, viewer] of agents) byKey.set(`agent:${id}`, viewer);
  return keys.map((key) => (key.startsWith('integration:') ? { kind: 'integration', subject: key.slice('integration:'.length) } : byKey.get(key)));
}

/** A per-event loader of viewers: every subscriber of one event on this instance shares one query per kind. */
export function viewerLoader(em: EntityManager): DataLoader<ViewerKey, Viewer | undefined> {
  return new DataLoader((keys) => loadViewers(em, keys), { maxBatchSize: 5_000 });
}
