import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RESULTS_DIR } from './lib/params';
import { apiEnv, rssOf, startApi } from './lib/proc';

export interface StartupResult {
  runs: number;
  /** Median ms from spawn to the first 200 of /readyz, existing database. */
  readyMs: number;
  readyMsAll: number[];
  /** Median resident set size, bytes, after the server sat idle for `idleSeconds`. */
  idleRssBytes: number;
  idleSeconds: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Start-up on the embedded default: no DATABASE_URL, so the server uses its SQLite file in the data
 * directory. The first start creates and seeds it (not measured); the measured starts find it there.
 */
export async function runStartup(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<StartupResult> {
  const runs = Number(env.BENCH_STARTUP_RUNS ?? 5);
  const idleSeconds = Number(env.BENCH_IDLE_SECONDS ?? 3);
  const dataDir = join(tmpdir(), `hub-bench-startup-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // the embedded default: no DATABASE_URL, no AUTH_JWT_SECRET (a local one is generated), demo data seeded once
  const base = apiEnv({ HUB_DATA_DIR: dataDir, DATABASE_URL: undefined, AUTH_JWT_SECRET: undefined, SEED_DEMO_DATA: 'true' });
  delete base.NODE_ENV;
  delete base.DATABASE_URL;
  delete base.AUTH_JWT_SECRET;
  delete base.REDIS_URL;
  try {
    log('Creating the embedded database (first start, not measured)…');
    const first = await startApi(base);
    await first.stop();
    const ready: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      const api = await startApi(base);
      try {
        ready.push(api.readyMs);
        await new Promise((r) => setTimeout(r, idleSeconds * 1000));
        rss.push(rssOf(api.child.pid!));
      } finally {
        await api.stop();
      }
    }
    const result: StartupResult = { runs, readyMs: median(ready), readyMsAll: ready, idleRssBytes: median(rss), idleSeconds };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(resolve(RESULTS_DIR, 'startup.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function startupTable(result: StartupResult): string {
  return [
    '| start-up (embedded SQLite, existing database) | median | all runs |',
    '|---|---:|---|',
    `| spawn → /readyz 200 | ${result.readyMs.toFixed(0)} ms | ${result.readyMsAll.map((ms) => ms.toFixed(0)).join(', ')} ms |`,
    `| idle RSS after ${result.idleSeconds} s | ${(result.idleRssBytes / 2 ** 20).toFixed(1)} MB | |`,
  ].join('\n');
}

if (require.main === module) {
  runStartup()
    .then((result) => console.log(`\n${startupTable(result)}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
