import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signLocalToken } from '../src/auth/token';
import { ensureDataset } from './generate';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './lib/params';
import { apiEnv, startApi, startBaseline } from './lib/proc';
import { ONE_TICKET, ORGANIZATION_TICKETS } from './read';

/** When the load ran, in ms since the profiled child was spawned, and how many requests it sent. */
export interface LoadWindow {
  pid: number;
  case: 'a' | 'b';
  server: 'api' | 'baseline';
  fromMs: number;
  toMs: number;
  requests: number;
}

/**
 * Profiles the API, or the baseline, under one read case only (`node dist/bench/profile-read.js a|b
 * [api|baseline]`): the server child runs with `--cpu-prof`; summarize with
 * `node dist/bench/profile-summary.js`, which splits the CPU of the load window into the parts of a
 * request.
 */
async function main(): Promise<void> {
  const which = process.argv[2] === 'b' ? 'b' : 'a';
  const server = process.argv[3] === 'baseline' ? 'baseline' : 'api';
  const dataset = await ensureDataset();
  const dataDir = join(tmpdir(), `hub-bench-prof-${process.pid}`);
  const profileDir = resolve(RESULTS_DIR, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', profileDir];
  // the profile's clock starts with the child; remember when the load ran on it (profile-summary's budget)
  const spawnedAt = performance.now();
  const child =
    server === 'api'
      ? await startApi(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir }), { nodeArgs })
      : await startBaseline(dataset.databaseUrl, { nodeArgs });
  try {
    const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '1h' });
    const authorization = `Bearer ${token}`;
    const ticketId = Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url');
    const target =
      server === 'baseline'
        ? { url: `${child.baseUrl}${which === 'a' ? '/tickets?first=50' : `/ticket?id=${ticketId}`}`, method: 'GET' as const, headers: { authorization } }
        : {
            url: `${child.baseUrl}/graphql`,
            method: 'POST' as const,
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify(which === 'a' ? { query: ORGANIZATION_TICKETS, variables: { first: 50 } } : { query: ONE_TICKET, variables: { id: ticketId } }),
          };
    const loadFrom = performance.now() - spawnedAt;
    const result = await autocannon({ ...target, connections: 10, duration: Number(process.env.BENCH_DURATION ?? 5) });
    const window: LoadWindow = { pid: child.child.pid!, case: which, server, fromMs: loadFrom, toMs: performance.now() - spawnedAt, requests: result.requests.total };
    writeFileSync(resolve(profileDir, `load-window.${window.pid}.json`), JSON.stringify(window));
    console.log(`(${which}, ${server}) ${result.requests.average} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
  } finally {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
