import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLogEntry } from '../src/entities';
import { TransportErrorCode } from '../src/realtime/delivery';
import { recordEvent } from '../src/realtime/event-log';
import { applicationStatusChanged } from '../src/realtime/events';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, existingDatabase, ok, startTestServer, type TestServer } from './utils/harness';
import { Live, subscriptionStarts, until, WsClients } from './utils/ws';
// the test's own redis-server (no persistence) on a spare port, as the soak bench and the outage test run it
import { RedisServer } from '../bench/lib/faults';

const TICKETS_UPDATED = `subscription($scope: TicketScope, $after: ID) { ticketsUpdated(scope: $scope, after: $after) { eventId change ticket { id } } }`;
const TICKET_UPDATED = `subscription($id: ID!, $after: ID) { ticketUpdated(id: $id, after: $after) { eventId change ticket { id } } }`;
const AGENT_TICKETS_UPDATED = `subscription($after: ID) { ticketsUpdated(after: $after) { eventId change ticket { id } } }`;
const CUSTOMER_REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { eventId message { id } userErrors { code } } }`;
const CREATE_EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { eventId ticket { id } userErrors { code } } }`;
const REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code } } }`;

/** The delivered events of a subscription (results without errors), as `change@ticketId` with their ids. */
function delivered(live: Live, field: string): { eventId: string; what: string }[] {
  return live.results.filter((r) => !r.errors).map((r) => {
    const e = (r.data as any)[field];
    return { eventId: e.eventId, what: `${e.change}@${e.ticket.id}` };
  });
}

describe('issue 20: events raised while Redis is down reach the other instance once it is back, none lost or doubled (own redis-server)', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  let ws: WsClients;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    redis = await RedisServer.create();
    // a fresh database both instances share (PostgreSQL when TEST_DATABASE_URL is set, else one SQLite file)
    const fresh = await DATABASE_TARGETS[DATABASE_TARGETS.length - 1].create();
    drop = fresh.drop;
    const shared = existingDatabase(fresh.database);
    // no poll: between Redis wake-ups, only the catch-up when Redis is back can deliver A's events on B
    const overrides = { redisUrl: redis.url, redisNamespace: `eventlog-${redis.port}`, eventLog: { pollMs: 0, retentionHours: 24 } };
    a = await startTestServer(shared, overrides);
    b = await startTestServer(shared, overrides);
    ws = new WsClients(b.publicUrl);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await b?.close();
    await a?.close();
    await redis?.stop();
    await drop?.();
  });

  it('RT-4: the changes made on A during the outage arrive on B, in log order, before EVENTS_RESUMED; later ones flow live', async () => {
    const f = new Fixtures(a);
    await f.brand('brand-o');
    await f.account('o-user', 'brand-o');
    await f.agent('agent-o');
    const agent = await a.token('agent-o', ['hub:agent']);
    const ticket = await f.ticket({ submitterId: 'o-user' });
    const started = subscriptionStarts(b.server.subscriptions);
    const live = new Live(ws.open(await f.tokenFor('o-user')), TICKETS_UPDATED, {});
    await started(1);
    const reply = async (text: string) => expect(ok(await a.internal(REPLY, { input: { ticketId: ticket.id, bodyHtml: text } }, agent)).postAgentReply.userErrors).toEqual([]);

    await reply('before the outage');
    await live.waitFor(1);

    await redis.stop();
    await live.waitFor(2, 10_000);
    expect(live.results[1].errors?.[0]?.extensions?.code).toBe(TransportErrorCode.INTERRUPTED);
    // written on A while B cannot be woken (and does not poll)
    for (let i = 0; i < 5; i++) await reply(`during the outage ${i}`);
    expect(live.results).toHaveLength(2);

    await redis.start();
    await live.waitFor(8, 15_000);
    const codes = live.results.map((r) => r.errors?.[0]?.extensions?.code ?? 'EVENT');
    expect(codes).toEqual(['EVENT', TransportErrorCode.INTERRUPTED, 'EVENT', 'EVENT', 'EVENT', 'EVENT', 'EVENT', TransportErrorCode.RESUMED]);

    await reply('after the outage');
    await live.waitFor(9, 10_000);
    live.dispose();
    const events = delivered(live, 'ticketsUpdated');
    expect(events.map((e) => e.what)).toEqual(new Array(7).fill(`MESSAGE@${ticket.id}`));
    const ids = events.map((e) => Number(e.eventId));
    // every event once, in increasing log order
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(DATABASE_TARGETS)('issue 20: resumable subscriptions ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  let agent: string;
  const tok: Record<string, string> = {};
  const tickets: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer(target);
    ws = new WsClients(t.publicUrl);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-user', 'brand-b');
    await f.account('f-user', 'brand-f');
    await f.agent('agent-x');
    agent = await t.token('agent-x', ['hub:agent']);
    for (const id of ['a-std', 'a-admin']) tok[id] = await f.tokenFor(id);
    for (const [name, submitterId] of [['a1', 'a-std'], ['a2', 'a-std'], ['admin', 'a-admin'], ['b', 'b-user'], ['f', 'f-user']]) tickets[name] = (await f.ticket({ submitterId })).id;
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  const reply = async (ticket: string) => expect(ok(await t.internal(REPLY, { input: { ticketId: tickets[ticket], bodyHtml: `<p>reply on ${ticket}</p>` } }, agent)).postAgentReply.userErrors).toEqual([]);

  /** Subscribes and waits until the server has started it. */
  const subscribe = async (token: string, query: string, variables: Record<string, unknown>, url?: string) => {
    const started = subscriptionStarts(t.server.subscriptions);
    const live = new Live((url ? new WsClients(url) : ws).open(token), query, variables);
    await started(1);
    return live;
  };

  it('RT-3: resuming with `after:` replays exactly the missed events the subscriber may see, in order, then live ones, none twice', async () => {
    // MINE for a-std: their own tickets only
    const first = await subscribe(tok['a-std'], TICKETS_UPDATED, { scope: 'MINE' });
    await reply('a1');
    await first.waitFor(1);
    const [seen] = delivered(first, 'ticketsUpdated');
    first.dispose();

    // the gap: their tickets, a colleague's, another brand's and a FedRAMP brand's
    for (const ticket of ['a1', 'b', 'admin', 'f', 'a2', 'a1']) await reply(ticket);

    const resumed = await subscribe(tok['a-std'], TICKETS_UPDATED, { scope: 'MINE', after: seen.eventId });
    await resumed.waitFor(3);
    // live after the replay: the sentinel comes after everything replayed, so nothing else is on its way
    await reply('a2');
    await resumed.waitFor(4);
    resumed.dispose();
    const events = delivered(resumed, 'ticketsUpdated');
    expect(resumed.results.every((r) => !r.errors)).toBe(true);
    expect(events.map((e) => e.what)).toEqual([`MESSAGE@${tickets.a1}`, `MESSAGE@${tickets.a2}`, `MESSAGE@${tickets.a1}`, `MESSAGE@${tickets.a2}`]);
    const ids = events.map((e) => Number(e.eventId));
    expect(ids[0]).toBeGreaterThan(Number(seen.eventId));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(4);
  });

  it('issue 20: a reply’s payload eventId is the eventId subscribers get for it (null on an idempotent retry); `after:` it gets only later events', async () => {
    const live = await subscribe(tok['a-std'], TICKET_UPDATED, { id: tickets.a1 });
    const customerReply = async (key: string) => ok(await t.gql(CUSTOMER_REPLY, { input: { ticketId: tickets.a1, bodyHtml: '<p>mine</p>', idempotencyKey: key } }, tok['a-std'])).replyToTicket;
    const mine = await customerReply('eventid-1');
    expect(mine.userErrors).toEqual([]);
    expect(mine.eventId).toMatch(/^\d+$/);
    await live.waitFor(1);
    expect(delivered(live, 'ticketUpdated')).toEqual([{ eventId: mine.eventId, what: `MESSAGE@${tickets.a1}` }]);
    // a retry answers with the first reply and records nothing: no event of its own
    const retry = await customerReply('eventid-1');
    expect(retry.message.id).toBe(mine.message.id);
    expect(retry.eventId).toBeNull();
    live.dispose();

    await reply('a1');
    const resumed = await subscribe(tok['a-std'], TICKET_UPDATED, { id: tickets.a1, after: mine.eventId });
    await resumed.waitFor(1);
    await reply('a1');
    await resumed.waitFor(2);
    resumed.dispose();
    const events = delivered(resumed, 'ticketUpdated');
    expect(events.map((e) => e.what)).toEqual([`MESSAGE@${tickets.a1}`, `MESSAGE@${tickets.a1}`]);
    expect(Number(events[0].eventId)).toBeGreaterThan(Number(mine.eventId));
  });

  it('issue 20: a created ticket’s payload eventId is the CREATED event subscribers get for it (null on an idempotent retry)', async () => {
    const live = await subscribe(tok['a-std'], TICKETS_UPDATED, { scope: 'MINE' });
    const create = async () =>
      ok(await t.gql(CREATE_EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Event id of a create', description: 'once', idempotencyKey: 'eventid-create' } }, tok['a-std'])).createEmailTicket;
    const created = await create();
    expect(created.userErrors).toEqual([]);
    expect(created.eventId).toMatch(/^\d+$/);
    await live.waitFor(1);
    expect(delivered(live, 'ticketsUpdated')).toEqual([{ eventId: created.eventId, what: `CREATED@${created.ticket.id}` }]);
    const retry = await create();
    expect(retry.ticket.id).toBe(created.ticket.id);
    expect(retry.eventId).toBeNull();
    live.dispose();
  });

  it('RT-3: an ORGANIZATION resume replays the brand’s tickets only, never another brand’s or a FedRAMP brand’s', async () => {
    const first = await subscribe(tok['a-admin'], TICKETS_UPDATED, { scope: 'ORGANIZATION' });
    await reply('admin');
    await first.waitFor(1);
    const [seen] = delivered(first, 'ticketsUpdated');
    first.dispose();
    for (const ticket of ['b', 'f', 'a1', 'b', 'f']) await reply(ticket);
    const resumed = await subscribe(tok['a-admin'], TICKETS_UPDATED, { scope: 'ORGANIZATION', after: seen.eventId });
    await resumed.waitFor(1);
    await reply('admin');
    await resumed.waitFor(2);
    resumed.dispose();
    expect(delivered(resumed, 'ticketsUpdated').map((e) => e.what)).toEqual([`MESSAGE@${tickets.a1}`, `MESSAGE@${tickets.admin}`]);
  });

  it('agents resume on the internal socket too: ticketUpdated(id, after:) replays that ticket’s missed events', async () => {
    const internal = `${t.publicUrl.replace('/graphql', '/internal/graphql')}`;
    const first = await subscribe(agent, AGENT_TICKETS_UPDATED, {}, internal);
    await reply('b');
    await first.waitFor(1);
    const [seen] = delivered(first, 'ticketsUpdated');
    first.dispose();
    for (const ticket of ['f', 'b', 'a1']) await reply(ticket);
    const resumed = await subscribe(agent, TICKET_UPDATED, { id: tickets.b, after: seen.eventId }, internal);
    await resumed.waitFor(1);
    await reply('b');
    await resumed.waitFor(2);
    resumed.dispose();
    expect(delivered(resumed, 'ticketUpdated').map((e) => e.what)).toEqual([`MESSAGE@${tickets.b}`, `MESSAGE@${tickets.b}`]);
  });

  /** A subscriber of ticket a1 sees one reply, goes away, and misses the next one: the id it would resume after. */
  const missOneOnA1 = async () => {
    const first = await subscribe(tok['a-std'], TICKET_UPDATED, { id: tickets.a1 });
    await reply('a1');
    await first.waitFor(1);
    const [seen] = delivered(first, 'ticketUpdated');
    first.dispose();
    await reply('a1');
    return seen;
  };

  it('RT-4: a resume whose replay read fails (a pool time-out) reads it again: the missed event arrives, no EVENTS_EXPIRED', async () => {
    const seen = await missOneOnA1();
    const log = t.server.eventLog;
    const replay = log.replay;
    let reads = 0;
    log.replay = (...args) => (++reads === 1 ? Promise.reject(new Error('Knex: Timeout acquiring a connection (test)')) : replay.apply(log, args));
    try {
      const resumed = await subscribe(tok['a-std'], TICKET_UPDATED, { id: tickets.a1, after: seen.eventId });
      await resumed.waitFor(1, 10_000);
      resumed.dispose();
      expect(reads).toBe(2);
      expect(resumed.results[0].errors).toBeUndefined();
      expect(delivered(resumed, 'ticketUpdated').map((e) => e.what)).toEqual([`MESSAGE@${tickets.a1}`]);
    } finally {
      log.replay = replay;
    }
  });

  it('past the retention the resume gets EVENTS_EXPIRED (re-query), then live events; `after` that is no event id is BAD_USER_INPUT', async () => {
    const seen = await missOneOnA1();
    // retention: every row recorded before "now + 1 h" is past a 24-hour window 25 hours from now
    const pruned = await t.server.eventLog.prune(new Date(Date.now() + 25 * 3_600_000));
    expect(pruned).toBeGreaterThan(0);
    expect(await t.orm.em.fork().count(EventLogEntry, { id: { $lte: Number(seen.eventId) } })).toBe(0);

    const resumed = await subscribe(tok['a-std'], TICKET_UPDATED, { id: tickets.a1, after: seen.eventId });
    await resumed.waitFor(1);
    expect(resumed.results[0].errors?.[0]?.extensions?.code).toBe(TransportErrorCode.EXPIRED);
    await reply('a1');
    await resumed.waitFor(2);
    expect(delivered(resumed, 'ticketUpdated').map((e) => e.what)).toEqual([`MESSAGE@${tickets.a1}`]);
    expect(resumed.completed).toBe(false);
    resumed.dispose();

    const bad = new Live(ws.open(tok['a-std']), TICKET_UPDATED, { id: tickets.a1, after: 'not-an-id' });
    await bad.waitFor(1);
    const error = (bad.results[0]?.errors?.[0] ?? bad.errors[0]) as { extensions?: { code?: string } } | { message?: string }[];
    expect(JSON.stringify(error)).toContain('BAD_USER_INPUT');
  });

  it('SSE: each event carries its log id (`id:`), and a stream opened with Last-Event-ID replays what it missed', async () => {
    const stream = `${t.publicUrl}/stream`;
    const open = (headers: Record<string, string>) => {
      const controller = new AbortController();
      const response = fetch(stream, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${tok['a-std']}`, ...headers },
        body: JSON.stringify({ query: TICKET_UPDATED, variables: { id: tickets.a2 } }),
        signal: controller.signal,
      });
      let text = '';
      const reading = response.then(async (res) => {
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += decoder.decode(value);
        }
      }).catch(() => undefined);
      const ids = () => [...text.matchAll(/^id: (\d+)\nevent: next\n/gm)].map((m) => m[1]);
      return { ids, text: () => text, close: () => { controller.abort(); return reading; } };
    };
    const started = subscriptionStarts(t.server.subscriptions);
    const first = open({});
    await started(1);
    await reply('a2');
    await until(() => first.ids().length === 1, 'the first SSE event');
    const [seen] = first.ids();
    await first.close();

    await reply('a2');
    await reply('b');
    await reply('a2');
    const startedAgain = subscriptionStarts(t.server.subscriptions);
    const resumed = open({ 'last-event-id': seen });
    await startedAgain(1);
    await until(() => resumed.ids().length === 2, 'the replayed SSE events');
    await reply('a2');
    await until(() => resumed.ids().length === 3, 'the live SSE event');
    await resumed.close();
    const ids = resumed.ids().map(Number);
    expect(ids[0]).toBeGreaterThan(Number(seen));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(3);
    expect(resumed.text()).not.toContain('EVENTS_EXPIRED');
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('issue 20: on PostgreSQL, log ids become visible in increasing order (the append lock)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(DATABASE_TARGETS.find((target) => target.name === 'postgresql')!);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a transaction appending after another one that is still open waits for its commit, so no reader sees id N+1 before N', async () => {
    const em = t.orm.em.fork();
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstAppended!: () => void;
    const appended = new Promise<void>((resolve) => (firstAppended = resolve));
    const first = em.transactional(async (tx) => {
      const row = recordEvent(tx, applicationStatusChanged('LOGINS'));
      await tx.flush();
      firstAppended();
      await firstHolds;
      return row.id;
    });
    await appended;
    let secondDone = false;
    const second = t.orm.em.fork().transactional(async (tx) => {
      const row = recordEvent(tx, applicationStatusChanged('REPORTING'));
      await tx.flush();
      return row.id;
    }).then((id) => {
      secondDone = true;
      return id;
    });
    // the second transaction is seen waiting for the advisory lock (or, with the rule broken, commits)
    const waiting = async () => {
      const rows = await t.orm.em.getConnection().execute(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
      return (rows[0] as { n: number }).n > 0;
    };
    let blocked = false;
    const deadline = Date.now() + 5_000;
    while (!secondDone && !blocked && Date.now() < deadline) blocked = await waiting();
    expect(secondDone).toBe(false);
    expect(blocked).toBe(true);
    releaseFirst();
    const [firstId, secondId] = await Promise.all([first, second]);
    expect(secondId).toBeGreaterThan(firstId);
  });
});
