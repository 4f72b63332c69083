import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canRead, cursor, HISTORY_CUTOFF, globalId, HttpError, iso, messageOf, person as personOf, requireBrandAdmin, type Row, SQL, ticketNumberOf, type Viewer, viewerOf } from './lib/access';
import { type BenchDb, openDatabase } from './lib/db';
import { createEmailTicketRows, type EmailTicketInput } from './lib/email-ticket';

/**
 * The read-path baseline: node:http, hand-written SQL, no GraphQL and no ORM. It does what the API
 * must do for the same two reads — verify the bearer token, load the viewer, apply the same access
 * rules (FED-1, HIST-3, HIST-5, brand; bench/lib/access.ts, shared with the peer) — and answers with
 * the same JSON as the GraphQL queries in bench/read.ts. `x-sql-statements` says how many statements
 * the request ran. `POST /email-tickets` is the write case's baseline (bench/write.ts).
 */

const TYPE_OF: Record<string, string> = { EMAIL: 'EMAIL', PHONE: 'PHONE', CHAT: 'CHAT', CONFERENCE: 'CONFERENCE' };

/** A request's JSON body (the write case). */
async function jsonBody(req: IncomingMessage): Promise<EmailTicketInput> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmailTicketInput;
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

  /** (a) tickets(first, scope: ORGANIZATION) with submitter, participants, assignee, escalation timeline. */
  async function organizationTickets(viewer: Viewer, first: number) {
    requireBrandAdmin(viewer);
    const [counted, page] = await Promise.all([
      q<{ n: number | string }>(SQL.count, [viewer.brandId, HISTORY_CUTOFF]),
      q<Row>(SQL.page, [viewer.brandId, HISTORY_CUTOFF, first + 1]),
    ]);
    const tickets = page.slice(0, first);
    const ids = tickets.map((t) => Number(t.id));
    const agentIds = [...new Set(tickets.map((t) => t.assignee_id).filter((id): id is string => typeof id === 'string'))];
    const [participants, escalations, agents] = ids.length
      ? await Promise.all([
          q<Row>(SQL.participants(ids.length), ids),
          q<Row>(SQL.escalations(ids.length), ids),
          agentIds.length ? q<Row>(SQL.agents(agentIds.length), agentIds) : Promise.resolve([]),
        ])
      : [[], [], []];
    const accountIds = [...new Set([...tickets.map((t) => String(t.submitter_id)), ...participants.map((p) => String(p.account_id))])];
    const escalationIds = escalations.map((e) => Number(e.id));
    const [accounts, timeline] = await Promise.all([
      accountIds.length ? q<Row>(SQL.accounts(accountIds.length), accountIds) : Promise.resolve([]),
      escalationIds.length ? q<Row>(SQL.timeline(escalationIds.length), escalationIds) : Promise.resolve([]),
    ]);
    const accountById = new Map(accounts.map((a) => [String(a.id), a]));
    const agentById = new Map(agents.map((a) => [String(a.id), a]));
    const participantsOf = new Map<number, Row[]>();
    for (const p of participants) participantsOf.set(Number(p.ticket_id), [...(participantsOf.get(Number(p.ticket_id)) ?? []), p]);
    const timelineOf = new Map<number, Row[]>();
    for (const entry of timeline) timelineOf.set(Number(entry.escalation_id), [...(timelineOf.get(Number(entry.escalation_id)) ?? []), entry]);
    const escalationOf = new Map(escalations.map((e) => [Number(e.ticket_id), e]));
    const person = (id: string) => personOf(accountById.get(id)!);

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
    const number = ticketNumberOf(id);
    const [t] = await q<Row>(SQL.ticket, [number]);
    if (!t) return { data: { ticket: null } };
    const participants = await q<Row>(SQL.ticketParticipants, [number]);
    if (!canRead(viewer, t, participants.map((p) => p.account_id))) return { data: { ticket: null } };
    const messages = await q<Row>(SQL.messages, [number]);
    return {
      data: {
        ticket: {
          id: globalId('Ticket', number),
          number,
          type: TYPE_OF[String(t.kind)],
          status: t.status,
          subject: t.subject,
          createdAt: iso(t.created_at),
          messages: messages.map(messageOf),
        },
      },
    };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const before = statements;
    try {
      const url = new URL(req.url ?? '/', 'http://baseline');
      const viewer = await viewerOf(req.headers.authorization, secret, q);
      let body: unknown;
      if (url.pathname === '/email-tickets' && req.method === 'POST') body = { data: { createEmailTicket: { ticket: await createEmailTicketRows(db, viewer, await jsonBody(req)), userErrors: [] } } };
      else if (url.pathname === '/tickets') body = await organizationTickets(viewer, Math.min(100, Number(url.searchParams.get('first') ?? 20)));
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
