import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry, OutboxStatus, OutboxTransport, WebhookDelivery } from '../src/entities';
import { Topic, type DomainEvent } from '../src/realtime/events';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, existingDatabase, ok, startTestServer, type TestServer } from './utils/harness';
import { verifyHubSignature, WebhookReceiver } from './utils/webhook-receiver';

const REDIS_URL = process.env.TEST_REDIS_URL;
const POSTGRES = DATABASE_TARGETS.find((target) => target.name === 'postgresql');
const reason = !REDIS_URL ? 'TEST_REDIS_URL not set' : !POSTGRES ? 'TEST_DATABASE_URL not set' : undefined;
if (reason) console.log(`webhooks across instances skipped: ${reason}`);
const TICKETS = 12;

/** Resolves once this instance's bus has heard `count` ticket-created events (its own and, over Redis, the other's). */
function createdEventsHeard(t: TestServer, count: number): Promise<string[]> {
  const ids: string[] = [];
  return new Promise((resolve) => {
    const off = t.server.events.subscribe((event: DomainEvent) => {
      if (event.type !== Topic.TICKET_UPDATED || event.change !== 'CREATED') return;
      ids.push(event.eventId);
      if (ids.length === count) {
        off();
        resolve(ids);
      }
    });
  });
}

describe.skipIf(Boolean(reason))('webhooks on two instances (PostgreSQL + Redis)', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: (() => Promise<void>) | undefined;
  let receiver: WebhookReceiver;
  const namespace = `hub-test-hooks-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await POSTGRES!.create();
    drop = created.drop;
    const shared = existingDatabase(created.database);
    // both instances hear every event (Redis) and poll every 5 ms, one entry at a time: they compete for everything
    const overrides = { redisUrl: REDIS_URL, redisNamespace: namespace, mailPatch: { delivery: { pollIntervalMs: 5, retryDelaysMs: [60_000], leaseMs: 60_000, batchSize: 1 } } };
    a = await startTestServer(shared, overrides);
    b = await startTestServer(shared, overrides);
    const f = new Fixtures(a);
    await f.brand('brand-h');
    await f.account('h-user', 'brand-h');
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await drop?.();
    await receiver?.close();
  });

  it('each event is enqueued and delivered once, though both instances hear it', async () => {
    const res = ok(await a.internal(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } secret userErrors { code } } }`, { input: { url: receiver.url('/scale'), brandIds: ['brand-h'], events: ['TICKET_CREATED'] } })).registerWebhook;
    expect(res.userErrors).toEqual([]);
    const heardA = createdEventsHeard(a, TICKETS);
    const heardB = createdEventsHeard(b, TICKETS);
    const [fa, fb] = [new Fixtures(a), new Fixtures(b)];
    // each fixture signs its agent token first (recording tickets needs one)
    await fa.agent('agent-h');
    await fb.agent('agent-h');
    await Promise.all(Array.from({ length: TICKETS }, (_, i) => (i % 2 ? fb : fa).ticket({ submitterId: 'h-user', subject: `Scale ${i}` })));
    const [idsA, idsB] = await Promise.all([heardA, heardB]);
    expect(new Set(idsA)).toEqual(new Set(idsB));
    // both producers have handled every event they heard, and both workers are idle
    await Promise.all([a.server.webhooks.idle(), b.server.webhooks.idle()]);
    await receiver.waitFor(TICKETS);
    const em = a.orm.em.fork();
    for (let i = 0; i < 500 && (await em.count(OutboxEntry, { transport: OutboxTransport.WEBHOOK, status: OutboxStatus.DELIVERED })) < TICKETS; i++) await new Promise((r) => setTimeout(r, 10));
    await Promise.all([a, b].map((s) => s.server.delivery.until((stats) => stats.inFlight === 0)));

    expect(await em.count(WebhookDelivery, {})).toBe(TICKETS);
    expect(await em.count(OutboxEntry, { transport: OutboxTransport.WEBHOOK })).toBe(TICKETS);
    expect(await em.count(OutboxEntry, { transport: OutboxTransport.WEBHOOK, status: OutboxStatus.DELIVERED })).toBe(TICKETS);
    expect(receiver.received).toHaveLength(TICKETS);
    const eventIds = receiver.received.map((hook) => JSON.parse(hook.body).eventId as string);
    expect(new Set(eventIds)).toEqual(new Set(idsA));
    expect(new Set(receiver.received.map((hook) => hook.headers['hub-delivery'])).size).toBe(TICKETS);
    const now = Math.floor(a.clock.now.getTime() / 1000);
    expect(receiver.received.every((hook) => verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, res.secret, now))).toBe(true);
  });
});
