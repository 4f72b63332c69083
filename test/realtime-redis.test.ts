import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, existingDatabase, type TestServer } from './utils/harness';
import { Live, subscriptionStarts, WsClients } from './utils/ws';

const REDIS_URL = process.env.TEST_REDIS_URL;
const POSTGRES = DATABASE_TARGETS.find((target) => target.name === 'postgresql');
const reason = !REDIS_URL ? 'TEST_REDIS_URL not set' : !POSTGRES ? 'TEST_DATABASE_URL not set' : undefined;
if (reason) console.log(`RT-4 across instances skipped: ${reason}`);

describe.skipIf(Boolean(reason))('RT-4: events reach subscribers on any instance (PostgreSQL + Redis)', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: (() => Promise<void>) | undefined;
  let ws: WsClients;
  const namespace = `hub-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    // both instances share one database: the first creates it, the second reuses it, the suite drops it
    const created = await POSTGRES!.create();
    drop = created.drop;
    const shared = existingDatabase(created.database);
    const overrides = { redisUrl: REDIS_URL, redisNamespace: namespace };
    a = await startTestServer(shared, overrides);
    b = await startTestServer(shared, overrides);
    ws = new WsClients(b.publicUrl);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await b?.close();
    await a?.close();
    await drop?.();
  });

  it('RT-4: a mutation through instance A reaches a subscriber on instance B, once', async () => {
    const f = new Fixtures(a);
    await f.brand('brand-r');
    await f.account('r-user', 'brand-r');
    await f.agent('agent-r');
    const ticket = await f.ticket({ submitterId: 'r-user' });
    const token = await f.tokenFor('r-user');
    const started = subscriptionStarts(b.server.subscriptions);
    const live = new Live(ws.open(token), `subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id status } } }`, { id: ticket.id });
    await started(1);
    const agent = await a.token('agent-r', ['hub:agent']);
    const res = ok(await a.internal(`mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code } } }`, { input: { ticketId: ticket.id, status: 'CLOSED' } }, agent)).setTicketStatus;
    expect(res.userErrors).toEqual([]);
    // the sentinel, through A as well (the same status again: a new event that changes nothing): one
    // channel carries both in order, so a second copy of the first event would arrive before it
    const again = ok(await a.internal(`mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code } } }`, { input: { ticketId: ticket.id, status: 'CLOSED' } }, agent)).setTicketStatus;
    expect(again.userErrors).toEqual([]);
    const [first, sentinel] = await live.waitFor(2);
    live.dispose();
    // once: the next event to arrive is the sentinel, not the first one again
    expect((sentinel.data as any).ticketUpdated.eventId).not.toBe((first.data as any).ticketUpdated.eventId);
    expect((first.data as any).ticketUpdated).toMatchObject({ change: 'STATUS', ticket: { id: ticket.id, status: 'CLOSED' } });
  });
});
