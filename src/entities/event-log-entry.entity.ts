import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One domain event (src/realtime/events.ts), appended in the same transaction as the change it
 * describes: the durable log every instance delivers real-time events from (docs/realtime.md, *The
 * event log*). Append-only: rows are never updated, and deleted only by the retention job. The id
 * is the event's `eventId` (what subscribers resume `after`); on PostgreSQL ids become visible in
 * increasing order (the writer serializes them, src/realtime/event-log.ts).
 */
@Entity({ tableName: 'event_log' })
@Index({ properties: ['recordedAt'] })
export class EventLogEntry {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  /** The event's topic (`TICKET_UPDATED`, …). */
  @Property({ type: 'string', length: 40 })
  type!: string;

  /** The event's ticket, when it has one (replays of one ticket's subscription read only its rows). */
  @Property({ type: 'integer', nullable: true })
  ticketId?: number | null;

  /** The event without its id: ids and kinds of change only, never data (what crosses instances). */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  /** When the row was written (retention counts from here). */
  @Property({ type: 'datetime' })
  recordedAt!: Date;
}
