import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signLocalToken } from '../src/auth/token';
import { ensureDataset } from './generate';
import { BENCH_JWT_SECRET } from './lib/params';
import { apiEnv, cpuMsOf, startApi, type ApiProcess } from './lib/proc';
import { ONE_TICKET, ORGANIZATION_TICKETS } from './read';

/**
 * A/B of the server's CPU per request between two builds (`node dist/bench/ab-cpu.js <distA> <distB> [a|b]`,
 * e.g. a copy of `dist` from before a change and the current `dist`): both servers run at once on the
 * bench database and are sent requests one at a time, in alternating rounds (`BENCH_AB_ROUNDS`,
 * default 20, of `BENCH_AB_REQUESTS`, default 200), so a machine that slows down for a while slows
 * both. Prints the median CPU per request of each and B/A. On this 2-core VM one run moves by ±5 %;
 * run it twice, once with the builds swapped, before believing a difference under 10 %.
 * `BENCH_AB_ENV_A` / `BENCH_AB_ENV_B` (`NAME=value,NAME=value`) add environment variables to one side
 * only, to compare two settings of one build (`node dist/bench/ab-cpu.js dist dist a` with
 * `BENCH_AB_ENV_A=GRAPHQL_EXECUTOR=graphql-js`).
 */
async function main(): Promise<void> {
  const [distA, distB, which = 'a'] = process.argv.slice(2);
  if (!distA || !distB || !['a', 'b'].includes(which)) throw new Error('usage: node dist/bench/ab-cpu.js <distA> <distB> [a|b]');
  const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 20);
  const perRound = Number(process.env.BENCH_AB_REQUESTS ?? 200);
  const dataset = await ensureDataset();
  const dataDir = join(tmpdir(), `hub-bench-ab-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const env = apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir });
  const servers: ApiProcess[] = [];
  try {
    const sideEnv = (spec: string | undefined) => Object.fromEntries((spec ?? '').split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    const sides = [
      { dist: distA, env: sideEnv(process.env.BENCH_AB_ENV_A) },
      { dist: distB, env: sideEnv(process.env.BENCH_AB_ENV_B) },
    ];
    for (const side of sides) servers.push(await startApi({ ...env, ...side.env }, { entry: resolve(side.dist, 'src/main.js') }));
    const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '2h' });
    const body = JSON.stringify(
      which === 'a' ? { query: ORGANIZATION_TICKETS, variables: { first: 50 } } : { query: ONE_TICKET, variables: { id: Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url') } },
    );
    const call = async (server: ApiProcess) => {
      const res = await fetch(`${server.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const json = (await res.json()) as { errors?: unknown; data?: unknown };
      if (res.status !== 200 || json.errors) throw new Error(`answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
      return JSON.stringify(json.data);
    };
    const [answerA, answerB] = [await call(servers[0]), await call(servers[1])];
    if (answerA !== answerB) console.log('WARNING: the two builds answer differently');
    for (let i = 0; i < 1_000; i++) for (const server of servers) await call(server); // JIT warm-up
    const figures: number[][] = [[], []];
    for (let r = 0; r < rounds; r++) {
      for (const i of r % 2 ? [0, 1] : [1, 0]) {
        const before = cpuMsOf(servers[i].child.pid!);
        for (let n = 0; n < perRound; n++) await call(servers[i]);
        figures[i].push((cpuMsOf(servers[i].child.pid!) - before) / perRound);
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];
    const [a, b] = figures.map(median);
    console.log(`case (${which}): A ${a.toFixed(2)} ms, B ${b.toFixed(2)} ms per request (median of ${rounds} rounds of ${perRound}); B/A ${(b / a).toFixed(3)}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
