import type { EntityManager } from '@mikro-orm/core';
import { canReadTicket, canUseTicketHistory } from '../auth/ticket-access';
import { ANONYMOUS } from '../auth/viewer';
import type { SupportSettings } from '../config';
import { createContext } from '../context';
import type { ProductArea, SupportLanguage } from '../entities';
import { CallbackQueueService, type QueueStatus } from '../services/callback-queue.service';
import { Topic, type DomainEvent } from './events';
import { readTicketAccessFacts } from '../read/access-facts';
import { loadAccessViewers, type ViewerKey } from './viewers';

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
const KEPT_MOVES = 32;
/** How long a move's result is kept for watchers that are late. */
const KEPT_MOVE_MS = 10_000;
/**
 * Watchers released per turn of the event loop once a move is computed: each turn, this many
 * watchers go all the way to their socket (execution, JSON, write) before the next ones start, so
 * the first waiters hear of the move at once instead of after the whole queue was executed, and only
 * a chunk's worth of in-flight results is alive at a time (less garbage survives into the old heap).
 */
export const QUEUE_RELEASE_CHUNK = 128;

/** A watcher's share of a move: its status, null to skip the move, undefined when it is not part of it. */
export type QueueShare = { value: QueueStatus } | null | undefined;

/** One queue move on this instance: its computed statuses, released to the watchers chunk by chunk. */
class QueueMove {
  private result: BatchResult | undefined;
  private failed = false;
  /** Watchers in release order (their index = rank), and how many are released. */
  private rank = new Map<QueueWatcher, number>();
  private released = 0;
  /** Watchers that asked before their turn, and how to give them their share. */
  private readonly waiting = new Map<QueueWatcher, (share: QueueShare) => void>();

  /** The watcher's share: at once when it is released (or not part of the move), else when its turn comes. */
  shareOf(watcher: QueueWatcher): QueueShare | Promise<QueueShare> {
    if (this.failed) return null;
    if (this.result) {
      const rank = this.rank.get(watcher);
      if (rank === undefined || rank < this.released) return this.read(watcher);
    }
    return new Promise((resolve) => this.waiting.set(watcher, resolve));
  }

  private read(watcher: QueueWatcher): QueueShare {
    if (!this.result!.has(watcher)) return undefined;
    const status = this.result!.get(watcher);
    return status ? { value: status } : null;
  }

  /** The computation failed: every watcher skips the move (as a delivery that fails to re-read does). */
  fail(): void {
    this.failed = true;
    for (const give of this.waiting.values()) give(null);
    this.waiting.clear();
  }

  /** Publishes the result and releases the watchers `chunk` at a time, one turn of the event loop each. */
  async release(result: BatchResult, order: QueueWatcher[], chunk: number): Promise<void> {
    order.forEach((watcher, i) => this.rank.set(watcher, i));
    this.result = result;
    // watchers that are not part of the move were waiting too: they learn it at once
    for (const [watcher, give] of this.waiting) {
      if (!this.rank.has(watcher)) {
        this.waiting.delete(watcher);
        give(undefined);
      }
    }
    for (let i = 0; i < order.length; i += chunk) {
      const end = Math.min(order.length, i + chunk);
      this.released = end;
      for (let j = i; j < end; j++) {
        const give = this.waiting.get(order[j]);
        if (give) {
          this.waiting.delete(order[j]);
          give(this.read(order[j]));
        }
      }
      if (end < order.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.rank = new Map();
  }
}

/**
 * PHN-4, RT-2 at scale. A queue move is one event (one Redis message); on each instance the first of the
 * queue's watchers to see it computes the new status of **every** watcher of that queue on this
 * instance in one go — the queue's rows in one query, the access facts and viewers in one query each
 * — and the others read their share. So a move costs a constant number of statements per instance,
 * not one query per waiter. Authorization stays per subscriber and per event (RT-3): the viewers are
 * re-read and the same `canUseTicketHistory`/`canReadTicket` rules decide. The shares are released
 * in queue order, `QUEUE_RELEASE_CHUNK` watchers per turn of the event loop (see there).
 */
export class QueueFanout {
  private readonly watchers = new Map<string, Set<QueueWatcher>>();
  private readonly moves = new Map<string, QueueMove>();

  constructor(
    private readonly rootEm: EntityManager,
    private readonly settings: SupportSettings,
    private readonly releaseChunk = QUEUE_RELEASE_CHUNK,
    /** The clock of CON-8 hours in the estimates (the server's). */
    private readonly now: () => Date = () => new Date(),
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
   * The watcher's share of a CALLBACK_QUEUE_MOVED event: `{ value }`, `null` to skip it, or
   * `undefined` when the watcher is not part of this move (the caller resolves it alone) — at once
   * when the move's result is released to it, else a promise of it.
   */
  statusFor(event: DomainEvent, watcher: QueueWatcher): QueueShare | Promise<QueueShare> {
    if (event.type !== Topic.CALLBACK_QUEUE_MOVED) return undefined;
    const move = this.moves.get(event.eventId) ?? this.start(event.eventId, event.language as SupportLanguage, event.productArea as ProductArea);
    return move.shareOf(watcher);
  }

  private start(eventId: string, language: SupportLanguage, productArea: ProductArea): QueueMove {
    const move = new QueueMove();
    this.moves.set(eventId, move);
    if (this.moves.size > KEPT_MOVES) this.moves.delete(this.moves.keys().next().value as string);
    setTimeout(() => this.moves.delete(eventId), KEPT_MOVE_MS).unref();
    this.compute(language, productArea).then(
      ({ result, order }) => move.release(result, order, this.releaseChunk),
      () => {
        // a later watcher of this move tries again
        this.moves.delete(eventId);
        move.fail();
      },
    );
    return move;
  }

  private setFor(key: string): Set<QueueWatcher> {
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    return set;
  }

  /** Every watcher's status, and the order to release them in: skipped ones first, then by position. */
  private async compute(language: SupportLanguage, productArea: ProductArea): Promise<{ result: BatchResult; order: QueueWatcher[] }> {
    const watchers = [...(this.watchers.get(keyOf({ language, productArea })) ?? [])];
    const result: BatchResult = new Map();
    if (watchers.length === 0) return { result, order: [] };
    // a context of its own (fresh fork), as every service is built from one; watchers' access is checked below
    const ctx = createContext(this.rootEm, ANONYMOUS, { settings: this.settings, now: this.now });
    const em = ctx.em;
    const statuses = await new CallbackQueueService(ctx).statusesOfQueue(language, productArea);
    const waiting = watchers.filter((w) => statuses.has(w.ticketId));
    for (const w of watchers) if (!statuses.has(w.ticketId)) result.set(w, null); // not waiting here any more: its own ticket event tells
    const skipped = [...result.keys()];
    if (waiting.length === 0) return { result, order: skipped };

    const keys = [...new Set(waiting.map((w) => w.who))];
    const [viewerList, facts] = await Promise.all([loadAccessViewers(em, keys), readTicketAccessFacts(em, [...new Set(waiting.map((w) => w.ticketId))])]);
    const viewers = new Map(keys.map((key, i) => [key, viewerList[i]]));
    const delivered: QueueWatcher[] = [];
    for (const w of waiting) {
      const viewer = viewers.get(w.who);
      const ticket = facts.get(w.ticketId);
      const readable = viewer !== undefined && ticket !== undefined && canUseTicketHistory(viewer).allowed && canReadTicket(viewer, ticket);
      result.set(w, readable ? statuses.get(w.ticketId)! : null);
      if (readable) delivered.push(w);
      else skipped.push(w);
    }
    delivered.sort((a, b) => (result.get(a)!.position ?? 0) - (result.get(b)!.position ?? 0));
    return { result, order: [...skipped, ...delivered] };
  }
}

function keyOf(queue: { language: string; productArea: string }): string {
  return `${queue.language}\u0000${queue.productArea}`;
}
