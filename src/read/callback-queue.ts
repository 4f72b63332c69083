import type { EntityManager } from '@mikro-orm/core';
import { CallbackState, type ProductArea, type SupportLanguage } from '../entities';
import { selectRows, toBoolean } from './driver';

/** One waiting phone callback of a queue, as a queue move reads it (PHN-3, PHN-4). */
export interface WaitingCallbackRow {
  ticketId: number;
  englishFallbackOffered: boolean;
  englishFallbackAccepted: boolean | null;
}

/**
 * The callback queue read model: the WAITING requests of one queue in queue order, one statement.
 * Plain rows over a prepared statement, not entities or the query builder: a queue move re-reads
 * thousands of waiters, and hydrating them (or knex's runner) cost more than the query itself
 * (docs/performance.md).
 */
export async function readWaitingCallbacks(em: EntityManager, language: SupportLanguage, productArea: ProductArea): Promise<WaitingCallbackRow[]> {
  const rows = await selectRows(
    em,
    'select ticket_id, english_fallback_offered, english_fallback_accepted from callback_request where language = ? and product_area = ? and state = ? order by enqueued_at asc, id asc',
    [language, productArea, CallbackState.WAITING],
  );
  // SQLite gives 0/1 for booleans, PostgreSQL true/false
  return rows.map((r) => ({
    ticketId: Number(r.ticket_id),
    englishFallbackOffered: toBoolean(r.english_fallback_offered),
    englishFallbackAccepted: r.english_fallback_accepted == null ? null : toBoolean(r.english_fallback_accepted),
  }));
}
