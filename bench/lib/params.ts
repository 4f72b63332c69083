import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { postgresqlMigrations } from '../../migrations/postgresql';
import { sqliteMigrations } from '../../migrations/sqlite';

/** Bump when the generator's output changes: cached databases of an older version are rebuilt. */
export const GENERATOR_VERSION = 2;

/** How much data the generator writes. Defaults are the volume; `BENCH_SCALE` shrinks it. */
export interface DatasetParams {
  seed: number;
  brands: number;
  accounts: number;
  agents: number;
  tickets: number;
  escalations: number;
  /** Tickets of the brand the brand-admin read bench lists (exactly this many). */
  adminBrandTickets: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/**
 * Reads BENCH_SEED, BENCH_SCALE (0 < s ≤ 1, default 1) and the per-table overrides BENCH_BRANDS,
 * BENCH_ACCOUNTS, BENCH_TICKETS, BENCH_ESCALATIONS. The admin brand keeps its 2,000 tickets at every scale.
 */
export function datasetParams(env: NodeJS.ProcessEnv = process.env): DatasetParams {
  const scale = env.BENCH_SCALE ? Number(env.BENCH_SCALE) : 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`BENCH_SCALE must be in (0, 1], got "${env.BENCH_SCALE}"`);
  const scaled = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  const adminBrandTickets = int(env, 'BENCH_ADMIN_BRAND_TICKETS', 2_000);
  const params: DatasetParams = {
    seed: int(env, 'BENCH_SEED', 20261123),
    brands: int(env, 'BENCH_BRANDS', scaled(200, 2)),
    accounts: int(env, 'BENCH_ACCOUNTS', scaled(20_000, 200)),
    agents: 40,
    tickets: int(env, 'BENCH_TICKETS', Math.max(adminBrandTickets + 1_000, scaled(200_000, 0))),
    escalations: int(env, 'BENCH_ESCALATIONS', scaled(20_000, 100)),
    adminBrandTickets,
  };
  if (params.brands < 2) throw new Error('BENCH_BRANDS must be at least 2');
  if (params.accounts < params.brands * 3) throw new Error('BENCH_ACCOUNTS must give every brand at least 3 accounts');
  if (params.tickets <= params.adminBrandTickets) throw new Error('BENCH_TICKETS must exceed the admin brand tickets');
  if (params.escalations > params.tickets) throw new Error('BENCH_ESCALATIONS cannot exceed BENCH_TICKETS');
  return params;
}

/** Identifies a generated dataset: parameters, generator version and the schema (migration list). */
export function datasetKey(params: DatasetParams, engine: 'sqlite' | 'postgresql'): string {
  const migrations = (engine === 'sqlite' ? sqliteMigrations : postgresqlMigrations).map((m) => m.name);
  return createHash('sha256').update(JSON.stringify({ params, migrations, GENERATOR_VERSION, engine })).digest('hex').slice(0, 16);
}

/** The repository root, from the compiled location `dist/bench/lib`. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = resolve(REPO_ROOT, 'bench', 'results');
export const DATA_DIR = resolve(REPO_ROOT, 'bench', '.data');
/** The HS256 secret the bench signs its tokens with (never a deployment's). */
export const BENCH_JWT_SECRET = 'bench-only-secret-not-for-any-deployment-0123456789';
