import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportErrorCode } from '../src/realtime/delivery';
import { Fixtures } from './utils/fixtures';
import { ok, startTestServer, existingDatabase, type TestServer } from './utils/harness';
import { Live, subscriptionStarts, WsClients } from './utils/ws';
// the test's own redis-server (no persistence) on a spare port, as the soak bench runs it
import { RedisServer } from '../bench/lib/faults';

const TICKET_UPDATED = `subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id status } } }`;
const REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code } } }`;

describe('RT-4: a Redis outage degrades to errors the client can act on and recovers by itself (own redis-server, SQLite)', () => {
  let redis: RedisServer | undefined;
  let dir: string;
  let a: TestServer;
  let b: TestServer;
  let ws: WsClients;

  beforeAll(async () => {
    redis = await RedisServer.create();
    // both instances share one SQLite file; the suite removes it
    dir = mkdtempSync(join(tmpdir(), 'hub-outage-'));
    const shared = existingDatabase({ kind: 'sqlite', path: join(dir, 'hub.sqlite') });
    const overrides = { redisUrl: redis.url, redisNamespace: 'outage-test' };
    a = await startTestServer(shared, overrides);
    b = await startTestServer(shared, overrides);
    ws = new WsClients(b.publicUrl);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await b?.close();
    await a?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('RT-4: events pause with EVENTS_INTERRUPTED while Redis is down, then flow again on the same subscription', async () => {
    const f = new Fixtures(a);
    await f.brand('brand-o');
    await f.account('o-user', 'brand-o');
    await f.agent('agent-o');
    const agent = await a.token('agent-o', ['hub:agent']);
    const ticket = await f.ticket({ submitterId: 'o-user' });
    const closes: number[] = [];
    const token = await f.tokenFor('o-user');
    const started = subscriptionStarts(b.server.subscriptions);
    const live = new Live(ws.open(token, { onClose: (code) => closes.push(code) }), TICKET_UPDATED, { id: ticket.id });
    await started(1);
    const reply = async (text: string) => expect(ok(await a.internal(REPLY, { input: { ticketId: ticket.id, bodyHtml: text } }, agent)).postAgentReply.userErrors).toEqual([]);

    // through Redis: A → B
    await reply('before the outage');
    await live.waitFor(1);

    // Redis goes away: B's subscriber tells its subscriptions (an error result; the subscription stays open)
    await redis!.stop();
    await live.waitFor(2, 10_000);
    expect(live.results[1].errors?.[0]?.extensions?.code).toBe(TransportErrorCode.INTERRUPTED);
    expect(live.completed).toBe(false);

    // Redis comes back on the same port: ioredis reconnects and re-subscribes by itself
    await redis!.start();
    await live.waitFor(3, 15_000);
    expect(live.results[2].errors?.[0]?.extensions?.code).toBe(TransportErrorCode.RESUMED);

    await reply('after the outage');
    await live.waitFor(4, 10_000);
    live.dispose();
    const delivered = live.results.filter((r) => !r.errors).map((r) => (r.data as any).ticketUpdated);
    expect(delivered.map((e) => e.change)).toEqual(['MESSAGE', 'MESSAGE']);
    expect(closes).toEqual([]); // never reconnected
  });
});
