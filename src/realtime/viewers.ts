import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import DataLoader from 'dataloader';
import type { TicketAccessFacts } from '../auth/ticket-access';
import type { VerifiedToken } from '../auth/token';
import { customerViewerOf, tokenKind, type Viewer } from '../auth/viewer';
import { Account, Agent, Brand, BrandRole, Ticket, TicketParticipant } from '../entities';

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
  const [accounts, agents] = await Promise.all([
    accountIds.length ? em.find(Account, { id: { $in: accountIds } }, { populate: ['brand'] }) : [],
    agentIds.length ? em.find(Agent, { id: { $in: agentIds } }) : [],
  ]);
  const byKey = new Map<ViewerKey, Viewer>();
  for (const account of accounts) byKey.set(`customer:${account.id}`, customerViewerOf(account));
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

const inChunks = async <T, R>(items: T[], size: number, each: (chunk: T[]) => Promise<R[]>): Promise<R[]> => {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await each(items.slice(i, i + size))));
  return out;
};
const CHUNK = 5_000;

/** An unmapped database row (column names). */
type Row = Record<string, unknown>;

/** A datetime column as the driver returns it unmapped-ish: Date, epoch number, or (numeric) string. */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(value as string | number);
}

/**
 * `loadViewers` for the access rules only, from plain rows (a few queries however many viewers).
 * Rows are read unmapped (column names; no entity or result mapping: thousands of rows per event).
 */
export async function loadAccessViewers(em: EntityManager, keys: readonly ViewerKey[]): Promise<(AccessViewer | undefined)[]> {
  const sql = em as SqlEntityManager;
  const ids = (kind: string) => [...new Set(keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)))];
  const [accounts, agents] = await Promise.all([
    inChunks(ids('customer'), CHUNK, (chunk) => sql.createQueryBuilder(Account).select(['id', 'brand', 'role']).where({ id: { $in: chunk } }).execute<Row[]>('all', false)),
    inChunks(ids('agent'), CHUNK, (chunk) => sql.createQueryBuilder(Agent).select(['id']).where({ id: { $in: chunk } }).execute<Row[]>('all', false)),
  ]);
  const brandIds = [...new Set(accounts.map((a) => String(a.brand_id)))];
  const brands = await inChunks(brandIds, CHUNK, (chunk) => sql.createQueryBuilder(Brand).select(['id', 'fedramp']).where({ id: { $in: chunk } }).execute<Row[]>('all', false));
  const fedramp = new Map(brands.map((b) => [String(b.id), Boolean(b.fedramp)]));
  const byKey = new Map<ViewerKey, AccessViewer>();
  for (const a of accounts) {
    const brandId = String(a.brand_id);
    byKey.set(`customer:${a.id}`, { kind: 'customer', accountId: String(a.id), brandId, role: a.role as BrandRole, isFedramp: fedramp.get(brandId) ?? false } as AccessViewer);
  }
  for (const a of agents) byKey.set(`agent:${a.id}`, { kind: 'agent', agentId: String(a.id) } as AccessViewer);
  return keys.map((key) => (key.startsWith('integration:') ? { kind: 'integration', subject: key.slice('integration:'.length) } : byKey.get(key)));
}

/** The access facts of many tickets from plain rows: two queries however many tickets. */
export async function loadTicketAccessFacts(em: EntityManager, ticketIds: number[]): Promise<Map<number, TicketAccessFacts>> {
  const sql = em as SqlEntityManager;
  const [tickets, participants] = await Promise.all([
    inChunks(ticketIds, CHUNK, (chunk) => sql.createQueryBuilder(Ticket).select(['id', 'brand', 'submitter', 'createdAt']).where({ id: { $in: chunk } }).execute<Row[]>('all', false)),
    inChunks(ticketIds, CHUNK, (chunk) => sql.createQueryBuilder(TicketParticipant).select(['ticket', 'account']).where({ ticket: { $in: chunk } }).execute<Row[]>('all', false)),
  ]);
  const people = new Map<number, string[]>();
  for (const p of participants) {
    const id = Number(p.ticket_id);
    const list = people.get(id) ?? [];
    list.push(String(p.account_id));
    people.set(id, list);
  }
  const out = new Map<number, TicketAccessFacts>();
  for (const t of tickets) {
    const id = Number(t.id);
    out.set(id, { brandId: String(t.brand_id), submitterId: String(t.submitter_id), participantIds: people.get(id) ?? [], createdAt: asDate(t.created_at) });
  }
  return out;
}
