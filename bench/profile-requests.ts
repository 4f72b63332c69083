import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signLocalToken } from '../src/auth/token';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { ensureDataset } from './generate';
import { BENCH_JWT_SECRET } from './lib/params';
import { apiEnv } from './lib/proc';
import { ONE_TICKET, ORGANIZATION_TICKETS } from './read';

/**
 * A V8 CPU profile of read cases (a) and (b) only (`node dist/bench/profile-requests.js [rounds]`):
 * an in-process server, a warm-up, then `rounds` × `BENCH_CPU_REQUESTS` (default 40) sequential
 * requests under the profiler (100 µs sampling), written to `BENCH_CPU_PROFILE` (default
 * bench/results/profiles) as `a.cpuprofile` and `b.cpuprofile` for `profile-summary.js`. No start-up
 * in the profile; the client (fetch) runs in the same process and shows as undici. Also prints the
 * process CPU per request (client included, profiler overhead included).
 */
async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const perRound = Number(process.env.BENCH_CPU_REQUESTS ?? 40);
  const dataset = await ensureDataset();
  const dataDir = join(tmpdir(), `hub-bench-cpu-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  const server = await startServer(config, { preferenceJobIntervalMs: 0 });
  try {
    const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '1h' });
    const cases = {
      a: { query: ORGANIZATION_TICKETS, variables: { first: 50 } },
      b: { query: ONE_TICKET, variables: { id: Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url') } },
    };
    for (const [name, body] of Object.entries(cases)) {
      const call = async () => {
        const res = await fetch(`${server.url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
        const json = (await res.json()) as { errors?: unknown };
        if (res.status !== 200 || json.errors) throw new Error(`answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
      };
      for (let i = 0; i < 20; i++) await call(); // warm-up
      const profileDir = process.env.BENCH_CPU_PROFILE ?? join(__dirname, '..', '..', 'bench', 'results', 'profiles');
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
      const figures: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const start = process.cpuUsage();
        for (let i = 0; i < perRound; i++) await call();
        const used = process.cpuUsage(start);
        figures.push((used.user + used.system) / 1000 / perRound);
      }
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
      figures.sort((x, y) => x - y);
      console.log(`(${name}) CPU per request, client and profiler included: median ${figures[Math.floor(figures.length / 2)].toFixed(1)} ms (rounds ${figures.map((f) => f.toFixed(1)).join(', ')})`);
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
