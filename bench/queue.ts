import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { toGlobalId } from '../src/resolvers/types/node';
import { agentToken, BenchServer, customerToken, openAll, percentile, post, RawSubscriber, report, round, sleep } from './lib/realtime-harness';

/**
 * Issue 7 item 3 (PHN-4 at scale): `BENCH_QUEUE_CALLERS` (default 5,000) callers wait in one
 * callback queue, each subscribed to `callbackQueuePosition`; agents take calls one after another.
 * For every move: the time from sending `takeNextCallback` until each waiter received its new
 * position (p50/p99/max), and until every waiter had it.
 *
 *   npm run build && node dist/bench/queue.js          (or: npm run bench:queue)
 */

const CALLERS = Number(process.env.BENCH_QUEUE_CALLERS ?? 5_000);
const MOVES = Number(process.env.BENCH_QUEUE_MOVES ?? 10);
const AGENTS = 4;

const POSITION = `subscription($id: ID!) { callbackQueuePosition(ticketId: $id) { state position estimatedWaitMinutes } }`;
const TAKE = `mutation($input: TakeNextCallbackInput!) { takeNextCallback(input: $input) { ticket { id } userErrors { code message } } }`;

async function main(): Promise<void> {
  console.log(`queue bench: ${CALLERS} callers in one callback queue (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded SQLite'}); starting the server…`);
  const server = await BenchServer.start({ kind: 'queue', prefix: `q${Date.now().toString(36)}`, callers: CALLERS, agents: AGENTS });
  const { port, callerTickets, agents, language, productArea } = server.ready;
  const url = `ws://127.0.0.1:${port}/graphql`;
  try {
    const agentTokens = await Promise.all(agents!.map((id) => agentToken(id)));
    const subscribers = await Promise.all(callerTickets!.map(async (c) => new RawSubscriber(url, await customerToken(c.accountId), POSITION, { id: toGlobalId('Ticket', c.ticketId) })));
    const opening = performance.now();
    await openAll(subscribers);
    await server.waitForSubscriptions(CALLERS);
    // every waiter has its first position (the current state) before the queue moves
    while (subscribers.some((s) => s.received.length < 1)) await sleep(50);
    const openMs = performance.now() - opening;
    const wrong = subscribers.filter((s, i) => s.received[0].payload.data?.callbackQueuePosition?.position !== i + 1).length;
    if (wrong) throw new Error(`${wrong} waiters got a wrong initial position`);
    console.log(`${CALLERS} waiters subscribed with their positions in ${round(openMs / 1000)} s`);

    const stopProfile = await server.profile('queue');
    const perWaiter: number[] = [];
    const everyone: number[] = [];
    for (let move = 0; move < MOVES; move++) {
      // after `move` calls taken, waiters from index `move` on are still waiting
      const waiting = subscribers.slice(move);
      const sent = performance.now();
      const res = await post(port, '/internal/graphql', TAKE, { input: { language, productArea } }, agentTokens[move % agentTokens.length]);
      if (res.takeNextCallback.userErrors.length) throw new Error(JSON.stringify(res.takeNextCallback.userErrors));
      const answered = performance.now() - sent;
      const expected = move + 2; // first position + one update per move so far
      const deadline = Date.now() + 120_000;
      while (waiting.some((s) => s.received.length < expected && !isInCall(s))) {
        if (Date.now() > deadline) throw new Error(`move ${move + 1}: not every waiter got its new position`);
        await sleep(5);
      }
      const still = waiting.slice(1);
      const latencies = still.map((s) => s.received[expected - 1].at - sent);
      const positions = still.map((s) => s.received[expected - 1].payload.data.callbackQueuePosition.position);
      if (positions.some((p, i) => p !== i + 1)) throw new Error(`move ${move + 1}: wrong positions`);
      perWaiter.push(...latencies);
      everyone.push(Math.max(...latencies));
      console.log(`move ${move + 1}: ${still.length} waiters moved up; mutation answered after ${round(answered)} ms; first update after ${round(Math.min(...latencies))} ms, p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms, all after ${round(Math.max(...latencies))} ms`);
    }

    await stopProfile();
    const figures = {
      callers: CALLERS,
      moves: MOVES,
      subscribeSeconds: round(openMs / 1000, 2),
      perWaiter: { deliveries: perWaiter.length, p50Ms: round(percentile(perWaiter, 50)), p99Ms: round(percentile(perWaiter, 99)), maxMs: round(Math.max(...perWaiter)) },
      allWaitersMs: { p50: round(percentile(everyone, 50)), p99: round(percentile(everyone, 99)), max: round(Math.max(...everyone)) },
    };
    report('queue', `Callback queue: ${CALLERS} waiters, ${MOVES} moves`, [
      ['new position per waiter p50 / p99 / max', `${figures.perWaiter.p50Ms} / ${figures.perWaiter.p99Ms} / ${figures.perWaiter.maxMs} ms`, `p99 ≤ 500 ms for all ${CALLERS}`],
      ['every waiter updated, per move p50 / p99 / max', `${figures.allWaitersMs.p50} / ${figures.allWaitersMs.p99} / ${figures.allWaitersMs.max} ms`],
      ['time to subscribe all waiters', `${figures.subscribeSeconds} s`],
    ], figures);
    subscribers.forEach((s) => s.close());
  } finally {
    await server.stop();
  }
}

/** The head of the queue gets IN_CALL instead of a new position. */
function isInCall(s: RawSubscriber): boolean {
  return s.received.some((r) => r.payload.data?.callbackQueuePosition?.state === 'IN_CALL');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
