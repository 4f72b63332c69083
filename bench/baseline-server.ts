import { jwtVerify } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BenchDb, openDatabase } from './lib/db';

/**
 * The read-path baseline: node:http, hand-written SQL, no GraphQL and no ORM. It does what the API
 * must do for the same two reads — verify the bearer token, load the viewer, apply the same access
 * rules (FED-1, HIST-3, HIST-5, brand) — and answers with the same JSON as the GraphQL queries in
 * bench/read.ts. `x-sql-statements` says how many statements the request ran.
 */

const HISTORY_CUTOFF = new Date('2019-07-15T00:00:00.000Z');

type Row = Record<string, unknown>;

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(Number(value))).toISOString();
const globalId = (type: string, id: number | string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const cursor = (createdAt: string, id: number) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
const TYPE_OF: Record<string, string> = { EMAIL: 'EMAIL', PHONE: 'PHONE', CHAT: 'CHAT', CONFERENCE: 'CONFERENCE' };
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

interface Viewer {
  id: string;
  role: string;
  brandId: string;
  fedramp: boolean;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The answer's text (a named function so that profiles show serialization apart from the handler). */
function answerJson(body: unknown): string {
  return JSON.stringify(body);
}

export function createBaseline(db: BenchDb, secret: Uint8Array) {
  let statements = 0;
  const q = <T = Row>(sql: string, params: readonly (string | number | Date)[] = []) => {
    statements++;
    return db.query<T>(sql, params);
  };

  async function viewerOf(req: IncomingMessage): Promise<Viewer> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new HttpError(401, 'unauthenticated');
    let subject: string;
    try {
      const { payload } = await jwtVerify(match[1], secret, { algorithms: ['HS256'] });
      subject = String(payload.sub);
    } catch {
      throw new HttpError(401, 'invalid token');
    }
    const [row] = await q<Row>('select a.id as id, a.role as role, a.brand_id as brand_id, b.fedramp as fedramp from account a join brand b on b.id = a.brand_id where a.id = ?', [subject]);
    if (!row) throw new HttpError(401, 'unknown subject');
    const viewer = { id: String(row.id), role: String(row.role), brandId: String(row.brand_id), fedramp: Boolean(row.fedramp) };
    if (viewer.fedramp) throw new HttpError(403, 'FEDRAMP_RESTRICTED');
    return viewer;
  }

  /** (a) tickets(first, scope: ORGANIZATION) with submitter, participants, assignee, escalation timeline. */
  async function organizationTickets(viewer: Viewer, first: number) {
    if (viewer.role !== 'BRAND_ADMIN') throw new HttpError(403, 'NOT_BRAND_ADMIN');
    const [counted, page] = await Promise.all([
      q<{ n: number | string }>('select count(*) as n from ticket where brand_id = ? and created_at >= ?', [viewer.brandId, HISTORY_CUTOFF]),
      q<Row>(
        'select id, kind, status, subject, created_at, submitter_id, assignee_id from ticket where brand_id = ? and created_at >= ? order by created_at desc, id desc limit ?',
        [viewer.brandId, HISTORY_CUTOFF, first + 1],
      ),
    ]);
    const tickets = page.slice(0, first);
    const ids = tickets.map((t) => Number(t.id));
    const agentIds = [...new Set(tickets.map((t) => t.assignee_id).filter((id): id is string => typeof id === 'string'))];
    const [participants, escalations, agents] = ids.length
      ? await Promise.all([
          q<Row>(`select ticket_id, account_id, role from ticket_participant where ticket_id in (${placeholders(ids.length)}) order by added_at asc, id asc`, ids),
          q<Row>(`select id, ticket_id, reference, status from escalation where ticket_id in (${placeholders(ids.length)})`, ids),
          agentIds.length ? q<Row>(`select id, display_name from agent where id in (${placeholders(agentIds.length)})`, agentIds) : Promise.resolve([]),
        ])
      : [[], [], []];
    const accountIds = [...new Set([...tickets.map((t) => String(t.submitter_id)), ...participants.map((p) => String(p.account_id))])];
    const escalationIds = escalations.map((e) => Number(e.id));
    const [accounts, timeline] = await Promise.all([
      accountIds.length ? q<Row>(`select id, username, first_name, last_name from account where id in (${placeholders(accountIds.length)})`, accountIds) : Promise.resolve([]),
      escalationIds.length
        ? q<Row>(`select escalation_id, status, reached_at from escalation_timeline_entry where escalation_id in (${placeholders(escalationIds.length)}) order by reached_at asc, id asc`, escalationIds)
        : Promise.resolve([]),
    ]);
    const accountById = new Map(accounts.map((a) => [String(a.id), a]));
    const agentById = new Map(agents.map((a) => [String(a.id), a]));
    const participantsOf = new Map<number, Row[]>();
    for (const p of participants) participantsOf.set(Number(p.ticket_id), [...(participantsOf.get(Number(p.ticket_id)) ?? []), p]);
    const timelineOf = new Map<number, Row[]>();
    for (const entry of timeline) timelineOf.set(Number(entry.escalation_id), [...(timelineOf.get(Number(entry.escalation_id)) ?? []), entry]);
    const escalationOf = new Map(escalations.map((e) => [Number(e.ticket_id), e]));
    const person = (id: string) => {
      const account = accountById.get(id)!;
      return { username: account.username, displayName: `${account.first_name} ${account.last_name}` };
    };

    const edges = tickets.map((t) => {
      const id = Number(t.id);
      const createdAt = iso(t.created_at);
      const escalation = escalationOf.get(id);
      const agent = t.assignee_id ? agentById.get(String(t.assignee_id)) : undefined;
      return {
        cursor: cursor(createdAt, id),
        node: {
          id: globalId('Ticket', id),
          number: id,
          type: TYPE_OF[String(t.kind)],
          status: t.status,
          subject: t.subject,
          createdAt,
          submitter: person(String(t.submitter_id)),
          participants: (participantsOf.get(id) ?? []).filter((p) => accountById.has(String(p.account_id))).map((p) => ({ ...person(String(p.account_id)), role: p.role })),
          assignee: agent ? { name: agent.display_name } : null,
          escalation: escalation
            ? {
                reference: escalation.reference,
                status: escalation.status,
                timeline: (timelineOf.get(Number(escalation.id)) ?? []).map((entry) => ({ status: entry.status, reachedAt: iso(entry.reached_at) })),
              }
            : null,
        },
      };
    });
    return {
      data: {
        tickets: {
          totalCount: Number(counted[0].n),
          pageInfo: { hasNextPage: page.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
          edges,
        },
      },
    };
  }

  /** (b) ticket(id) with its messages; null when absent or not readable, as the API does. */
  async function oneTicket(viewer: Viewer, id: string) {
    const decoded = Buffer.from(id, 'base64url').toString('utf8');
    const number = Number(decoded.slice('Ticket:'.length));
    if (!decoded.startsWith('Ticket:') || !Number.isSafeInteger(number)) throw new HttpError(400, 'bad id');
    const [t] = await q<Row>('select id, kind, status, subject, created_at, brand_id, submitter_id from ticket where id = ?', [number]);
    if (!t) return { data: { ticket: null } };
    const participants = await q<Row>('select account_id from ticket_participant where ticket_id = ?', [number]);
    const createdAt = new Date(iso(t.created_at));
    const involved = t.submitter_id === viewer.id || participants.some((p) => p.account_id === viewer.id);
    const readable = createdAt >= HISTORY_CUTOFF && t.brand_id === viewer.brandId && (involved || viewer.role === 'BRAND_ADMIN');
    if (!readable) return { data: { ticket: null } };
    const messages = await q<Row>('select author_kind, subject, body_html, recipients, created_at from message where ticket_id = ? order by created_at asc, id asc', [number]);
    return {
      data: {
        ticket: {
          id: globalId('Ticket', number),
          number,
          type: TYPE_OF[String(t.kind)],
          status: t.status,
          subject: t.subject,
          createdAt: createdAt.toISOString(),
          messages: messages.map((m) => ({
            authorKind: m.author_kind,
            subject: m.subject,
            bodyHtml: m.body_html,
            recipients: typeof m.recipients === 'string' ? JSON.parse(m.recipients) : m.recipients,
            createdAt: iso(m.created_at),
          })),
        },
      },
    };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const before = statements;
    try {
      const url = new URL(req.url ?? '/', 'http://baseline');
      const viewer = await viewerOf(req);
      let body: unknown;
      if (url.pathname === '/tickets') body = await organizationTickets(viewer, Math.min(100, Number(url.searchParams.get('first') ?? 20)));
      else if (url.pathname === '/ticket') body = await oneTicket(viewer, url.searchParams.get('id') ?? '');
      else throw new HttpError(404, 'not found');
      const json = answerJson(body);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'x-sql-statements': String(statements - before) });
      res.end(json);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    }
  };
}

/** Child-process entry: BASELINE_DATABASE_URL, BASELINE_JWT_SECRET, PORT; reports its port over IPC. */
if (require.main === module) {
  const db = openDatabase(process.env.BASELINE_DATABASE_URL!);
  const handle = createBaseline(db, new TextEncoder().encode(process.env.BASELINE_JWT_SECRET!));
  const server = createServer((req, res) => void handle(req, res));
  server.listen(Number(process.env.PORT ?? 0), () => {
    const { port } = server.address() as AddressInfo;
    if (process.send) process.send({ port });
    else console.log(`baseline listening on ${port}`);
  });
  process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));
}
