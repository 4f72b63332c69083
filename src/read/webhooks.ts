import type { EntityManager } from '@mikro-orm/core';
import { placeholders, selectRows, toBoolean, toDate, toNullableDate } from './driver';

/**
 * What a webhook body says about its ticket (docs/webhooks.md): ids, state and the people's ids,
 * never message or description text. Read once when the event is enqueued, so every attempt sends
 * (and signs) the same bytes.
 */
export interface WebhookTicketSnapshot {
  /** Also the ticket number customers see (`[Ticket #n]`). */
  id: number;
  brandId: string;
  /** FedRAMP now: read with the ticket, for the webhook audience (src/auth/webhook-access.ts). */
  brandFedramp: boolean;
  type: string;
  status: string;
  productArea: string;
  supportLanguage: string;
  submitterId: string;
  assigneeId: string | null;
  escalationStatus: string | null;
  createdAt: Date;
  lastActivityAt: Date;
  closedAt: Date | null;
}

/** One ticket's snapshot (undefined: no such ticket). */
export async function readWebhookTicketSnapshot(em: EntityManager, ticketId: number): Promise<WebhookTicketSnapshot | undefined> {
  const [row] = await selectRows(
    em,
    `select t.id, t.kind, t.status, t.product_area, t.support_language, t.brand_id, b.fedramp, t.submitter_id, t.assignee_id, e.status as escalation_status, t.created_at, t.last_activity_at, t.closed_at
       from ticket t join brand b on b.id = t.brand_id left join escalation e on e.ticket_id = t.id where t.id = ?`,
    [ticketId],
  );
  if (!row) return undefined;
  return {
    id: Number(row.id),
    brandId: String(row.brand_id),
    brandFedramp: toBoolean(row.fedramp),
    type: String(row.kind),
    status: String(row.status),
    productArea: String(row.product_area),
    supportLanguage: String(row.support_language),
    submitterId: String(row.submitter_id),
    assigneeId: row.assignee_id == null ? null : String(row.assignee_id),
    escalationStatus: row.escalation_status == null ? null : String(row.escalation_status),
    createdAt: toDate(row.created_at),
    lastActivityAt: toDate(row.last_activity_at),
    closedAt: toNullableDate(row.closed_at),
  };
}

/** Which of these brands are FedRAMP now. */
export async function readFedrampBrandIds(em: EntityManager, brandIds: readonly string[]): Promise<Set<string>> {
  if (brandIds.length === 0) return new Set();
  const rows = await selectRows(em, `select id, fedramp from brand where id in (${placeholders(brandIds.length)})`, brandIds);
  return new Set(rows.filter((row) => toBoolean(row.fedramp)).map((row) => String(row.id)));
}
