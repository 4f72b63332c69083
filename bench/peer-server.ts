import DataLoader from 'dataloader';
import Fastify from 'fastify';
import mercurius, { type IResolvers } from 'mercurius';
import type { AddressInfo } from 'node:net';
import { canRead, cursor, globalId, HISTORY_CUTOFF, HttpError, iso, messageOf, person, type Query, requireBrandAdmin, type Row, SQL, ticketNumberOf, type Viewer, viewerOf } from './lib/access';
import { type BenchDb, openDatabase } from './lib/db';
import { createEmailTicketRows, type EmailTicketInput } from './lib/email-ticket';

/**
 * The peer of the read bench (issue 19, docs/performance.md D15): the fastest conventional Node
 * GraphQL stack on the same work — Fastify 5 + Mercurius 16 with graphql-jit (compiled on a
 * document's first use), a hand-written SDL schema of the same shape as the API's for the two read
 * cases, DataLoader batching, and the baseline's token check, viewer query and access condition
 * (bench/lib/access.ts, shared with bench/baseline-server.ts). No ORM, no limits, no logs: what a
 * lean GraphQL server on raw SQL costs. bench/read.ts checks that it answers the same JSON as the API.
 */

const KINDS = ['EMAIL', 'PHONE', 'CHAT', 'CONFERENCE'] as const;
const TYPE_NAME: Record<string, string> = { EMAIL: 'EmailTicket', PHONE: 'PhoneTicket', CHAT: 'ChatTicket', CONFERENCE: 'ConferenceTicket' };

const TICKET_FIELDS = `
  id: ID!
  number: Int!
  type: TicketType!
  status: TicketStatus!
  subject: String!
  createdAt: DateTime!
  submitter: TicketParticipant!
  participants: [TicketParticipant!]!
  assignee: SupportRepresentative
  escalation: Escalation
  messages: [TicketMessage!]!`;

/** The API's types for the two cases, only the fields they select; a ticket is one of four kinds behind the `Ticket` interface, as in the API. */
export const PEER_SCHEMA = `
scalar DateTime
enum TicketType { ${KINDS.join(' ')} }
enum TicketStatus { OPEN CLOSED ESCALATED }
enum TicketScope { MINE ORGANIZATION }
enum TicketParticipantRole { SUBMITTER ASSOCIATED }
enum EscalationStatus { SUBMITTED IN_REVIEW ENGINEERING_IN_PROGRESS VERIFYING_RESOLUTION RESOLVED }
enum MessageAuthorKind { CUSTOMER AGENT }
interface Node { id: ID! }
interface Ticket implements Node {${TICKET_FIELDS}
}
${KINDS.map((kind) => `type ${TYPE_NAME[kind]} implements Node & Ticket {${TICKET_FIELDS}\n}`).join('\n')}
type TicketParticipant { username: String! displayName: String! role: TicketParticipantRole! }
type SupportRepresentative { name: String! }
type EscalationTimelineEntry { status: EscalationStatus! reachedAt: DateTime! }
type Escalation implements Node { id: ID! reference: String! status: EscalationStatus! timeline: [EscalationTimelineEntry!]! }
type TicketMessage { authorKind: MessageAuthorKind! subject: String! bodyHtml: String! recipients: [String!]! createdAt: DateTime! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type TicketEdge { cursor: String! node: Ticket! }
type TicketConnection { edges: [TicketEdge!]! pageInfo: PageInfo! totalCount: Int! }
input CreateEmailTicketInput { idempotencyKey: String! productArea: String! subject: String! description: String! }
type UserError { message: String! }
type CreateTicketPayload { ticket: Ticket userErrors: [UserError!]! }
type Mutation { createEmailTicket(input: CreateEmailTicketInput!): CreateTicketPayload! }
type Query {
  tickets(scope: TicketScope! = MINE, first: Int): TicketConnection!
  ticket(id: ID!): Ticket
}`;

/** A ticket as the resolvers see it: the plain fields, and the row's keys for the relations. */
interface TicketModel {
  id: string;
  number: number;
  type: string;
  status: unknown;
  subject: unknown;
  createdAt: string;
  submitterId: string;
  assigneeId: string | null;
}

const ticketModel = (t: Row): TicketModel => ({
  id: globalId('Ticket', Number(t.id)),
  number: Number(t.id),
  type: String(t.kind),
  status: t.status,
  subject: t.subject,
  createdAt: iso(t.created_at),
  submitterId: String(t.submitter_id),
  assigneeId: typeof t.assignee_id === 'string' ? t.assignee_id : null,
});

/** Rows grouped by `key`, in the order of `keys` (DataLoader's contract). */
function groupBy<K>(rows: readonly Row[], key: string, keys: readonly K[], norm: (v: unknown) => K): Row[][] {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const k = norm(row[key]);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
const byKey = <K>(rows: readonly Row[], key: string, keys: readonly K[], norm: (v: unknown) => K) => groupBy(rows, key, keys, norm).map((g) => g[0]);

/** One request's batching loaders: one statement per relation and tick, as a GraphQL server on DataLoader does. */
function createLoaders(q: Query) {
  return {
    account: new DataLoader<string, Row | undefined>(async (ids) => byKey(await q(SQL.accounts(ids.length), ids), 'id', ids, String)),
    agent: new DataLoader<string, Row | undefined>(async (ids) => byKey(await q(SQL.agents(ids.length), ids), 'id', ids, String)),
    participants: new DataLoader<number, Row[]>(async (ids) => groupBy(await q(SQL.participants(ids.length), ids), 'ticket_id', ids, Number)),
    escalation: new DataLoader<number, Row | undefined>(async (ids) => byKey(await q(SQL.escalations(ids.length), ids), 'ticket_id', ids, Number)),
    timeline: new DataLoader<number, Row[]>(async (ids) => groupBy(await q(SQL.timeline(ids.length), ids), 'escalation_id', ids, Number)),
    messages: new DataLoader<number, Row[]>(async (ids) => groupBy(await q(SQL.messagesOf(ids.length), ids), 'ticket_id', ids, Number)),
  };
}

interface PeerContext {
  db: BenchDb;
  viewer: Viewer;
  q: Query;
  loaders: ReturnType<typeof createLoaders>;
  /** Statements this request ran (`x-sql-statements`). */
  statements: { count: number };
}

// Mercurius' documented way to type the context its resolvers receive
declare module 'mercurius' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MercuriusContext extends PeerContext {}
}

const ticketResolvers = {
  submitter: async (t: TicketModel, _: unknown, ctx: PeerContext) => ({ ...person((await ctx.loaders.account.load(t.submitterId))!), role: 'SUBMITTER' }),
  participants: async (t: TicketModel, _: unknown, ctx: PeerContext) => {
    const rows = await ctx.loaders.participants.load(t.number);
    const accounts = await ctx.loaders.account.loadMany(rows.map((p) => String(p.account_id)));
    return rows.flatMap((p, i) => {
      const account = accounts[i];
      return account && !(account instanceof Error) ? [{ ...person(account), role: p.role }] : [];
    });
  },
  assignee: async (t: TicketModel, _: unknown, ctx: PeerContext) => {
    const agent = t.assigneeId ? await ctx.loaders.agent.load(t.assigneeId) : undefined;
    return agent ? { name: agent.display_name } : null;
  },
  escalation: async (t: TicketModel, _: unknown, ctx: PeerContext) => {
    const escalation = await ctx.loaders.escalation.load(t.number);
    return escalation ? { id: globalId('Escalation', Number(escalation.id)), key: Number(escalation.id), reference: escalation.reference, status: escalation.status } : null;
  },
  messages: async (t: TicketModel, _: unknown, ctx: PeerContext) => (await ctx.loaders.messages.load(t.number)).map(messageOf),
};

export const peerResolvers: IResolvers = {
  DateTime: { serialize: (value: unknown) => (value instanceof Date ? value.toISOString() : value) } as never,
  Ticket: { resolveType: (t: TicketModel) => TYPE_NAME[t.type] } as never,
  ...Object.fromEntries(KINDS.map((kind) => [TYPE_NAME[kind], ticketResolvers])),
  Escalation: {
    timeline: async (e: { key: number }, _: unknown, ctx: PeerContext) => (await ctx.loaders.timeline.load(e.key)).map((entry) => ({ status: entry.status, reachedAt: iso(entry.reached_at) })),
  },
  Mutation: {
    /** The write case (bench/write.ts): the baseline's rows, behind the peer's GraphQL. */
    createEmailTicket: async (_: unknown, args: { input: EmailTicketInput }, ctx: PeerContext) => {
      const ticket = await createEmailTicketRows(ctx.db, ctx.viewer, args.input);
      return { ticket, userErrors: [] };
    },
  },
  Query: {
    /** ORGANIZATION only: the bench reads no MINE page. */
    tickets: async (_: unknown, args: { scope: string; first?: number | null }, ctx: PeerContext) => {
      if (args.scope !== 'ORGANIZATION') throw new HttpError(400, 'the peer serves scope: ORGANIZATION only');
      requireBrandAdmin(ctx.viewer);
      const first = Math.min(100, args.first ?? 20);
      const [counted, page] = await Promise.all([
        ctx.q<{ n: number | string }>(SQL.count, [ctx.viewer.brandId, HISTORY_CUTOFF]),
        ctx.q(SQL.page, [ctx.viewer.brandId, HISTORY_CUTOFF, first + 1]),
      ]);
      const edges = page.slice(0, first).map((row) => {
        const node = ticketModel(row);
        return { cursor: cursor(node.createdAt, node.number), node };
      });
      return {
        totalCount: Number(counted[0].n),
        pageInfo: { hasNextPage: page.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
      };
    },
    ticket: async (_: unknown, args: { id: string }, ctx: PeerContext) => {
      const number = ticketNumberOf(args.id);
      const [t] = await ctx.q(SQL.ticket, [number]);
      if (!t) return null;
      const participants = await ctx.q(SQL.ticketParticipants, [number]);
      return canRead(ctx.viewer, t, participants.map((p) => p.account_id)) ? ticketModel(t) : null;
    },
  },
};

/** The peer as a Fastify app on `db`; tokens are HS256 with `secret`. */
export async function createPeer(db: BenchDb, secret: Uint8Array) {
  const app = Fastify({ logger: false });
  const statementsOf = new WeakMap<object, { count: number }>();
  await app.register(mercurius, {
    schema: PEER_SCHEMA,
    resolvers: peerResolvers,
    // compile a document with graphql-jit from its first use on (Mercurius' `jit` is the number of uses before compiling)
    jit: 1,
    context: async (request): Promise<PeerContext> => {
      const statements = { count: 0 };
      statementsOf.set(request, statements);
      const q: Query = (sql, params = []) => {
        statements.count++;
        return db.query(sql, params);
      };
      try {
        return { db, viewer: await viewerOf(request.headers.authorization, secret, q), q, loaders: createLoaders(q), statements };
      } catch (error) {
        if (error instanceof HttpError) throw Object.assign(new Error(error.message), { statusCode: error.status });
        throw error;
      }
    },
  });
  app.addHook('onSend', async (request, reply) => {
    const statements = statementsOf.get(request);
    if (statements) reply.header('x-sql-statements', String(statements.count));
  });
  return app;
}

/** Child-process entry: PEER_DATABASE_URL, PEER_JWT_SECRET, PORT; reports its port over IPC. */
if (require.main === module) {
  const db = openDatabase(process.env.PEER_DATABASE_URL!);
  void createPeer(db, new TextEncoder().encode(process.env.PEER_JWT_SECRET!)).then(async (app) => {
    await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    if (process.send) process.send({ port });
    else console.log(`peer listening on ${port}`);
    process.on('SIGTERM', () => void app.close().then(() => db.close()).then(() => process.exit(0)));
  });
}
