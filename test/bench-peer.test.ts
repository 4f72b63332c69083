import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaseline } from '../bench/baseline-server';
import { fill, sampleTicket } from '../bench/generate';
import { type BenchDb, openDatabase } from '../bench/lib/db';
import { datasetParams } from '../bench/lib/params';
import { createPeer } from '../bench/peer-server';
import { ONE_TICKET, ORGANIZATION_TICKETS } from '../bench/read';
import { CREATE_EMAIL_TICKET } from '../bench/write';
import { DATABASE_TARGETS, existingDatabase, startTestServer, TEST_SECRET, type TestServer } from './utils/harness';

/**
 * Issue 19 point 1: the bench's peer (Mercurius + graphql-jit) is a reference only if it does the
 * API's work: the same JSON for the bench's queries, the same access condition (FED-1, HIST-3,
 * brand) and, for the write case, the same rows. Both run here on one small generated bench
 * dataset; bench/read.ts and bench/write.ts stop when the answers differ.
 */
describe.each(DATABASE_TARGETS)('bench peer answers as the API does ($name)', (target) => {
  let t: TestServer;
  let db: BenchDb;
  let peer: FastifyInstance;
  let baseline: Server;
  let drop: () => Promise<void>;
  let peerUrl: string;
  let baselineUrl: string;
  let ticketId: string;
  const admin = 'acc-000000';
  const standard = 'acc-000001';
  // 4 brands of 10 accounts: the first account of the second brand
  const otherBrand = 'acc-000010';

  beforeAll(async () => {
    const created = await target.create();
    drop = created.drop;
    t = await startTestServer(existingDatabase(created.database));
    db = openDatabase(created.database.kind === 'sqlite' ? `sqlite:${created.database.path}` : created.database.url);
    await fill(db, datasetParams({ BENCH_BRANDS: '4', BENCH_ACCOUNTS: '40', BENCH_TICKETS: '400', BENCH_ADMIN_BRAND_TICKETS: '120', BENCH_ESCALATIONS: '60' }));
    ticketId = Buffer.from(`Ticket:${await sampleTicket(db, 'brand-bench-admin')}`).toString('base64url');
    peer = await createPeer(db, TEST_SECRET);
    await peer.listen({ port: 0, host: '127.0.0.1' });
    peerUrl = `http://127.0.0.1:${(peer.server.address() as AddressInfo).port}/graphql`;
    const handle = createBaseline(db, TEST_SECRET);
    baseline = createServer((req, res) => void handle(req, res));
    await new Promise<void>((done) => baseline.listen(0, '127.0.0.1', done));
    baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await peer?.close();
    await new Promise((done) => baseline?.close(done));
    await t?.close();
    await db?.close();
    await drop?.();
  });

  async function post(url: string, query: string, variables: Record<string, unknown>, subject: string) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(subject)}` }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as any };
  }
  const both = async (query: string, variables: Record<string, unknown>, subject: string) => ({
    api: await post(t.publicUrl, query, variables, subject),
    peer: await post(peerUrl, query, variables, subject),
  });

  it('(a) and (b): the peer, the API and the baseline answer the same JSON', async () => {
    const page = await both(ORGANIZATION_TICKETS, { first: 50 }, admin);
    expect(page.api.body.errors).toBeUndefined();
    expect(page.api.body.data.tickets.edges).toHaveLength(50);
    // the page shows every relation the bench reads, so the comparison covers them
    const nodes = page.api.body.data.tickets.edges.map((e: any) => e.node);
    expect(nodes.some((n: any) => n.escalation?.timeline.length > 0)).toBe(true);
    expect(nodes.some((n: any) => n.participants.length > 1)).toBe(true);
    expect(nodes.some((n: any) => n.assignee)).toBe(true);
    expect(page.peer.body.data).toEqual(page.api.body.data);

    const one = await both(ONE_TICKET, { id: ticketId }, admin);
    expect(one.api.body.data.ticket.messages.length).toBeGreaterThan(1);
    expect(one.peer.body.data).toEqual(one.api.body.data);

    const res = await fetch(`${baselineUrl}/ticket?id=${ticketId}`, { headers: { authorization: `Bearer ${await t.token(admin)}` } });
    expect(((await res.json()) as any).data).toEqual(one.api.body.data);
  });

  it('access: what the API hides from a standard user or another brand, the peer hides', async () => {
    // a standard user of the brand, not involved, and a user of another brand: no ticket
    for (const subject of [standard, otherBrand]) {
      const one = await both(ONE_TICKET, { id: ticketId }, subject);
      expect(one.api.body.data.ticket).toBeNull();
      expect(one.peer.body.data.ticket).toBeNull();
    }
    // the organization's list is for brand admins only
    const page = await both(ORGANIZATION_TICKETS, { first: 5 }, standard);
    expect(page.api.body.errors?.length).toBeGreaterThan(0);
    expect(page.api.body.data?.tickets ?? null).toBeNull();
    expect(page.peer.body.errors?.length).toBeGreaterThan(0);
    expect(page.peer.body.data?.tickets ?? null).toBeNull();
  });

  it('FedRAMP: a FedRAMP customer is refused by both', async () => {
    await db.exec(`update brand set fedramp = ${db.kind === 'sqlite' ? 1 : 'true'} where id = 'brand-0001'`);
    try {
      const one = await both(ONE_TICKET, { id: ticketId }, otherBrand);
      expect(one.api.body.data?.ticket ?? null).toBeNull();
      expect(one.api.body.errors?.[0]?.extensions?.reason).toBe('FEDRAMP_RESTRICTED');
      expect(one.peer.status).toBe(403);
      expect(one.peer.body.data).toBeUndefined();
    } finally {
      await db.exec(`update brand set fedramp = ${db.kind === 'sqlite' ? 0 : 'false'} where id = 'brand-0001'`);
    }
  });

  it('write case: createEmailTicket stores the same rows through the peer as through the API, and replays its key', async () => {
    const input = (key: string) => ({ input: { productArea: 'CX_DASHBOARDS', subject: 'Export fails', description: 'Stops at 80 %.', idempotencyKey: key } });
    const rows = async (key: string) => {
      const count = async (sql: string) => Number((await db.query<{ n: number | string }>(sql, [key]))[0].n);
      return [
        await count('select count(*) as n from ticket where idempotency_key = ?'),
        await count(`select count(*) as n from ticket_participant where role = 'SUBMITTER' and ticket_id in (select id from ticket where idempotency_key = ?)`),
        await count('select count(*) as n from message where ticket_id in (select id from ticket where idempotency_key = ?)'),
        await count(`select count(*) as n from outbox where topic = 'TICKET_CONFIRMATION' and ticket_id in (select id from ticket where idempotency_key = ?)`),
      ];
    };
    const answers = [];
    for (const [url, key] of [
      [t.publicUrl, 'key-api'],
      [peerUrl, 'key-peer'],
    ]) {
      const first = (await post(url, CREATE_EMAIL_TICKET, input(key), standard)).body.data.createEmailTicket;
      const again = (await post(url, CREATE_EMAIL_TICKET, input(key), standard)).body.data.createEmailTicket;
      expect(first.userErrors).toEqual([]);
      expect(again.ticket.id).toBe(first.ticket.id);
      expect(await rows(key)).toEqual([1, 1, 1, 1]);
      answers.push({ ...first, ticket: { ...first.ticket, id: null, number: null } });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0].ticket).toMatchObject({ type: 'EMAIL', status: 'OPEN', subject: 'Export fails' });
  });
});
