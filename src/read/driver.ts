import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { createHash } from 'node:crypto';
import type { Orm } from '../db/orm';
import { notifyQuery } from '../db/query-log';

/**
 * The read side's only door to the database driver (docs/architecture.md): every hand-written
 * statement of `src/read` runs through this file, and nothing outside `src/read` reaches past
 * MikroORM's public API (no knex, no `pg`/`better-sqlite3`, no driver connection). A MikroORM or
 * driver upgrade touches this file only.
 *
 * Read-only SQL for the hot read path (ticket lists and details, viewers, access facts, queue
 * moves): plain rows instead of managed entities. The ORM builds each query through its query
 * builder and turns every row into a tracked entity with references for its relations; for the few
 * columns a list shows that was most of the CPU a request cost (docs/performance.md).
 *
 * Outside a transaction the statement goes straight to a pooled driver connection, skipping the
 * query builder's runner: on SQLite through a cache of prepared statements (preparing a statement
 * costs more than running these small ones), on PostgreSQL as a named prepared statement. Inside a
 * transaction it runs on the transaction's connection through the ORM, so it sees uncommitted
 * writes. Either way every statement is reported to the `onQuery` listeners (statement-count tests).
 * `Date` parameters are passed as the database compares them (`dateParam`).
 */
export type Row = Record<string, unknown>;

/** The parts of knex's client the fast path uses (the pool MikroORM's connection already owns). */
interface PoolClient {
  dialect: string;
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  raw(toggle: boolean): SqliteStatement;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}
interface PgClient {
  query(config: { name: string; text: string; values: unknown[]; rowMode?: 'array' }): Promise<{ rows: unknown[] }>;
}

/** Distinct statement texts kept prepared per connection; loaders' `in (…)` lists vary in length, so it is bounded. */
const STATEMENT_CACHE_SIZE = 500;
const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();
const sqliteArrayStatements = new WeakMap<object, Map<string, SqliteStatement>>();
/** `?` placeholders → `$n`, and a stable statement name, per SQL text (PostgreSQL). */
const pgTexts = new Map<string, { name: string; text: string }>();

function sqliteStatement(db: SqliteDatabase, sql: string, arrays: boolean): SqliteStatement {
  const caches = arrays ? sqliteArrayStatements : sqliteStatements;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
    statement = db.prepare(sql);
    if (arrays) statement.raw(true);
    cache.set(sql, statement);
  }
  return statement;
}

function pgStatement(sql: string): { name: string; text: string } {
  let found = pgTexts.get(sql);
  if (!found) {
    // the name derives from the text: the same statement keeps its name when the map is rebuilt, and
    // each connection prepares it once (in-lists come in few lengths, see `inListParams`)
    if (pgTexts.size >= STATEMENT_CACHE_SIZE) pgTexts.clear();
    let n = 0;
    const name = `hub_read_${createHash('sha1').update(sql).digest('base64url')}`;
    found = { name, text: sql.replace(/\?/g, () => `$${++n}`) };
    pgTexts.set(sql, found);
  }
  return found;
}

/** Runs one read-only statement with `?` placeholders (and no other `?` in its text); rows as objects. */
export function selectRows<T = Row>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  return run(em, sql, params, false) as Promise<T[]>;
}

/**
 * `selectRows` with each row as an array of its values in the order the statement selects them:
 * for wide rows read in bulk (a ticket page: 27 columns × 51 rows), building keyed objects in the
 * driver cost twice as much as the arrays (docs/performance.md).
 */
export function selectArrays(em: EntityManager, sql: string, params: readonly unknown[]): Promise<unknown[][]> {
  return run(em, sql, params, true) as Promise<unknown[][]>;
}

async function run(em: EntityManager, sql: string, params: readonly unknown[], arrays: boolean): Promise<unknown[]> {
  // both drivers of this API are SQL drivers: their connection is knex-based
  const connection = em.getConnection() as AbstractSqlConnection;
  const trx = em.getTransactionContext();
  if (trx) {
    const rows = await connection.execute<Row[]>(sql, [...params], 'all', trx);
    // keys come in the order the statement selects the columns (none of them looks like an integer)
    return arrays ? rows.map((row) => Object.values(row)) : rows;
  }
  const client = connection.getKnex().client as PoolClient;
  notifyQuery(sql);
  const raw = await client.acquireConnection();
  try {
    if (client.dialect === 'postgresql') {
      const { name, text } = pgStatement(sql);
      return (await (raw as PgClient).query({ name, text, values: [...params], ...(arrays ? { rowMode: 'array' as const } : {}) })).rows;
    }
    return sqliteStatement(raw as SqliteDatabase, sql, arrays).all(...params);
  } finally {
    await client.releaseConnection(raw);
  }
}

/** `?, ?, …` for an `in (…)` list. */
export function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

/**
 * The values of an `in (…)` list padded to the next power of two by repeating the last one: the
 * answer is the same, and a loader's statement comes in a handful of texts (prepared once each)
 * instead of one per batch size.
 */
export function inListParams<T>(values: readonly T[]): T[] {
  if (values.length === 0) return [];
  let size = 1;
  while (size < values.length) size *= 2;
  const padded = [...values];
  while (padded.length < size) padded.push(values[values.length - 1]);
  return padded;
}

/** A datetime column as the driver returns it: a Date (PostgreSQL) or epoch milliseconds (SQLite). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
}

export function toNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A boolean column: 0/1 on SQLite, a boolean on PostgreSQL. */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === '1';
}

/** Keys per `in (…)` statement when a caller has thousands (real-time fan-outs). */
const KEYS_PER_STATEMENT = 4_096;

/**
 * Runs `each` over `keys` in chunks of at most 4,096, each padded by `inListParams`, and joins the
 * results: one statement per chunk however many keys.
 */
export async function inChunks<T, R>(keys: readonly T[], each: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) out.push(...(await each(inListParams(keys.slice(i, i + KEYS_PER_STATEMENT)))));
  return out;
}

/** A date as the database compares it: epoch milliseconds on SQLite, a timestamp on PostgreSQL. */
export function dateParam(em: EntityManager, date: Date): unknown {
  return em.getPlatform().processDateProperty(date);
}

/** `params` with every `Date` as the database compares it (`dateParam`). */
export function withDateParams(em: EntityManager, params: readonly unknown[]): unknown[] {
  return params.map((value) => (value instanceof Date ? dateParam(em, value) : value));
}

/** True on PostgreSQL (which has `ilike`), false on SQLite (whose `like` ignores ASCII case already). */
export function isPostgres(em: EntityManager): boolean {
  return em.getPlatform().constructor.name.startsWith('PostgreSql');
}

/** Readiness (`/readyz`): one trivial statement on a pooled connection; throws when the database is unreachable. */
export async function ping(em: EntityManager): Promise<void> {
  await em.getConnection().execute('select 1');
}

/** Connection settings of a SQLite database, applied once after connecting (`createOrm`). */
export async function configureSqlite(orm: Orm): Promise<void> {
  // WAL lets readers proceed while one writer commits; foreign keys are off by default in SQLite
  const conn = orm.em.getConnection();
  await conn.execute('pragma journal_mode = WAL');
  await conn.execute('pragma foreign_keys = ON');
  await conn.execute('pragma busy_timeout = 5000');
}

export interface PoolStats {
  max: number;
  used: number;
  free: number;
  pending: number;
}

/** Knex/tarn pool figures of the ORM connection (PostgreSQL; SQLite runs a pool of one). */
export function poolStats(orm: Orm): PoolStats | undefined {
  const connection = orm.em.getConnection() as Partial<AbstractSqlConnection>;
  const pool = connection.getKnex?.()?.client?.pool as
    | { max: number; numUsed(): number; numFree(): number; numPendingAcquires(): number; numPendingCreates(): number }
    | undefined;
  if (!pool) return undefined;
  return { max: pool.max, used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() + pool.numPendingCreates() };
}

/** What the pool tells about reaching the database (`watchConnections`). */
export interface ConnectionWatcher {
  /** A new connection was made. */
  created(): void;
  /** Making or acquiring a connection failed (refused, timed out…). */
  failed(error: unknown): void;
}

/**
 * Hooks the knex/tarn pool of the ORM connection: every connection it makes or fails to make is
 * reported, so an outage is seen (and its end) whatever request or job hit it. Returns the function
 * that removes the hooks.
 */
export function watchConnections(orm: Orm, watcher: ConnectionWatcher): () => void {
  const connection = orm.em.getConnection() as Partial<AbstractSqlConnection>;
  const pool = connection.getKnex?.()?.client?.pool as
    | { on(event: string, listener: (...args: unknown[]) => void): void; removeListener(event: string, listener: (...args: unknown[]) => void): void }
    | undefined;
  if (!pool) return () => undefined;
  const created = () => watcher.created();
  const createFailed = (_eventId: unknown, error: unknown) => watcher.failed(error);
  const acquireFailed = (_eventId: unknown, error: unknown) => watcher.failed(error);
  pool.on('createSuccess', created);
  pool.on('createFail', createFailed);
  pool.on('acquireFail', acquireFailed);
  return () => {
    pool.removeListener('createSuccess', created);
    pool.removeListener('createFail', createFailed);
    pool.removeListener('acquireFail', acquireFailed);
  };
}

/**
 * PostgreSQL: the transaction-scoped advisory lock that orders event-log appends (src/realtime/event-log.ts).
 * Taken before a transaction inserts its first `event_log` row and held until it commits or rolls back,
 * so appends commit one at a time in id order. The key is per schema (deployments and test schemas
 * sharing a database do not wait for each other).
 */
export async function lockEventLogAppends(em: EntityManager, trx: unknown = em.getTransactionContext()): Promise<void> {
  await em.getConnection().execute(`select pg_advisory_xact_lock(hashtext(current_schema()), hashtext('event_log'))`, [], 'all', trx as never);
}
