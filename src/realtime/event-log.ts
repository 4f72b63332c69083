import type { EntityManager, EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import { DEFAULT_EVENT_LOG } from '../config';
import { EventLogEntry } from '../entities';
import { isPostgres, lockEventLogAppends } from '../read/driver';
import type { DomainEvent, EventBus } from './events';

/** Rows read per round and per replay page. */
const PAGE = 500;
/** The longest a committing request waits for its events to be published locally. */
const COMMIT_WAIT_MS = 2_000;
/** Rows the retention job deletes per statement (a large backlog goes in several short statements). */
const PRUNE_BATCH = 1_000;

/** A logged event as it is published: its `eventId` is the log id. */
function eventOf(row: EventLogEntry): DomainEvent {
  return { ...(row.payload as object), eventId: String(row.id) } as DomainEvent;
}

/**
 * Appends events to the log in the unit of work of `em`: the rows are written by the flush that
 * writes the change (a service's `em.transactional` or `em.flush()`), so a change and its events
 * commit or roll back together, and they are published (on every instance) only once committed. An
 * event's own `eventId` is dropped: the row's id becomes it. Returns the rows (their `id` is set once
 * flushed: what a mutation payload's `eventId` says).
 */
export function recordEvents(em: EntityManager, events: readonly DomainEvent[]): EventLogEntry[] {
  // wall-clock time, not the request's clock: retention counts real hours
  const at = new Date();
  return events.map((event) => {
    const { eventId: _eventId, ...payload } = event;
    return em.create(EventLogEntry, { type: event.type, ticketId: 'ticketId' in event ? event.ticketId : null, payload, recordedAt: at });
  });
}

/** `recordEvents` for one event. */
export function recordEvent(em: EntityManager, event: DomainEvent): EventLogEntry {
  return recordEvents(em, [event])[0];
}

/**
 * The `eventId` a mutation payload carries: the id of the TICKET_UPDATED row among `entries` (read
 * once they are committed), or null when none was recorded (an idempotent replay records nothing).
 */
export function ticketEventId(entries: readonly EventLogEntry[] | undefined): string | null {
  const entry = entries?.find((row) => row.type === 'TICKET_UPDATED');
  return entry?.id ? String(entry.id) : null;
}

/** What a resuming subscription gets from the log: the events after its id, or `expired`. */
export type Replay = { expired: true } | { expired: false; events: DomainEvent[] };

export interface EventLogOptions {
  /** Poll fallback (`EVENT_LOG_POLL_MS`); 0 turns the timer off (tests wake the log themselves). */
  pollMs?: number;
  /** Retention (`EVENT_LOG_RETENTION_HOURS`). */
  retentionMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The durable event log of one instance (docs/realtime.md, *The event log*). Services append events
 * in their transaction (`recordEvent`, through `ctx.events.record`); this class
 *
 * - orders appends on PostgreSQL: the ORM subscriber takes a transaction-scoped advisory lock before
 *   the flush that inserts a log row, held until commit, so ids commit in increasing order and a
 *   reader that sees id N has seen every id below N that will ever commit (SQLite serializes
 *   writers by itself);
 * - delivers: after each local commit that appended rows (and when woken by another instance, or on
 *   the poll timer) it reads the rows after its cursor, in id order, and publishes them on the local
 *   EventBus. A local commit returns only once its events are published here, as when services
 *   published directly; other instances get them when woken (Redis) or at the next poll at the latest;
 * - replays the rows after a subscriber's last id (`replay`), and enforces retention (`prune`).
 */
export class EventLog {
  /** The highest id published on the local bus (every lower logged id was published before it). */
  private cursor = 0;
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly waiters = new Set<{ id: number; wake: () => void }>();
  private readonly appendedListeners = new Set<() => void>();

  constructor(
    private readonly rootEm: EntityManager,
    private readonly bus: EventBus,
    private readonly opts: EventLogOptions = {},
  ) {}

  /** The id of the last event published locally: a subscription started now gets every later one live. */
  get position(): number {
    return this.cursor;
  }

  /** Starts at the end of the log (older events are history: subscribers replay them), then polls. */
  async start(): Promise<void> {
    const last = await this.rootEm.fork().findOne(EventLogEntry, { id: { $gt: 0 } }, { orderBy: { id: 'desc' }, fields: ['id'] });
    this.cursor = Math.max(this.cursor, last?.id ?? 0);
    const pollMs = this.opts.pollMs ?? DEFAULT_EVENT_LOG.pollMs;
    if (pollMs > 0) {
      this.timer = setInterval(() => this.wake(), pollMs);
      this.timer.unref();
    }
  }

  stop(): Promise<void> | undefined {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const waiter of this.waiters) waiter.wake();
    return this.running;
  }

  /** Called after a local commit appended rows (the Redis bridge announces it to the other instances). */
  onAppended(listener: () => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  /** Reads the log now (or right after the round running). Never throws; a failed round waits for the next wake or poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.opts.log?.('event log read failed; retried at the next wake-up or poll', error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once every row committed before the call has been published locally (or the log stopped). */
  async catchUp(): Promise<void> {
    // a round running now may have read before the caller's commit: one more round after it
    if (this.running) {
      this.again = true;
      while (this.running) await this.running;
    } else {
      this.wake();
      await this.running;
    }
  }

  /**
   * Resolves once id `id` (and so every id below it) has been published locally, or after
   * `COMMIT_WAIT_MS` (the database went away right after the commit: the poll delivers it later, and
   * the mutation's answer is not held back by the outage).
   */
  private reached(id: number): Promise<void> {
    if (this.cursor >= id || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        id,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, COMMIT_WAIT_MS);
      this.waiters.add(waiter);
      this.wake();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await this.rootEm.fork().find(EventLogEntry, { id: { $gt: this.cursor } }, { orderBy: { id: 'asc' }, limit: PAGE });
      for (const row of rows) {
        if (row.id <= this.cursor) continue;
        // the cursor moves before the event is published: a subscription registered from inside a
        // listener (or right after) takes `position` as "seen", never an id it will not get live
        this.cursor = row.id;
        this.bus.publish(eventOf(row));
      }
      for (const waiter of this.waiters) if (waiter.id <= this.cursor) waiter.wake();
      if (rows.length < PAGE) return;
    }
  }

  /**
   * The logged events after `after` up to `upTo` (this instance's position when the subscription
   * started: later ones come live), in id order. `after` must still be in the log: when it is not (it
   * was pruned, or is no id of this log) events may be missing, and the answer is `expired`.
   */
  async replay(after: number, upTo: number, accept: (event: DomainEvent) => boolean): Promise<Replay> {
    const em = this.rootEm.fork();
    const events: DomainEvent[] = [];
    let from = after;
    while (from < upTo) {
      const rows = await em.find(EventLogEntry, { id: { $gt: from, $lte: upTo } }, { orderBy: { id: 'asc' }, limit: PAGE });
      for (const row of rows) {
        const event = eventOf(row);
        if (accept(event)) events.push(event);
      }
      if (rows.length < PAGE) break;
      from = rows[rows.length - 1].id;
      em.clear();
    }
    // checked after reading: if rows after it were pruned meanwhile, it is gone too (retention deletes oldest first)
    if (!(await em.fork().findOne(EventLogEntry, { id: after }, { fields: ['id'] }))) return { expired: true };
    return { expired: false, events };
  }

  /**
   * Retention: deletes rows recorded before now − retention, oldest first, in batches. Safe with any
   * number of instances running it at once (deleting a deleted row deletes nothing). Returns the count.
   */
  async prune(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - (this.opts.retentionMs ?? DEFAULT_EVENT_LOG.retentionHours * 3_600_000));
    let deleted = 0;
    for (;;) {
      const em = this.rootEm.fork();
      const old = await em.find(EventLogEntry, { recordedAt: { $lt: before } }, { fields: ['id'], orderBy: { id: 'asc' }, limit: PRUNE_BATCH });
      if (!old.length) return deleted;
      deleted += await em.nativeDelete(EventLogEntry, { id: { $in: old.map((row) => row.id) } });
      if (old.length < PRUNE_BATCH) return deleted;
    }
  }

  /**
   * The ORM subscriber of the log: on PostgreSQL it takes the append lock before a flush inserts log
   * rows; after the commit it publishes them locally (the commit's caller waits for that) and tells
   * the listeners of `onAppended`.
   */
  subscriber(): EventSubscriber {
    // entity managers whose open transaction appended rows: the highest id appended
    const appended = new WeakMap<EntityManager, number>();
    const appends = (args: { uow?: FlushEventArgs['uow'] }) => args.uow?.getChangeSets().some((cs) => cs.entity instanceof EventLogEntry && cs.type === 'create') ?? false;
    const committed = async (id: number) => {
      for (const listener of this.appendedListeners) listener();
      await this.reached(id);
    };
    const highest = (args: FlushEventArgs) => Math.max(0, ...args.uow.getChangeSets().filter((cs) => cs.entity instanceof EventLogEntry).map((cs) => (cs.entity as EventLogEntry).id));
    return {
      // a flush inside an open transaction: lock in that transaction, before the insert
      onFlush: async (args: FlushEventArgs) => {
        if (!appends(args) || !args.em.isInTransaction() || !isPostgres(args.em)) return;
        await lockEventLogAppends(args.em);
      },
      // a flush that opens its own transaction: lock as it starts
      afterTransactionStart: async (args: TransactionEventArgs) => {
        if (!appends(args) || !isPostgres(args.em)) return;
        await lockEventLogAppends(args.em, args.transaction);
      },
      afterFlush: async (args: FlushEventArgs) => {
        if (!appends(args)) return;
        const id = highest(args);
        if (args.em.isInTransaction()) appended.set(args.em, Math.max(id, appended.get(args.em) ?? 0));
        else await committed(id);
      },
      afterTransactionCommit: async (args: TransactionEventArgs) => {
        const id = appended.get(args.em);
        if (id === undefined) return;
        appended.delete(args.em);
        await committed(id);
      },
      afterTransactionRollback: (args: TransactionEventArgs) => {
        appended.delete(args.em);
      },
    };
  }
}
