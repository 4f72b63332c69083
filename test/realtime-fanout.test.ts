import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SUPPORT_SETTINGS } from '../src/config';
import { applicationStatusChanged, callbackQueueMoved, EventBus, EventRoute, REMEMBERED_EVENT_IDS, ticketUpdated, transportChanged, type DomainEvent } from '../src/realtime/events';
import { QueueFanout, type QueueWatcher } from '../src/realtime/queue-fanout';
import { numericIdOf, toGlobalId } from '../src/resolvers/types/node';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { deliveriesDone, Live, MessageLog, subscriptionStarts, until, WsClients } from './utils/ws';

/**
 * The fan-out machinery of the real-time layer (docs/realtime.md, "Fan-out design"): the bus's
 * routes and duplicate filter, the queue move released to its waiters chunk by chunk, and the
 * graphql-transport-ws server's protocol behaviour beyond the close codes.
 */

const ticketEvent = (ticketId: number, brandId?: string) => ticketUpdated(brandId ? { id: ticketId, brand: { id: brandId } } : ticketId, 'STATUS');

describe('EventBus routes: an event reaches the listeners it may concern, once', () => {
  const collect = (bus: EventBus, routes?: string[]) => {
    const got: DomainEvent[] = [];
    bus.subscribe((event) => got.push(event), routes);
    return got;
  };

  it('ticket, brand, every-ticket, status and queue routes each get their events only; no route gets everything', () => {
    const bus = new EventBus();
    const ticket7 = collect(bus, [EventRoute.ticket(7)]);
    const brandA = collect(bus, [EventRoute.brandTickets('brand-a')]);
    const brandB = collect(bus, [EventRoute.brandTickets('brand-b')]);
    const tickets = collect(bus, [EventRoute.allTickets]);
    const status = collect(bus, [EventRoute.applicationStatus]);
    const queues = collect(bus, [EventRoute.callbackQueues]);
    const everything = collect(bus);

    const ofA = ticketEvent(7, 'brand-a');
    const ofB = ticketEvent(8, 'brand-b');
    const noBrand = ticketEvent(9);
    const down = applicationStatusChanged('REPORTING');
    const moved = callbackQueueMoved('ENGLISH', 'SURVEY_PLATFORM', 8);
    for (const event of [ofA, ofB, noBrand, down, moved]) bus.publish(event);

    expect(ticket7).toEqual([ofA]);
    expect(brandA).toEqual([ofA, noBrand]); // an event that does not name its brand may concern every brand
    expect(brandB).toEqual([ofB, noBrand]);
    expect(tickets).toEqual([ofA, ofB, noBrand]);
    expect(status).toEqual([down]);
    expect(queues).toEqual([moved]);
    expect(everything).toEqual([ofA, ofB, noBrand, down, moved]);
  });

  it('a listener with several routes gets an event once; TRANSPORT reaches every listener once', () => {
    const bus = new EventBus();
    const both = collect(bus, [EventRoute.ticket(7), EventRoute.brandTickets('brand-a'), EventRoute.callbackQueues]);
    const other = collect(bus, [EventRoute.applicationStatus]);
    const event = ticketEvent(7, 'brand-a');
    const lost = transportChanged('INTERRUPTED');
    bus.publish(event);
    bus.publish(lost);
    expect(both).toEqual([event, lost]);
    expect(other).toEqual([lost]);
  });

  it('drops an event id it has published already (Redis redelivery), and forgets the oldest beyond its memory', () => {
    const bus = new EventBus();
    const got = collect(bus);
    const event = ticketEvent(1, 'brand-a');
    bus.publish(event);
    bus.publish({ ...event });
    expect(got).toHaveLength(1);
    for (let i = 0; i < REMEMBERED_EVENT_IDS; i++) bus.publish(applicationStatusChanged('X'));
    bus.publish({ ...event });
    expect(got).toHaveLength(REMEMBERED_EVENT_IDS + 2);
  });

  it('a listener added while an event is dispatched does not get that event; an unsubscribed one gets nothing more', () => {
    const bus = new EventBus();
    const late: DomainEvent[] = [];
    const first: DomainEvent[] = [];
    const off = bus.subscribe((event) => {
      first.push(event);
      bus.subscribe((e) => late.push(e), [EventRoute.ticket(1)]);
    }, [EventRoute.ticket(1)]);
    const one = ticketEvent(1, 'a');
    bus.publish(one);
    expect(late).toEqual([]);
    off();
    const two = ticketEvent(1, 'a');
    bus.publish(two);
    expect(first).toEqual([one]);
    expect(late).toEqual([two]);
    expect(bus.size).toBe(1);
  });
});

// protocol and fan-out behaviour does not depend on the database: SQLite only
const SQLITE = DATABASE_TARGETS[0];
const PHONE = `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ticket { id } userErrors { code message } } }`;
const STATUS_CHANGED = `subscription { applicationStatusChanged { component status } }`;
const SET_STATUS = (status: string) => `mutation { setApplicationStatus(input: { component: "REPORTING", status: ${status}, message: "m" }) { userErrors { code } } }`;

describe('queue moves and the WebSocket protocol (sqlite)', () => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;

  beforeAll(async () => {
    t = await startTestServer(SQLITE);
    ws = new WsClients(t.publicUrl);
    f = new Fixtures(t);
    await f.brand('brand-q');
    await f.brand('brand-r');
    await f.brand('brand-fed', { fedramp: true });
    await f.agent('agent-q');
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  /** A callback request of `who` in the SURVEY_PLATFORM/ENGLISH queue; its numeric ticket id. */
  const request = async (who: string) => {
    const res = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', language: 'ENGLISH', phone: { country: 'IT', number: '02 1234 5678' } } }, await f.tokenFor(who))).requestPhoneCallback;
    expect(res.userErrors).toEqual([]);
    return numericIdOf('Ticket', res.ticket.id);
  };
  const queue = { language: 'ENGLISH', productArea: 'SURVEY_PLATFORM' };

  it('PHN-4: a move is released to its waiters in queue order, a few per turn of the event loop, each with its own position — nothing of another waiter or brand', async () => {
    // seven waiters of two brands in one queue; one watcher looks at a ticket of the other brand
    const callers = ['qa-0', 'qr-1', 'qa-2', 'qr-3', 'qa-4', 'qr-5', 'qa-6'];
    for (const id of callers) await f.account(id, id.startsWith('qa') ? 'brand-q' : 'brand-r');
    const tickets: number[] = [];
    for (const id of callers) tickets.push(await request(id));
    const fanout = new QueueFanout(t.orm.em, DEFAULT_SUPPORT_SETTINGS, 2);
    const watchers: QueueWatcher[] = callers.map((id, i) => ({ ticketId: tickets[i], who: `customer:${id}`, queue: { ...queue } }));
    const snoop: QueueWatcher = { ticketId: tickets[1], who: 'customer:qa-0', queue: { ...queue } };
    // watchers registered in reverse: the release order must come from the queue, not from registration
    for (const w of [...watchers, snoop].reverse()) fanout.watch(w);

    const event = callbackQueueMoved(queue.language, queue.productArea, tickets[0]);
    const order: string[] = [];
    const turns: number[] = [];
    // counts turns of the event loop (a setImmediate each) while the move is released
    let turn = 0;
    let spinning = true;
    const spin = () => {
      turn++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const shares = await Promise.all(
      [snoop, ...watchers].map(async (w) => {
        const share = await fanout.statusFor(event, w);
        order.push(w === snoop ? 'snoop' : w.who);
        turns.push(turn);
        return share;
      }),
    );
    spinning = false;
    const [snooped, ...own] = shares;
    expect(snooped).toBeNull(); // qa-0 (brand-q) may not read qr-1's ticket (brand-r)
    expect(own.map((s) => s?.value.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(own.every((s) => s?.value.state === 'WAITING')).toBe(true);
    // refused shares first, then by position; chunks of 2 spread over several turns
    expect(order).toEqual(['snoop', ...callers.map((id) => `customer:${id}`)]);
    expect(new Set(turns).size).toBeGreaterThan(1);
    // the queue is left as it was for the next test
    for (let i = 0; i < callers.length; i++) ok(await t.internal(`mutation { takeNextCallback(input: { language: ENGLISH, productArea: SURVEY_PLATFORM }) { ticket { id } } }`, undefined, await t.token('agent-q', ['hub:agent'])));
  });

  it('PHN-4: a waiter whose brand turned FedRAMP gets no share of the move; a failed computation skips the move for every waiter', async () => {
    await f.account('fed-0', 'brand-fed');
    await f.account('ok-0', 'brand-q');
    await f.brand('brand-fed', { fedramp: false });
    const fedTicket = await request('fed-0');
    const okTicket = await request('ok-0');
    await f.brand('brand-fed', { fedramp: true });
    const fanout = new QueueFanout(t.orm.em, DEFAULT_SUPPORT_SETTINGS, 1);
    const fed: QueueWatcher = { ticketId: fedTicket, who: 'customer:fed-0', queue: { ...queue } };
    const fine: QueueWatcher = { ticketId: okTicket, who: 'customer:ok-0', queue: { ...queue } };
    fanout.watch(fed);
    fanout.watch(fine);
    const event = callbackQueueMoved(queue.language, queue.productArea, 0);
    expect(await fanout.statusFor(event, fed)).toBeNull();
    expect((await fanout.statusFor(event, fine))?.value.position).toBe(2);
    // a watcher of another queue is not part of the move: it resolves alone (undefined)
    expect(await fanout.statusFor(event, { ticketId: okTicket, who: 'customer:ok-0', queue: { language: 'GERMAN', productArea: 'SURVEY_PLATFORM' } })).toBeUndefined();
    // a database failure: every waiter of that move skips it (null), as a delivery that fails to re-read does
    const broken = new QueueFanout({ fork: () => { throw new Error('database down'); } } as never, DEFAULT_SUPPORT_SETTINGS, 1);
    broken.watch(fine);
    expect(await broken.statusFor(callbackQueueMoved(queue.language, queue.productArea, 0), fine)).toBeNull();
    const agent = await t.token('agent-q', ['hub:agent']);
    for (let i = 0; i < 2; i++) ok(await t.internal(`mutation { takeNextCallback(input: { language: ENGLISH, productArea: SURVEY_PLATFORM }) { ticket { id } } }`, undefined, agent));
  });

  /** A raw graphql-transport-ws socket. */
  const raw = (protocol: string | null = 'graphql-transport-ws') => {
    const socket = protocol ? new WebSocket(ws.url, protocol) : new WebSocket(ws.url);
    const log = new MessageLog(socket);
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const waitFor = (pred: (m: any) => boolean, ms = 5_000) => log.waitFor(pred, 'such', ms);
    const send = async (message: unknown) => {
      await opened;
      socket.send(JSON.stringify(message));
    };
    return { socket, messages: log.messages, closed, waitFor, send };
  };

  it('a query that does not parse gets an error message and the socket stays usable; ping gets pong', async () => {
    const s = raw();
    await s.send({ type: 'connection_init', payload: {} });
    await s.waitFor((m) => m.type === 'connection_ack');
    await s.send({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { applicationStatusChanged {' } });
    const error = await s.waitFor((m) => m.id === 'bad');
    expect(error.type).toBe('error');
    expect(error.payload[0].message).toMatch(/Syntax Error/);
    await s.send({ type: 'ping', payload: { at: 1 } });
    expect(await s.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', payload: { at: 1 } });
    const started = subscriptionStarts(t.server.subscriptions);
    await s.send({ id: 'good', type: 'subscribe', payload: { query: STATUS_CHANGED } });
    await started(1);
    ok(await t.internal(SET_STATUS('DEGRADED_PERFORMANCE')));
    const next = await s.waitFor((m) => m.id === 'good');
    expect(next).toMatchObject({ type: 'next', payload: { data: { applicationStatusChanged: { component: 'REPORTING', status: 'DEGRADED_PERFORMANCE' } } } });
    s.socket.terminate();
  });

  it('a client complete stops deliveries of that subscription only', async () => {
    const s = raw();
    await s.send({ type: 'connection_init', payload: {} });
    await s.waitFor((m) => m.type === 'connection_ack');
    const subs = t.server.subscriptions;
    const started = subscriptionStarts(subs);
    await s.send({ id: 'a', type: 'subscribe', payload: { query: STATUS_CHANGED } });
    await s.send({ id: 'b', type: 'subscribe', payload: { query: STATUS_CHANGED } });
    await started(2);
    const before = subs.stats().subscriptions;
    await s.send({ id: 'a', type: 'complete' });
    await until(() => subs.stats().subscriptions < before, 'the completed subscription is no longer counted');
    expect(subs.stats().subscriptions).toBe(before - 1);
    ok(await t.internal(SET_STATUS('MAJOR_OUTAGE')));
    await s.waitFor((m) => m.id === 'b' && m.type === 'next');
    // 'a' skipped or was sent the event; then the sentinel, sent after it on this socket
    await deliveriesDone(subs);
    ok(await t.internal(SET_STATUS('OPERATIONAL')));
    await s.waitFor((m) => m.id === 'b' && m.type === 'next' && m.payload.data.applicationStatusChanged.status === 'OPERATIONAL');
    expect(s.messages.filter((m) => m.id === 'a')).toEqual([]);
    s.socket.terminate();
  });

  it('queries and mutations over the socket are refused (OPERATION_NOT_SUPPORTED), run nothing, and the socket stays usable', async () => {
    const s = raw();
    await s.send({ type: 'connection_init', payload: {} });
    await s.waitFor((m) => m.type === 'connection_ack');
    await s.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
    await s.send({ id: 'm', type: 'subscribe', payload: { query: 'mutation { __typename }' } });
    for (const id of ['q', 'm']) {
      const error = await s.waitFor((m) => m.id === id && m.type === 'error');
      expect(error.payload[0].extensions.code).toBe('OPERATION_NOT_SUPPORTED');
      expect(error.payload[0].message).toMatch(/subscriptions only.*POST \/graphql/);
    }
    expect(s.messages.filter((m) => m.id === 'q' || m.id === 'm').map((m) => m.type)).toEqual(['error', 'error']);
    // the ids are free again and subscriptions still work on this socket
    const started = subscriptionStarts(t.server.subscriptions);
    await s.send({ id: 'q', type: 'subscribe', payload: { query: STATUS_CHANGED } });
    await started(1);
    ok(await t.internal(SET_STATUS('PARTIAL_OUTAGE')));
    await s.waitFor((m) => m.id === 'q' && m.type === 'next');
    s.socket.terminate();
  });

  it('4406: a socket without the graphql-transport-ws subprotocol is refused; 4400: an unknown message type closes the socket', async () => {
    const plain = raw(null);
    expect(await plain.closed).toBe(4406);
    const s = raw();
    await s.send({ type: 'connection_init', payload: {} });
    await s.waitFor((m) => m.type === 'connection_ack');
    await s.send({ type: 'connection_ack' });
    expect(await s.closed).toBe(4400);
  });

  it('RT-2: a subscription that ends (the call started) delivers its last value, then complete, and leaves nothing registered', async () => {
    await f.account('last-0', 'brand-q');
    const id = await request('last-0');
    const listeners = t.server.events.size;
    const live = new Live(ws.open(await f.tokenFor('last-0')), `subscription($id: ID!) { callbackQueuePosition(ticketId: $id) { state position } }`, { id: toGlobalId('Ticket', id) });
    await live.waitFor(1);
    expect(t.server.events.size).toBe(listeners + 1);
    ok(await t.internal(`mutation { takeNextCallback(input: { language: ENGLISH, productArea: SURVEY_PLATFORM }) { ticket { id } } }`, undefined, await t.token('agent-q', ['hub:agent'])));
    await live.ended();
    expect(live.results.map((r) => (r.data as any).callbackQueuePosition)).toEqual([
      { state: 'WAITING', position: 1 },
      { state: 'IN_CALL', position: null },
    ]);
    // the server unregisters after sending complete
    await until(() => t.server.events.size === listeners, 'the ended subscription left the bus');
    expect(t.server.events.size).toBe(listeners);
  });
});
