import { jwtVerify } from 'jose';

/**
 * What the baseline and the peer (bench/baseline-server.ts, bench/peer-server.ts) both do for the
 * bench's reads, written once so that the two references check the same things the same way: the
 * bearer token, the viewer with FED-1, the HIST-3/HIST-5/brand condition of one ticket, and the
 * API's encodings of ids, cursors and dates.
 */

/** HIST-5: tickets created before this date are not shown. */
export const HISTORY_CUTOFF = new Date('2019-07-15T00:00:00.000Z');

export type Row = Record<string, unknown>;
/** Runs one statement (`?` placeholders) and counts it. */
export type Query = <T = Row>(sql: string, params?: readonly (string | number | Date)[]) => Promise<T[]>;

export const iso = (value: unknown): string => (value instanceof Date ? value : new Date(Number(value))).toISOString();
export const globalId = (type: string, id: number | string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
/** The API's cursor of the default order (newest first): the order's name, then its position (src/services/ticket-query.service.ts). */
export const cursor = (createdAt: string, id: number) => Buffer.from(JSON.stringify(['CREATED_AT', createdAt, id])).toString('base64url');
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export interface Viewer {
  id: string;
  role: string;
  brandId: string;
  fedramp: boolean;
  /** Where the write case's confirmation goes. */
  email: string;
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The viewer of an `Authorization: Bearer <HS256 JWT>` header; FED-1 refuses FedRAMP customers. */
export async function viewerOf(authorization: string | undefined, secret: Uint8Array, q: Query): Promise<Viewer> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new HttpError(401, 'unauthenticated');
  let subject: string;
  try {
    const { payload } = await jwtVerify(match[1], secret, { algorithms: ['HS256'] });
    subject = String(payload.sub);
  } catch {
    throw new HttpError(401, 'invalid token');
  }
  const [row] = await q<Row>('select a.id as id, a.role as role, a.brand_id as brand_id, a.email as email, b.fedramp as fedramp from account a join brand b on b.id = a.brand_id where a.id = ?', [subject]);
  if (!row) throw new HttpError(401, 'unknown subject');
  const viewer = { id: String(row.id), role: String(row.role), brandId: String(row.brand_id), fedramp: Boolean(row.fedramp), email: String(row.email) };
  if (viewer.fedramp) throw new HttpError(403, 'FEDRAMP_RESTRICTED');
  return viewer;
}

/** HIST-1: only brand admins list their organization's tickets. */
export function requireBrandAdmin(viewer: Viewer): void {
  if (viewer.role !== 'BRAND_ADMIN') throw new HttpError(403, 'NOT_BRAND_ADMIN');
}

/** The ticket number a global `Ticket` id names. */
export function ticketNumberOf(id: string): number {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const number = Number(decoded.slice('Ticket:'.length));
  if (!decoded.startsWith('Ticket:') || !Number.isSafeInteger(number)) throw new HttpError(400, 'bad id');
  return number;
}

/** HIST-3, HIST-5 and the brand: whether `viewer` may read ticket row `t` (with `brand_id`, `submitter_id`, `created_at`). */
export function canRead(viewer: Viewer, t: Row, participantIds: readonly unknown[]): boolean {
  const involved = t.submitter_id === viewer.id || participantIds.includes(viewer.id);
  return new Date(iso(t.created_at)) >= HISTORY_CUTOFF && t.brand_id === viewer.brandId && (involved || viewer.role === 'BRAND_ADMIN');
}

/** An account row as a `TicketParticipant` without its role. */
export const person = (account: Row) => ({ username: account.username, displayName: `${account.first_name} ${account.last_name}` });

/** A message row as a `TicketMessage`. */
export const messageOf = (m: Row) => ({
  authorKind: m.author_kind,
  subject: m.subject,
  bodyHtml: m.body_html,
  recipients: typeof m.recipients === 'string' ? JSON.parse(m.recipients) : m.recipients,
  createdAt: iso(m.created_at),
});

/** The statements the two references share, so both read the same columns the same way. */
export const SQL = {
  count: 'select count(*) as n from ticket where brand_id = ? and created_at >= ?',
  page: 'select id, kind, status, subject, created_at, submitter_id, assignee_id from ticket where brand_id = ? and created_at >= ? order by created_at desc, id desc limit ?',
  participants: (n: number) => `select ticket_id, account_id, role from ticket_participant where ticket_id in (${placeholders(n)}) order by added_at asc, id asc`,
  escalations: (n: number) => `select id, ticket_id, reference, status from escalation where ticket_id in (${placeholders(n)})`,
  agents: (n: number) => `select id, display_name from agent where id in (${placeholders(n)})`,
  accounts: (n: number) => `select id, username, first_name, last_name from account where id in (${placeholders(n)})`,
  timeline: (n: number) => `select escalation_id, status, reached_at from escalation_timeline_entry where escalation_id in (${placeholders(n)}) order by reached_at asc, id asc`,
  ticket: 'select id, kind, status, subject, created_at, brand_id, submitter_id from ticket where id = ?',
  ticketParticipants: 'select account_id from ticket_participant where ticket_id = ?',
  messagesOf: (n: number) => `select ticket_id, author_kind, subject, body_html, recipients, created_at from message where ticket_id in (${placeholders(n)}) order by created_at asc, id asc`,
  messages: 'select author_kind, subject, body_html, recipients, created_at from message where ticket_id = ? order by created_at asc, id asc',
};
