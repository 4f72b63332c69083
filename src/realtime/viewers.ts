import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { TicketAccessFacts } from '../auth/ticket-access';
import type { VerifiedToken } from '../auth/token';
import { readCustomers, tokenKind, type Viewer } from '../auth/viewer';
import { inChunks, placeholders, selectRows, toBoolean, toDate } from '../db/read-rows';
import { Agent, BrandRole } from '../entities';

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
 * The batch form of `resolveViewer` (src/auth/viewer.ts): many subscribers' viewers from one query
 * per kind, with the same fields (role, brand, FedRAMP re-read from the database). Unknown subjects
 * give undefined, as there.
 */
export async function loadViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(Viewer | undefined)[]> {
  const ids = (kind: string) => [...new Set(keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)))];
  const accountIds = ids('customer');
  const agentIds = ids('agent');
  const [customers, agents] = await Promise.all([readCustomers(em, accountIds), agentIds.length ? em.find(Agent, { id: { $in: agentIds } }) : []]);
  const byKey = new Map<ViewerKey, Viewer>();
  for (const [id, viewer] of customers) byKey.set(`customer:${id}`, viewer);
  for (const agent of agents) byKey.set(`agent:${agent.id}`, { kind: 'agent', agent, agentId: agent.id });
  return keys.map((key) => (key.startsWith('integration:') ? { kind: 'integration', subject: key.slice('integration:'.length) } : byKey.get(key)));
}

/** A per-event loader of viewers: every subscriber of one event on this instance shares one query per kind. */
export function viewerLoader(em: EntityManager): DataLoader<ViewerKey, Viewer | undefined> {
  return new DataLoader((keys) => loadViewers(em, keys), { maxBatchSize: 5_000 });
}

/**
 * What the access rules (`canUseTicketHistory`, `canReadTicket`) read of a viewer: kind, ids, role
 * and FedRAMP flag. For fan-outs to thousands of subscribers these come from plain rows instead of
 * hydrated entities; nothing else may be read from such a viewer.
 */
export type AccessViewer = Viewer;

/**
 * `loadViewers` for the access rules only: kind, ids, role, brand and FedRAMP flag of many viewers
 * from plain rows (one statement per kind however many viewers, no entity hydration: thousands of
 * rows per event), read fresh at every call.
 */
export async function loadAccessViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(AccessViewer | undefined)[]> {
  const ids = (kind: string) => [...new Set(keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)))];
  const [accounts, agents] = await Promise.all([
    inChunks(ids('customer'), (chunk) => selectRows(em, `select a.id, a.brand_id, a.role, b.fedramp from account a join brand b on b.id = a.brand_id where a.id in (${placeholders(chunk.length)})`, chunk)),
    inChunks(ids('agent'), (chunk) => selectRows(em, `select id from agent where id in (${placeholders(chunk.length)})`, chunk)),
  ]);
  const byKey = new Map<ViewerKey, AccessViewer>();
  for (const a of accounts) {
    byKey.set(`customer:${a.id}`, { kind: 'customer', accountId: String(a.id), brandId: String(a.brand_id), role: a.role as BrandRole, isFedramp: toBoolean(a.fedramp) } as AccessViewer);
  }
  for (const a of agents) byKey.set(`agent:${a.id}`, { kind: 'agent', agentId: String(a.id) } as AccessViewer);
  return keys.map((key) => (key.startsWith('integration:') ? { kind: 'integration', subject: key.slice('integration:'.length) } : byKey.get(key)));
}

/** The access facts of many tickets from plain rows: two statements however many tickets. */
export async function loadTicketAccessFacts(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, TicketAccessFacts>> {
  const ids = [...new Set(ticketIds)];
  const [tickets, participants] = await Promise.all([
    inChunks(ids, (chunk) => selectRows(em, `select id, brand_id, submitter_id, created_at from ticket where id in (${placeholders(chunk.length)})`, chunk)),
    inChunks(ids, (chunk) => selectRows(em, `select ticket_id, account_id from ticket_participant where ticket_id in (${placeholders(chunk.length)})`, chunk)),
  ]);
  const people = new Map<number, string[]>();
  for (const p of participants) {
    const id = Number(p.ticket_id);
    const list = people.get(id);
    if (list) list.push(String(p.account_id));
    else people.set(id, [String(p.account_id)]);
  }
  const out = new Map<number, TicketAccessFacts>();
  for (const t of tickets) {
    const id = Number(t.id);
    out.set(id, { brandId: String(t.brand_id), submitterId: String(t.submitter_id), participantIds: people.get(id) ?? [], createdAt: toDate(t.created_at) });
  }
  return out;
}
