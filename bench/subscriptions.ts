import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { toGlobalId } from '../src/resolvers/types/node';
import { agentToken, BenchServer, customerToken, openAll, percentile, post, RawSubscriber, report, round, sleep } from './lib/realtime-harness';

/**
 * Issue 4 / issue 7 item 3: N concurrent subscribers on one instance (`BENCH_SUBSCRIBERS`, default
 * 10,000, the issue's target), half on `ticketUpdated(id)` and half on `ticketsUpdated(ORGANIZATION)`,
 * all allowed to see one ticket. Measures (1) server RSS per idle subscription, (2) the latency of a single delivery
 * to its one subscriber while the N are connected, (3) a status change fanned out to all N.
 * Latency = from sending the mutation to the subscriber receiving the event (client-side clock).
 * RSS is read from /proc/<pid>/status of the server process after a full GC and a few seconds'
 * settling, with no subscription and with the N idle ones (the clients live in this process).
 *
 *   npm run build && node dist/bench/subscriptions.js          (or: npm run bench:subscriptions)
 */

const N = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const ACCOUNTS = Math.min(N, Number(process.env.BENCH_ACCOUNTS_FOR_SUBSCRIBERS ?? 1_000));
const SINGLE_ROUNDS = Number(process.env.BENCH_SINGLE_ROUNDS ?? 300);
const FANOUT_ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 3);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 8_000);

const TICKET_UPDATED = `subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id status } } }`;
const TICKETS_UPDATED = `subscription { ticketsUpdated(scope: ORGANIZATION) { eventId change ticket { id status } } }`;
const SET_STATUS = `mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code message } } }`;
const ASSIGN = `mutation($input: AssignTicketInput!) { assignTicket(input: $input) { userErrors { code message } } }`;

/** Waits until every subscriber received `count` events; returns when, or throws after `ms`. */
async function allReceived(subscribers: RawSubscriber[], count: number, ms = 300_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (subscribers.some((s) => s.received.length < count)) {
    if (Date.now() > deadline) throw new Error(`only ${subscribers.filter((s) => s.received.length >= count).length} of ${subscribers.length} subscribers got event ${count}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(N) || N < 1) throw new Error('BENCH_SUBSCRIBERS must be a positive integer');
  console.log(`subscriptions bench: ${N} subscribers on one instance (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded SQLite'}); starting the server…`);
  const server = await BenchServer.start({ kind: 'subscriptions', prefix: `rt${Date.now().toString(36)}`, accounts: ACCOUNTS });
  const { port, accounts, fanoutTicketId, soloAccountId, soloTicketId, agents } = server.ready;
  const url = `ws://127.0.0.1:${port}/graphql`;
  const agent = await agentToken(agents![0]);
  try {
    const tokens = await Promise.all(accounts.map((id) => customerToken(id)));
    const fanoutId = toGlobalId('Ticket', fanoutTicketId!);
    const soloId = toGlobalId('Ticket', soloTicketId!);

    // warm-up: one subscriber and one event, so lazily built code paths are not counted as per-subscription memory
    const warm = new RawSubscriber(url, tokens[0], TICKET_UPDATED, { id: fanoutId });
    await warm.open();
    await server.waitForSubscriptions(1);
    await post(port, '/internal/graphql', ASSIGN, { input: { ticketId: fanoutId } }, agent);
    await allReceived([warm], 1);
    warm.close();

    /** V8 gives freed pages back some seconds after a GC: measure settled memory on both sides. */
    const settled = async () => {
      await server.memory(true);
      await sleep(SETTLE_MS);
      return server.memory(true);
    };
    const before = await settled();
    const rssBefore = before.rssKb;
    const subscribers = Array.from({ length: N }, (_, i) => (i % 2 === 0 ? new RawSubscriber(url, tokens[i % tokens.length], TICKET_UPDATED, { id: fanoutId }) : new RawSubscriber(url, tokens[i % tokens.length], TICKETS_UPDATED, {})));
    const opening = performance.now();
    await openAll(subscribers);
    await server.waitForSubscriptions(N);
    const openMs = performance.now() - opening;
    const idle = await settled();
    const rssIdle = idle.rssKb;
    const perSubscriptionKb = (rssIdle - rssBefore) / N;
    const heapPerSubscriptionKb = (idle.heapUsedKb - before.heapUsedKb) / N;
    console.log(`${N} subscriptions open in ${round(openMs / 1000)} s; server RSS ${rssBefore} kB → ${rssIdle} kB (${round(perSubscriptionKb, 2)} kB per subscription; JS heap ${round(heapPerSubscriptionKb, 2)} kB)`);

    // (2) single delivery while N are connected: the lone subscriber's ticket is another brand's, so nobody else works for it
    const solo = new RawSubscriber(url, await customerToken(soloAccountId!), TICKET_UPDATED, { id: soloId });
    await solo.open();
    await server.waitForSubscriptions(N + 1);
    const single: number[] = [];
    // BENCH_PROFILE=1: a CPU profile of the server during the single deliveries, another during the fan-outs
    let stopProfile = await server.profile('subscriptions-single');
    for (let round = 0; round < SINGLE_ROUNDS; round++) {
      const sent = performance.now();
      await post(port, '/internal/graphql', ASSIGN, { input: { ticketId: soloId } }, agent);
      await allReceived([solo], round + 1, 10_000);
      single.push(solo.received[round].at - sent);
    }
    await stopProfile();
    console.log(`single delivery (${SINGLE_ROUNDS} rounds): p50 ${round(percentile(single, 50))} ms, p99 ${round(percentile(single, 99))} ms`);

    // (3) a status change fanned out to all N
    const fanout: number[] = [];
    const allDone: number[] = [];
    const statuses = ['CLOSED', 'OPEN'];
    stopProfile = await server.profile('subscriptions-fanout');
    for (let r = 0; r < FANOUT_ROUNDS; r++) {
      const sent = performance.now();
      const res = await post(port, '/internal/graphql', SET_STATUS, { input: { ticketId: fanoutId, status: statuses[r % 2] } }, agent);
      if (res.setTicketStatus.userErrors.length) throw new Error(JSON.stringify(res.setTicketStatus.userErrors));
      await allReceived(subscribers, r + 1);
      const latencies = subscribers.map((s) => s.received[r].at - sent);
      fanout.push(...latencies);
      allDone.push(Math.max(...latencies));
      console.log(`fan-out round ${r + 1}: all ${N} delivered after ${round(Math.max(...latencies))} ms`);
    }
    await stopProfile();
    const errors = subscribers.reduce((n, s) => n + s.received.filter((r) => r.payload.errors).length, 0);

    const figures = {
      subscribers: N,
      accounts: ACCOUNTS,
      openSeconds: round(openMs / 1000, 2),
      rssBeforeKb: rssBefore,
      rssIdleKb: rssIdle,
      rssPerSubscriptionKb: round(perSubscriptionKb, 2),
      heapUsedPerSubscriptionKb: round(heapPerSubscriptionKb, 2),
      /** The V8 heap by space (used and committed KB) with no subscription and with the N idle ones. */
      heapSpacesKb: { before: before.spaces, idle: idle.spaces },
      single: { rounds: SINGLE_ROUNDS, p50Ms: round(percentile(single, 50)), p99Ms: round(percentile(single, 99)), maxMs: round(Math.max(...single)) },
      fanout: { rounds: FANOUT_ROUNDS, deliveries: fanout.length, p50Ms: round(percentile(fanout, 50)), p99Ms: round(percentile(fanout, 99)), allDeliveredMs: allDone.map((v) => round(v)), errors },
    };
    report('subscriptions', `Subscriptions: ${N} subscribers on one instance`, [
      ['server RSS per idle subscription', `${figures.rssPerSubscriptionKb} KB`, '≤ 20 KB at 10,000'],
      ['JS heap per idle subscription', `${figures.heapUsedPerSubscriptionKb} KB`],
      ['single delivery p50 / p99 (while N connected)', `${figures.single.p50Ms} / ${figures.single.p99Ms} ms`, 'p99 ≤ 50 ms at 10,000'],
      [`fan-out to all ${N}: delivery p50 / p99`, `${figures.fanout.p50Ms} / ${figures.fanout.p99Ms} ms`],
      [`fan-out: last of ${N} delivered after`, `${figures.fanout.allDeliveredMs.join(', ')} ms`],
      ['time to open all subscriptions', `${figures.openSeconds} s`],
    ], figures);
    subscribers.forEach((s) => s.close());
    solo.close();
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
