import type { EntityManager } from '@mikro-orm/core';

/**
 * Read-only SQL for the hot read path (ticket lists and details): plain rows instead of managed
 * entities. The ORM builds each query through its query builder and turns every row into a tracked
 * entity with references for its relations; for the few columns a list shows that was most of the
 * CPU a request cost (docs/performance.md). These statements go through the request's own
 * connection (and transaction, when there is one), so they are logged and counted like any other.
 */
export type Row = Record<string, unknown>;

/** Runs one read-only statement with `?` placeholders on the entity manager's connection. */
export function selectRows<T = Row>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const conn = (em as unknown as { getConnection(): { execute(sql: string, params: unknown[], method: 'all', ctx?: unknown): Promise<T[]> } }).getConnection();
  return conn.execute(sql, [...params], 'all', em.getTransactionContext());
}

/** `?, ?, …` for an `in (…)` list. */
export function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
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
