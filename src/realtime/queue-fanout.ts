import type { EntityManager } from '@mikro-orm/core';
import { canReadTicket, canUseTicketHistory } from '../auth/ticket-access';
import type { SupportSettings } from '../config';
import type { ProductArea, SupportLanguage } from '../entities';
import { CallbackQueueService, type QueueStatus } from '../services/callback-queue.service';
import { Topic, type DomainEvent } from './events';
import { loadAccessViewers, loadTicketAccessFacts, type ViewerKey } from './viewers';

/** One `callbackQueuePosition` subscription on this instance. */
export interface QueueWatcher {
  ticketId: number;
  /** Who watches (the subscriber), by id only: re-read from the database at every queue move. */
  who: ViewerKey;
  /** The queue the request waits in; updated when the caller switches language (PHN-3). */
  queue: { language: string; productArea: string };
}

/** What a watcher gets for one queue move: its new status, or null (skip: not waiting, or not readable any more). */
type BatchResult = Map<QueueWatcher, QueueStatus | null>;

/** How many recent queue moves keep their computed result for watchers that are still busy with older events. */
const KEPT_BATCHES = 32;

/**
 * PHN-4 at scale. A queue move is one event (one Redis message); on each instance the first of the
 * queue's watchers to see it computes the new status of **every** watcher of that queue on this
 * instance in one go — the queue's rows in one query, the access facts and viewers in one query each
 * — and the others read their share. So a move costs a constant number of statements per instance,
 * not one query per waiter. Authorization stays per subscriber and per event (RT-3): the viewers are
 * re-read and the same `canUseTicketHistory`/`canReadTicket` rules decide.
 */
export class QueueFanout {
  private readonly watchers = new Map<string, Set<QueueWatcher>>();
  private readonly batches = new Map<string, Promise<BatchResult>>();

  constructor(
    private readonly rootEm: EntityManager,
    private readonly settings: Pick<SupportSettings, 'callbackDefaultHandleMinutes'>,
  ) {}

  /** Number of callback watchers on this instance. */
  get size(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Registers a watcher; returns the function that removes it. */
  watch(watcher: QueueWatcher): () => void {
    this.setFor(keyOf(watcher.queue)).add(watcher);
    return () => this.remove(watcher);
  }

  /** The watcher's request moved to another queue (PHN-3: the caller switched to English). */
  requeue(watcher: QueueWatcher, queue: { language: string; productArea: string }): void {
    if (keyOf(queue) === keyOf(watcher.queue)) return;
    this.remove(watcher);
    watcher.queue = { ...queue };
    this.setFor(keyOf(watcher.queue)).add(watcher);
  }

  private remove(watcher: QueueWatcher): void {
    const key = keyOf(watcher.queue);
    const set = this.watchers.get(key);
    set?.delete(watcher);
    if (set && set.size === 0) this.watchers.delete(key);
  }

  /**
   * The watcher's status after a CALLBACK_QUEUE_MOVED event: `{ value }`, `null` to skip it, or
   * `undefined` when the watcher was not part of this move's batch (the caller resolves it alone).
   */
  async statusFor(event: DomainEvent, watcher: QueueWatcher): Promise<{ value: QueueStatus } | null | undefined> {
    if (event.type !== Topic.CALLBACK_QUEUE_MOVED) return undefined;
    let batch = this.batches.get(event.eventId);
    if (!batch) {
      batch = this.compute(event.language as SupportLanguage, event.productArea as ProductArea);
      this.batches.set(event.eventId, batch);
      if (this.batches.size > KEPT_BATCHES) this.batches.delete(this.batches.keys().next().value as string);
      setTimeout(() => this.batches.delete(event.eventId), 10_000).unref();
      batch.catch(() => this.batches.delete(event.eventId));
    }
    const result = await batch;
    if (!result.has(watcher)) return undefined;
    const status = result.get(watcher);
    return status ? { value: status } : null;
  }

  private setFor(key: string): Set<QueueWatcher> {
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    return set;
  }

  private async compute(language: SupportLanguage, productArea: ProductArea): Promise<BatchResult> {
    const watchers = [...(this.watchers.get(keyOf({ language, productArea })) ?? [])];
    const result: BatchResult = new Map();
    if (watchers.length === 0) return result;
    const em = this.rootEm.fork({ clear: true });
    const statuses = await new CallbackQueueService(em, this.settings).statusesOfQueue(language, productArea);
    const waiting = watchers.filter((w) => statuses.has(w.ticketId));
    for (const w of watchers) if (!statuses.has(w.ticketId)) result.set(w, null); // not waiting here any more: its own ticket event tells
    if (waiting.length === 0) return result;

    const keys = [...new Set(waiting.map((w) => w.who))];
    const [viewerList, facts] = await Promise.all([loadAccessViewers(em, keys), loadTicketAccessFacts(em, [...new Set(waiting.map((w) => w.ticketId))])]);
    const viewers = new Map(keys.map((key, i) => [key, viewerList[i]]));
    for (const w of waiting) {
      const viewer = viewers.get(w.who);
      const ticket = facts.get(w.ticketId);
      const readable = viewer !== undefined && ticket !== undefined && canUseTicketHistory(viewer).allowed && canReadTicket(viewer, ticket);
      result.set(w, readable ? statuses.get(w.ticketId)! : null);
    }
    return result;
  }
}

function keyOf(queue: { language: string; productArea: string }): string {
  return `${queue.language}\u0000${queue.productArea}`;
}
