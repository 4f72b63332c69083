import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signLocalToken } from '../src/auth/token';
import { ensureDataset } from './generate';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './lib/params';
import { apiEnv, startApi } from './lib/proc';
import { ONE_TICKET, ORGANIZATION_TICKETS } from './read';

/**
 * Profiles the API under one read case only (`node dist/bench/profile-read.js a|b`): the server
 * child runs with `--cpu-prof`; summarize with `node dist/bench/profile-summary.js`.
 */
async function main(): Promise<void> {
  const which = process.argv[2] === 'b' ? 'b' : 'a';
  const dataset = await ensureDataset();
  const dataDir = join(tmpdir(), `hub-bench-prof-${process.pid}`);
  const profileDir = resolve(RESULTS_DIR, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const api = await startApi(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir }), { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
  try {
    const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '1h' });
    const body =
      which === 'a'
        ? { query: ORGANIZATION_TICKETS, variables: { first: 50 } }
        : { query: ONE_TICKET, variables: { id: Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url') } };
    const result = await autocannon({
      url: `${api.baseUrl}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      connections: 10,
      duration: Number(process.env.BENCH_DURATION ?? 5),
    });
    console.log(`(${which}) ${result.requests.average} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
