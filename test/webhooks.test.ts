import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../src/delivery/webhook-address';
import { isRetryableStatus } from '../src/delivery/webhook-sender';
import { OutboxEntry, OutboxTransport, Webhook, WebhookDelivery } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { verifyHubSignature, WebhookReceiver, type ReceivedHook } from './utils/webhook-receiver';

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url events brandIds paused fedrampCleared } secret userErrors { field code reason message } } }`;
const UPDATE = `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { webhook { id paused url } secret userErrors { field code reason message } } }`;
const REMOVE = `mutation($input: RemoveWebhookInput!) { removeWebhook(input: $input) { removedId userErrors { field code message } } }`;
const REDELIVER = `mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id eventId redeliveryOf state } userErrors { field code reason message } } }`;
const LOG = `query { webhooks { id url deliveries { id event eventId ticketNumber state redeliveryOf createdAt attempts { attempt at statusCode durationMs succeeded error } } } }`;
const ASSIGN = `mutation($input: AssignTicketInput!) { assignTicket(input: $input) { userErrors { code message } } }`;
const STATUS = `mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code message } } }`;
const REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code message } } }`;
const ALL_EVENTS = ['TICKET_CREATED', 'TICKET_STATUS_CHANGED', 'TICKET_MESSAGE_CREATED', 'TICKET_ESCALATION_PROGRESSED', 'TICKET_ASSIGNED'];

const seconds = (t: TestServer) => Math.floor(t.clock.now.getTime() / 1000);
const bodyOf = (hook: ReceivedHook) => JSON.parse(hook.body);

/** The attempts in flight on this instance are recorded (the worker's round ended). */
const settled = (t: TestServer) => t.server.delivery.until((stats) => stats.inFlight === 0);

async function register(t: TestServer, input: Record<string, unknown>, token?: string) {
  return ok(await t.internal(REGISTER, { input: { events: ALL_EVENTS, ...input } }, token)).registerWebhook;
}

async function deliveryLog(t: TestServer, token?: string): Promise<Record<string, any[]>> {
  const hooks = ok(await t.internal(LOG, undefined, token)).webhooks as { id: string; deliveries: any[] }[];
  return Object.fromEntries(hooks.map((hook) => [hook.id, hook.deliveries]));
}

describe('webhook addresses (SSRF): ipaddr.js ranges', () => {
  it.each([
    ['93.184.215.14', true],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', true],
    ['::ffff:93.184.215.14', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['224.0.0.1', false],
    ['ff02::1', false],
    ['0.0.0.0', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['2002:a00:1::1', false],
    ['192.0.2.1', false],
    ['not-an-address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('retries 408, 429 and 5xx; not other 4xx or redirects', () => {
    expect([408, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([301, 302, 400, 401, 403, 404, 410, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe.each(DATABASE_TARGETS)('webhooks through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let receiver: WebhookReceiver;
  let other: WebhookReceiver;
  let agent: string;

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    receiver = await WebhookReceiver.start();
    other = await WebhookReceiver.start();
    for (const brand of ['acme', 'globex', 'later-fed', 'turning']) await f.brand(brand);
    await f.brand('fed', { fedramp: true });
    for (const [account, brand] of [['ann', 'acme'], ['gus', 'globex'], ['fay', 'fed'], ['lou', 'later-fed'], ['tim', 'turning']]) await f.account(account, brand);
    await f.agent('agent-w');
    agent = await t.token('agent-w', ['hub:agent']);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await other?.close();
  });

  it('a ticket event is POSTed signed (Hub-Signature over "<t>.<body>"), with Hub-Event and Hub-Delivery, and logged', async () => {
    const res = await register(t, { url: receiver.url('/signed'), brandIds: ['acme'] });
    expect(res.userErrors).toEqual([]);
    expect(res.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(res.webhook).toMatchObject({ url: receiver.url('/signed'), brandIds: ['acme'], paused: false, fedrampCleared: false });
    const before = receiver.received.length;
    const ticket = await f.ticket({ submitterId: 'ann', subject: 'Secret subject' });
    const [hook] = (await receiver.waitFor(before + 1)).slice(before);
    expect(hook.headers['hub-event']).toBe('TICKET_CREATED');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, res.secret, seconds(t))).toBe(true);
    // the signature is over this body with this secret: anything else fails
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, 'whsec_another', seconds(t))).toBe(false);
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body.replace('acme', 'acmf'), res.secret, seconds(t))).toBe(false);
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, res.secret, seconds(t) + 301)).toBe(false);
    const body = bodyOf(hook);
    expect(body).toMatchObject({ event: 'TICKET_CREATED', webhookId: res.webhook.id, ticket: { id: ticket.id, number: ticket.number, brandId: 'acme', status: 'OPEN', type: 'EMAIL', submitterId: 'ann' } });
    expect(hook.body).not.toContain('Secret subject');
    await settled(t);
    const log = (await deliveryLog(t))[res.webhook.id];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: hook.headers['hub-delivery'], event: 'TICKET_CREATED', eventId: body.eventId, ticketNumber: ticket.number, state: 'DELIVERED', redeliveryOf: null });
    expect(log[0].attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, succeeded: true, error: null, at: t.clock.now.toISOString() })]);
    expect(log[0].attempts[0].durationMs).toBeGreaterThanOrEqual(0);
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });

  it('only the events a webhook asked for: assignment and status, not the message in between', async () => {
    const res = await register(t, { url: receiver.url('/filtered'), brandIds: ['acme'], events: ['TICKET_ASSIGNED', 'TICKET_STATUS_CHANGED'] });
    const ticket = await f.ticket({ submitterId: 'ann' });
    const before = receiver.received.length;
    expect(ok(await t.internal(ASSIGN, { input: { ticketId: ticket.id } }, agent)).assignTicket.userErrors).toEqual([]);
    expect(ok(await t.internal(REPLY, { input: { ticketId: ticket.id, bodyHtml: '<p>Hello</p>' } }, agent)).postAgentReply.userErrors).toEqual([]);
    // the sentinel: a message event would have been enqueued before this one
    expect(ok(await t.internal(STATUS, { input: { ticketId: ticket.id, status: 'CLOSED' } }, agent)).setTicketStatus.userErrors).toEqual([]);
    const got = (await receiver.waitFor(before + 2)).slice(before);
    expect(got.map((hook) => hook.headers['hub-event']).sort()).toEqual(['TICKET_ASSIGNED', 'TICKET_STATUS_CHANGED']);
    expect(bodyOf(got.find((hook) => hook.headers['hub-event'] === 'TICKET_ASSIGNED')!).ticket.assigneeId).toBe('agent-w');
    await t.server.webhooks.idle();
    await settled(t);
    expect((await deliveryLog(t))[res.webhook.id].map((d) => d.event).sort()).toEqual(['TICKET_ASSIGNED', 'TICKET_STATUS_CHANGED']);
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });

  it('retried with the outbox backoff after a 500, the same delivery and body, freshly signed; a 404 is not retried', async () => {
    const res = await register(t, { url: receiver.url('/flaky'), brandIds: ['acme'], events: ['TICKET_CREATED'] });
    receiver.answer(500);
    const before = receiver.received.length;
    await f.ticket({ submitterId: 'ann' });
    const [first] = (await receiver.waitFor(before + 1)).slice(before);
    expect(first.status).toBe(500);
    await settled(t);
    let log = (await deliveryLog(t))[res.webhook.id];
    expect(log[0].state).toBe('PENDING');
    expect(log[0].attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 500, succeeded: false, error: 'answered 500' })]);
    // the first retry is due 30 s later (the outbox schedule): move the clock past it
    t.clock.now = new Date(t.clock.now.getTime() + 31_000);
    t.server.delivery.wake();
    const [second] = (await receiver.waitFor(before + 2)).slice(before + 1);
    expect(second.status).toBe(200);
    expect(second.headers['hub-delivery']).toBe(first.headers['hub-delivery']);
    expect(second.body).toBe(first.body);
    expect(second.headers['hub-signature']).not.toBe(first.headers['hub-signature']);
    expect(verifyHubSignature(second.headers['hub-signature'] as string, second.body, res.secret, seconds(t))).toBe(true);
    await settled(t);
    log = (await deliveryLog(t))[res.webhook.id];
    expect(log[0].state).toBe('DELIVERED');
    expect(log[0].attempts.map((a: any) => [a.attempt, a.statusCode, a.succeeded])).toEqual([[1, 500, false], [2, 200, true]]);

    receiver.answer(404);
    await f.ticket({ submitterId: 'ann' });
    await receiver.waitFor(before + 3);
    await settled(t);
    log = (await deliveryLog(t))[res.webhook.id];
    expect(log[0].state).toBe('FAILED');
    expect(log[0].attempts.map((a: any) => [a.attempt, a.statusCode])).toEqual([[1, 404]]);
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });

  it('redeliverWebhook sends the same body again as a new delivery; unknown ids and paused webhooks are userErrors', async () => {
    const res = await register(t, { url: receiver.url('/again'), brandIds: ['acme'], events: ['TICKET_CREATED'] });
    const before = receiver.received.length;
    await f.ticket({ submitterId: 'ann' });
    const [original] = (await receiver.waitFor(before + 1)).slice(before);
    await settled(t);
    const again = ok(await t.internal(REDELIVER, { input: { deliveryId: original.headers['hub-delivery'] } })).redeliverWebhook;
    expect(again.userErrors).toEqual([]);
    expect(again.delivery).toMatchObject({ redeliveryOf: original.headers['hub-delivery'], eventId: bodyOf(original).eventId, state: 'PENDING' });
    const [repeat] = (await receiver.waitFor(before + 2)).slice(before + 1);
    expect(repeat.headers['hub-delivery']).toBe(again.delivery.id);
    expect(repeat.headers['hub-delivery']).not.toBe(original.headers['hub-delivery']);
    expect(repeat.body).toBe(original.body);
    expect(verifyHubSignature(repeat.headers['hub-signature'] as string, repeat.body, res.secret, seconds(t))).toBe(true);
    await settled(t);
    const log = (await deliveryLog(t))[res.webhook.id];
    expect(log.map((d) => [d.id, d.state, d.redeliveryOf])).toEqual(
      expect.arrayContaining([[original.headers['hub-delivery'], 'DELIVERED', null], [again.delivery.id, 'DELIVERED', original.headers['hub-delivery']]]),
    );

    const unknown = ok(await t.internal(REDELIVER, { input: { deliveryId: '00000000-0000-4000-8000-000000000000' } })).redeliverWebhook;
    expect(unknown).toMatchObject({ delivery: null, userErrors: [{ field: ['input', 'deliveryId'], code: 'NOT_FOUND' }] });
    // another integration cannot redeliver it either
    const stranger = ok(await t.internal(REDELIVER, { input: { deliveryId: original.headers['hub-delivery'] } }, await t.token('crm-other', ['hub:integration']))).redeliverWebhook;
    expect(stranger.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    expect(ok(await t.internal(UPDATE, { input: { id: res.webhook.id, paused: true } })).updateWebhook.webhook.paused).toBe(true);
    const paused = ok(await t.internal(REDELIVER, { input: { deliveryId: original.headers['hub-delivery'] } })).redeliverWebhook;
    expect(paused.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE', reason: 'WEBHOOK_PAUSED' })]);
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });

  it('a paused webhook gets nothing until resumed; a rotated secret signs from then on; removed, it is gone', async () => {
    const paused = await register(t, { url: receiver.url('/paused'), brandIds: ['acme'], events: ['TICKET_CREATED'] });
    // the sentinel: a webhook registered later is handled after the paused one for the same event
    const sentinel = await register(t, { url: other.url('/sentinel'), brandIds: ['acme'], events: ['TICKET_CREATED'] });
    ok(await t.internal(UPDATE, { input: { id: paused.webhook.id, paused: true } }));
    const before = receiver.received.length;
    const otherBefore = other.received.length;
    await f.ticket({ submitterId: 'ann' });
    await other.waitFor(otherBefore + 1);
    await t.server.webhooks.idle();
    expect((await deliveryLog(t))[paused.webhook.id]).toEqual([]);

    const resumed = ok(await t.internal(UPDATE, { input: { id: paused.webhook.id, paused: false, rotateSecret: true } })).updateWebhook;
    expect(resumed.userErrors).toEqual([]);
    expect(resumed.secret).toMatch(/^whsec_/);
    expect(resumed.secret).not.toBe(paused.secret);
    await f.ticket({ submitterId: 'ann' });
    const [hook] = (await receiver.waitFor(before + 1)).slice(before);
    expect(receiver.received.length).toBe(before + 1);
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, resumed.secret, seconds(t))).toBe(true);
    expect(verifyHubSignature(hook.headers['hub-signature'] as string, hook.body, paused.secret, seconds(t))).toBe(false);
    await settled(t);

    for (const id of [paused.webhook.id, sentinel.webhook.id]) expect(ok(await t.internal(REMOVE, { input: { id } })).removeWebhook).toEqual({ removedId: id, userErrors: [] });
    expect(await t.orm.em.fork().count(Webhook, { id: paused.webhook.id })).toBe(0);
    expect(await t.orm.em.fork().count(WebhookDelivery, { webhookId: paused.webhook.id })).toBe(0);
    expect(ok(await t.internal(REMOVE, { input: { id: paused.webhook.id } })).removeWebhook.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  it("brand isolation: a webhook hears only its brands' tickets; integrations see and change only their own webhooks", async () => {
    const crmB = await t.token('crm-b', ['hub:integration']);
    const acmeHook = await register(t, { url: receiver.url('/acme-only'), brandIds: ['acme'], events: ['TICKET_CREATED'] });
    const globexHook = await register(t, { url: other.url('/globex'), brandIds: ['globex'], events: ['TICKET_CREATED'] }, crmB);
    expect(globexHook.userErrors).toEqual([]);
    const before = receiver.received.length;
    const otherBefore = other.received.length;
    // globex first (no acme delivery may come of it), then the acme sentinel
    const globexTicket = await f.ticket({ submitterId: 'gus' });
    const [globexDelivery] = (await other.waitFor(otherBefore + 1)).slice(otherBefore);
    expect(bodyOf(globexDelivery).ticket.number).toBe(globexTicket.number);
    const acmeTicket = await f.ticket({ submitterId: 'ann' });
    const [acmeDelivery] = (await receiver.waitFor(before + 1)).slice(before);
    expect(bodyOf(acmeDelivery).ticket.number).toBe(acmeTicket.number);
    await t.server.webhooks.idle();
    await settled(t);
    expect(receiver.received.slice(before).map((hook) => bodyOf(hook).ticket.brandId)).toEqual(['acme']);
    expect(other.received.slice(otherBefore).map((hook) => bodyOf(hook).ticket.brandId)).toEqual(['globex']);

    // each integration lists only its own; another's webhook is NOT_FOUND to it, and unchanged
    expect(Object.keys(await deliveryLog(t, crmB))).toEqual([globexHook.webhook.id]);
    expect(Object.keys(await deliveryLog(t))).not.toContain(globexHook.webhook.id);
    const hijack = ok(await t.internal(UPDATE, { input: { id: globexHook.webhook.id, url: receiver.url('/stolen') } })).updateWebhook;
    expect(hijack).toMatchObject({ webhook: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }] });
    expect(ok(await t.internal(REMOVE, { input: { id: globexHook.webhook.id } })).removeWebhook.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    expect((await t.orm.em.fork().findOneOrFail(Webhook, { id: globexHook.webhook.id })).url).toBe(other.url('/globex'));

    // a brand that does not exist is refused on its index
    const missing = await register(t, { url: receiver.url('/x'), brandIds: ['acme', 'nope'] });
    expect(missing).toMatchObject({ webhook: null, secret: null, userErrors: [{ field: ['input', 'brandIds', '1'], code: 'NOT_FOUND' }] });
    // agents do not register webhooks
    const byAgent = await t.internal(REGISTER, { input: { url: receiver.url('/agent'), brandIds: ['acme'], events: ALL_EVENTS } }, agent);
    expect(byAgent.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_INTEGRATION' });
    for (const [id, token] of [[acmeHook.webhook.id, undefined], [globexHook.webhook.id, crmB]] as const) ok(await t.internal(REMOVE, { input: { id } }, token));
  });

  it('FED-1: FedRAMP tickets never reach an uncleared integration, also when a brand becomes FedRAMP; a hub:fedramp integration gets them', async () => {
    const refused = await register(t, { url: receiver.url('/fed'), brandIds: ['acme', 'fed'] });
    expect(refused).toMatchObject({ webhook: null, secret: null, userErrors: [{ field: ['input', 'brandIds', '1'], code: 'INVALID', reason: 'FEDRAMP_NOT_CLEARED' }] });
    expect(await t.orm.em.fork().count(Webhook, { url: receiver.url('/fed') })).toBe(0);

    const gov = await t.token('crm-gov', ['hub:integration', 'hub:fedramp']);
    const cleared = await register(t, { url: other.url('/gov'), brandIds: ['fed', 'later-fed'], events: ['TICKET_CREATED'] }, gov);
    expect(cleared.userErrors).toEqual([]);
    expect(cleared.webhook.fedrampCleared).toBe(true);
    const uncleared = await register(t, { url: receiver.url('/later'), brandIds: ['later-fed'], events: ['TICKET_CREATED'] });
    expect(uncleared.userErrors).toEqual([]);

    const before = receiver.received.length;
    const otherBefore = other.received.length;
    const fedTicket = await f.ticket({ submitterId: 'fay' });
    const [fedDelivery] = (await other.waitFor(otherBefore + 1)).slice(otherBefore);
    expect(bodyOf(fedDelivery).ticket).toMatchObject({ number: fedTicket.number, brandId: 'fed' });

    // the brand turns FedRAMP after the uncleared webhook was registered: its tickets stop reaching it
    await f.brand('later-fed', { fedramp: true });
    const laterTicket = await f.ticket({ submitterId: 'lou' });
    // the cleared webhook is the sentinel (registered first, so handled first: the uncleared one's turn came too)
    const [laterDelivery] = (await other.waitFor(otherBefore + 2)).slice(otherBefore + 1);
    expect(bodyOf(laterDelivery).ticket.number).toBe(laterTicket.number);
    await t.server.webhooks.idle();
    await settled(t);
    expect(receiver.received.length).toBe(before);
    expect((await deliveryLog(t))[uncleared.webhook.id]).toEqual([]);
    for (const [id, token] of [[cleared.webhook.id, gov], [uncleared.webhook.id, undefined]] as const) ok(await t.internal(REMOVE, { input: { id } }, token));
  });

  it('FED-1 at send time: a retry waiting when its brand turns FedRAMP is not sent to an uncleared webhook', async () => {
    const res = await register(t, { url: receiver.url('/turning'), brandIds: ['turning'], events: ['TICKET_CREATED'] });
    receiver.answer(503);
    const before = receiver.received.length;
    await f.ticket({ submitterId: 'tim' });
    await receiver.waitFor(before + 1);
    await settled(t);
    await f.brand('turning', { fedramp: true });
    const failedBefore = t.server.delivery.counters().failed;
    t.clock.now = new Date(t.clock.now.getTime() + 31_000);
    t.server.delivery.wake();
    await t.server.delivery.until((stats) => stats.failed === failedBefore + 1 && stats.inFlight === 0);
    expect(receiver.received.length).toBe(before + 1);
    const [delivery] = (await deliveryLog(t))[res.webhook.id];
    expect(delivery.state).toBe('FAILED');
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([503]);
    const row = await t.orm.em.fork().findOneOrFail(OutboxEntry, { deliveryKey: { $like: `webhook:${res.webhook.id}:%` } });
    expect(row.lastError).toBe("the ticket is no longer in the webhook's audience");
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });
});

describe('webhooks in production mode: https to public addresses only (SSRF)', () => {
  let t: TestServer;
  let f: Fixtures;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestServer(DATABASE_TARGETS[0], { production: true, webhooks: { timeoutMs: 5_000, allowPrivateUrls: false } });
    f = new Fixtures(t);
    receiver = await WebhookReceiver.start();
    await f.brand('acme');
    await f.account('ann', 'acme');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it.each([
    ['http to a public name', 'http://example.com/hooks'],
    ['the local receiver over http', 'LOCAL'],
    ['https to loopback', 'https://127.0.0.1/hooks'],
    ['https to a name resolving to loopback', 'https://localhost/hooks'],
    ['IPv6 loopback', 'https://[::1]/hooks'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hooks'],
    ['a private address', 'https://10.0.0.8/hooks'],
    ['the cloud metadata address (link-local)', 'https://169.254.169.254/latest'],
    ['CGNAT', 'https://100.64.0.1/hooks'],
    ['unique-local IPv6', 'https://[fd00::1]/hooks'],
    ['multicast', 'https://224.0.0.1/hooks'],
    ['credentials in the URL', 'https://user:pass@93.184.215.14/hooks'],
    ['not a URL', 'hooks.example.com'],
  ])('registration refuses %s', async (_what, url) => {
    const res = await register(t, { url: url === 'LOCAL' ? receiver.url() : url, brandIds: ['acme'] });
    expect(res).toMatchObject({ webhook: null, secret: null, userErrors: [{ field: ['input', 'url'], code: 'INVALID', reason: 'WEBHOOK_URL_NOT_ALLOWED' }] });
  });

  it('a public https URL is accepted', async () => {
    const res = await register(t, { url: 'https://93.184.215.14/hooks', brandIds: ['acme'] });
    expect(res.userErrors).toEqual([]);
    ok(await t.internal(REMOVE, { input: { id: res.webhook.id } }));
  });

  it('a delivery to a private address is refused at send time (literal, or a name that now resolves to loopback), never sent', async () => {
    // as if registered while the name pointed elsewhere (DNS rebinding), or before the rules changed
    const em = t.orm.em.fork();
    const now = t.clock.now;
    for (const [id, url] of [
      ['00000000-0000-4000-8000-00000000000a', `https://127.0.0.1:${receiver.port}/literal`],
      ['00000000-0000-4000-8000-00000000000b', `https://localhost:${receiver.port}/rebound`],
    ]) {
      em.create(Webhook, { id, ownerSubject: 'integration-test', url, events: ['TICKET_CREATED'], brandIds: ['acme'], fedrampCleared: false, secret: 'whsec_test', createdAt: now, updatedAt: now });
    }
    await em.flush();
    const failedBefore = t.server.delivery.counters().failed;
    await f.ticket({ submitterId: 'ann' });
    await t.server.webhooks.idle();
    await t.server.delivery.until((stats) => stats.failed >= failedBefore + 2 && stats.inFlight === 0);
    expect(receiver.received).toEqual([]);
    const log = await deliveryLog(t);
    expect(log['00000000-0000-4000-8000-00000000000a'][0]).toMatchObject({ state: 'FAILED', attempts: [{ attempt: 1, statusCode: null, succeeded: false }] });
    expect(log['00000000-0000-4000-8000-00000000000a'][0].attempts[0].error).toBe('127.0.0.1 is not a public address');
    expect(log['00000000-0000-4000-8000-00000000000b'][0]).toMatchObject({ state: 'FAILED', attempts: [{ statusCode: null, succeeded: false }] });
    expect(log['00000000-0000-4000-8000-00000000000b'][0].attempts[0].error).toMatch(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    const rows = await em.fork().find(OutboxEntry, { transport: OutboxTransport.WEBHOOK });
    expect(rows.map((row) => row.lastError)).toEqual([expect.stringContaining('refused address'), expect.stringContaining('refused address')]);
  });
});
