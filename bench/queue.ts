import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { toGlobalId } from '../src/resolvers/types/node';
import { agentToken, BenchServer, customerToken, openAll, percentile, post, RawSubscriber, report, round, sleep } from './lib/realtime-harness';

/**
 * Issue 7 item 3 (PHN-4 at scale): `BENCH_QUEUE_CALLERS` (default 5,000) callers wait in one
 * callback queue, each subscribed to `callbackQueuePosition`; agents take calls one after another.
 * For every move: the time from sending `takeNextCallback` until each waiter received its new
 * position (p50/p99/max), and until every waiter had it. `BENCH_QUEUE_WARMUP` (default 1) more
 * callers wait at the head of the queue; their calls are taken first as a warm-up (a server that
 * never ran a queue move compiles that code path and collects the garbage of 5,000 subscriptions
 * then): printed, not counted in the figures. Every measured move has the 5,000 callers waiting.
 *
 *   npm run build && node dist/bench/queue.js          (or: npm run bench:queue)
 */

const CALLERS = Number(process.env.BENCH_QUEUE_CALLERS ?? 5_000);
const MOVES = Number(process.env.BENCH_QUEUE_MOVES ?? 10);
const WARMUP = Number(process.env.BENCH_QUEUE_WARMUP ?? 1);
const AGENTS = 4;
/**
 * The queue operations the measured moves cycle through (PHN-5): `take` (takeNextCallback: the head
 * starts a call), `complete` (completeCallback of the call taken last: nobody leaves, every waiter
 * gets a new estimate from the new handle time), `cancel` (cancelCallback by the head: it leaves the
 * queue). Each is one queue move every waiter hears of. Warm-up moves are always `take`.
 */
const OPS = (process.env.BENCH_QUEUE_OPS ?? 'take,complete,cancel').split(',').map((op) => op.trim()) as ('take' | 'complete' | 'cancel')[];

const POSITION = `subscription($id: ID!) { callbackQueuePosition(ticketId: $id) { state position estimatedWaitMinutes } }`;
const TAKE = `mutation($input: TakeNextCallbackInput!) { takeNextCallback(input: $input) { ticket { id } userErrors { code message } } }`;
const COMPLETE = `mutation($input: CompleteCallbackInput!) { completeCallback(input: $input) { ticket { id } userErrors { code message } } }`;
const CANCEL = `mutation($input: CancelCallbackInput!) { cancelCallback(input: $input) { ticket { id } userErrors { code message } } }`;

async function main(): Promise<void> {
  console.log(`queue bench: ${CALLERS} callers in one callback queue (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded SQLite'}); starting the server…`);
  if (!Number.isInteger(WARMUP) || WARMUP < 0) throw new Error('BENCH_QUEUE_WARMUP must be a non-negative integer');
  if (OPS.length === 0 || OPS.some((op) => !['take', 'complete', 'cancel'].includes(op))) throw new Error('BENCH_QUEUE_OPS lists take, complete and cancel');
  console.log(`measured moves cycle through: ${OPS.join(', ')}`);
  const server = await BenchServer.start({ kind: 'queue', prefix: `q${Date.now().toString(36)}`, callers: WARMUP + CALLERS, agents: AGENTS });
  const { port, callerTickets, agents, language, productArea } = server.ready;
  const url = `ws://127.0.0.1:${port}/graphql`;
  try {
    const agentTokens = await Promise.all(agents!.map((id) => agentToken(id)));
    const callerTokens = await Promise.all(callerTickets!.map((c) => customerToken(c.accountId)));
    const subscribers = callerTickets!.map((c, i) => new RawSubscriber(url, callerTokens[i], POSITION, { id: toGlobalId('Ticket', c.ticketId) }));
    const opening = performance.now();
    await openAll(subscribers);
    await server.waitForSubscriptions(WARMUP + CALLERS);
    // every waiter has its first position (the current state) before the queue moves
    while (subscribers.some((s) => s.received.length < 1)) await sleep(50);
    const openMs = performance.now() - opening;
    const wrong = subscribers.filter((s, i) => s.received[0].payload.data?.callbackQueuePosition?.position !== i + 1).length;
    if (wrong) throw new Error(`${wrong} waiters got a wrong initial position`);
    console.log(`${WARMUP + CALLERS} waiters subscribed with their positions in ${round(openMs / 1000)} s${WARMUP ? ` (${WARMUP} at the head for the warm-up)` : ''}`);

    let stopProfile: (() => Promise<unknown>) | undefined;
    const perWaiter: number[] = [];
    const everyone: number[] = [];
    const warmupAll: number[] = [];
    /** Index of the first caller still waiting; the call taken last and its agent. */
    let head = 0;
    let lastTaken: { ticketId: string; token: string } | undefined;
    for (let move = 0; move < WARMUP + MOVES; move++) {
      const warmup = move < WARMUP;
      if (!warmup) stopProfile ??= await server.profile('queue');
      const op = warmup ? 'take' : OPS[(move - WARMUP) % OPS.length];
      if (op === 'complete' && !lastTaken) throw new Error('BENCH_QUEUE_OPS: complete needs a take before it');
      // waiters from index `head` on are still waiting; every one of them hears of every move
      const waiting = subscribers.slice(head);
      const headTicket = toGlobalId('Ticket', callerTickets![head].ticketId);
      const agent = agentTokens[move % agentTokens.length];
      const sent = performance.now();
      const res =
        op === 'take'
          ? (await post(port, '/internal/graphql', TAKE, { input: { language, productArea } }, agent)).takeNextCallback
          : op === 'complete'
            ? (await post(port, '/internal/graphql', COMPLETE, { input: { ticketId: lastTaken!.ticketId, outcome: 'RESOLVED' } }, lastTaken!.token)).completeCallback
            : (await post(port, '/graphql', CANCEL, { input: { ticketId: headTicket } }, callerTokens[head])).cancelCallback;
      if (res.userErrors.length) throw new Error(`${op}: ${JSON.stringify(res.userErrors)}`);
      const answered = performance.now() - sent;
      if (op === 'take') lastTaken = { ticketId: headTicket, token: agent };
      if (op === 'complete') lastTaken = undefined;
      const leaving = op === 'complete' ? 0 : 1;
      head += leaving;
      const expected = move + 2; // first position + one update per move so far
      const deadline = Date.now() + 120_000;
      while (waiting.some((s) => s.received.length < expected && !leftQueue(s))) {
        if (Date.now() > deadline) throw new Error(`move ${move + 1} (warm-up moves included): not every waiter got its new position`);
        await sleep(5);
      }
      const still = waiting.slice(leaving);
      const latencies = still.map((s) => s.received[expected - 1].at - sent);
      const positions = still.map((s) => s.received[expected - 1].payload.data.callbackQueuePosition.position);
      if (positions.some((p, i) => p !== i + 1)) throw new Error(`move ${move + 1} (warm-up moves included): wrong positions`);
      if (!warmup) {
        perWaiter.push(...latencies);
        everyone.push(Math.max(...latencies));
      } else warmupAll.push(Math.max(...latencies));
      console.log(`${warmup ? `warm-up move ${move + 1}` : `move ${move + 1 - WARMUP}`} (${op}): ${still.length} waiters ${leaving ? 'moved up' : 'got a new estimate'}; mutation answered after ${round(answered)} ms; first update after ${round(Math.min(...latencies))} ms, p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms, all after ${round(Math.max(...latencies))} ms`);
    }

    await stopProfile?.();
    const figures = {
      callers: CALLERS,
      warmupMoves: WARMUP,
      /** Every waiter updated after the warm-up move(s), not counted in the figures. */
      warmupAllWaitersMs: warmupAll.map((v) => round(v)),
      moves: MOVES,
      subscribeSeconds: round(openMs / 1000, 2),
      perWaiter: { deliveries: perWaiter.length, p50Ms: round(percentile(perWaiter, 50)), p99Ms: round(percentile(perWaiter, 99)), maxMs: round(Math.max(...perWaiter)) },
      allWaitersMs: { p50: round(percentile(everyone, 50)), p99: round(percentile(everyone, 99)), max: round(Math.max(...everyone)) },
    };
    report('queue', `Callback queue: ${CALLERS} waiters, ${MOVES} moves (${OPS.join(', ')})`, [
      ['new position per waiter p50 / p99 / max', `${figures.perWaiter.p50Ms} / ${figures.perWaiter.p99Ms} / ${figures.perWaiter.maxMs} ms`, `p99 ≤ 500 ms for all ${CALLERS}`],
      ['every waiter updated, per move p50 / p99 / max', `${figures.allWaitersMs.p50} / ${figures.allWaitersMs.p99} / ${figures.allWaitersMs.max} ms`],
      ...(WARMUP ? [[`warm-up move (not counted): every waiter updated after`, `${figures.warmupAllWaitersMs.join(', ')} ms`] as [string, string]] : []),
      ['time to subscribe all waiters', `${figures.subscribeSeconds} s`],
    ], figures);
    subscribers.forEach((s) => s.close());
  } finally {
    await server.stop();
  }
}

/** The head of the queue gets IN_CALL (taken) or CANCELLED (left) instead of a new position. */
function leftQueue(s: RawSubscriber): boolean {
  return s.received.some((r) => ['IN_CALL', 'CANCELLED'].includes(r.payload.data?.callbackQueuePosition?.state));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
