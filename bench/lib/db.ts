import Database from 'better-sqlite3';
import { Pool } from 'pg';

/** A cell the bench writes: dates and booleans are converted to each engine's storage. */
export type Cell = string | number | boolean | Date | null;

/**
 * The bench's own thin access to the database (no ORM): bulk inserts for the generator and plain
 * queries for the hand-written baseline. `?` placeholders work on both engines.
 */
export interface BenchDb {
  kind: 'sqlite' | 'postgresql';
  query<T = Record<string, unknown>>(sql: string, params?: readonly Cell[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` in one transaction on one connection and commits (rolls back if it throws). On
   * SQLite transactions queue behind each other, so no other statement joins an open one.
   */
  transaction<T>(work: (query: BenchDb['query']) => Promise<T>): Promise<T>;
  /** Inserts rows in large transactional batches; returns how many. */
  insertMany(table: string, columns: readonly string[], rows: Iterable<Cell[]>): Promise<number>;
  close(): Promise<void>;
}

function sqliteValue(value: Cell): string | number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Rewrites `?` placeholders to `$1…$n` for PostgreSQL (the bench's SQL never holds a literal `?`). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function openSqlite(path: string, opts: { bulk?: boolean; readonly?: boolean } = {}): BenchDb {
  const db = new Database(path, { readonly: opts.readonly ?? false });
  if (opts.bulk) {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
  } else if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
  }
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const query = async <T>(sql: string, params: readonly Cell[] = []) => {
    const statement = prepared(sql);
    const values = params.map(sqliteValue);
    return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'sqlite',
    query,
    transaction<T>(work: (q: BenchDb['query']) => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        db.exec('begin immediate');
        try {
          const result = await work(query);
          db.exec('commit');
          return result;
        } catch (error) {
          db.exec('rollback');
          throw error;
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async exec(sql) {
      db.exec(sql);
    },
    async insertMany(table, columns, rows) {
      const insert = db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      let count = 0;
      const batch: Cell[][] = [];
      const flush = db.transaction((items: Cell[][]) => {
        for (const row of items) insert.run(...row.map(sqliteValue));
      });
      for (const row of rows) {
        batch.push(row);
        if (batch.length === 20_000) {
          flush(batch);
          count += batch.length;
          batch.length = 0;
        }
      }
      flush(batch);
      return count + batch.length;
    },
    async close() {
      db.close();
    },
  };
}

export function openPostgres(url: string, opts: { max?: number } = {}): BenchDb {
  const pool = new Pool({ connectionString: url, max: opts.max ?? 10 });
  return {
    kind: 'postgresql',
    async query<T>(sql: string, params: readonly Cell[] = []) {
      const result = await pool.query(numbered(sql), params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction<T>(work: (q: BenchDb['query']) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(async <R>(sql: string, params: readonly Cell[] = []) => (await client.query(numbered(sql), params as unknown[])).rows as R[]);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async insertMany(table, columns, rows) {
      // PostgreSQL allows 65,535 parameters per statement
      const perStatement = Math.floor(60_000 / columns.length);
      const client = await pool.connect();
      let count = 0;
      try {
        await client.query('begin');
        let batch: Cell[][] = [];
        const flush = async () => {
          if (!batch.length) return;
          const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
          await client.query(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${values}`, batch.flat());
          count += batch.length;
          batch = [];
        };
        for (const row of rows) {
          batch.push(row);
          if (batch.length === perStatement) await flush();
        }
        await flush();
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return count;
    },
    async close() {
      await pool.end();
    },
  };
}

/** Opens `DATABASE_URL`-style locations: `postgres://…` or `sqlite:<path>`. */
export function openDatabase(url: string, opts: { bulk?: boolean; max?: number } = {}): BenchDb {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, opts);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), opts);
  throw new Error(`unsupported database url ${url}`);
}
