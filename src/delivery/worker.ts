import type { EntityManager, EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { DeliverySettings } from '../config';
import { OutboxEntry, OutboxTransport } from '../entities';
import { OutboxStore, type ClaimedEntry } from './outbox-store';

/** Delivered entries are kept this long (their `delivery_key` also keeps a refused mail from being bounced twice). */
export const DELIVERED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Delivers one claimed entry of its transport; throws to have it retried. */
export interface Sender {
  send(entry: ClaimedEntry): Promise<void>;
}

/** Thrown by a sender when retrying cannot help (e.g. the relay refused the address with a 5xx): fails at once. */
export class PermanentDeliveryError extends Error {}

/** The worker's own counters, per instance (also exported as Prometheus metrics). */
export interface DeliveryStats {
  delivered: number;
  retried: number;
  failed: number;
  /** Entries being sent by this instance right now. */
  inFlight: number;
}

export interface DeliveryWorkerOptions {
  settings: DeliverySettings;
  senders: Partial<Record<OutboxTransport, Sender>>;
  now?: () => Date;
  log?: (entry: { id: number; topic: string; attempt: number; error?: string }, message: string) => void;
}

/**
 * Drains the outbox: claims due entries (src/delivery/outbox-store.ts), hands each to the sender of
 * its transport, then records the outcome: delivered, retried after the next delay of the schedule,
 * or failed after the last attempt. Woken after every commit that wrote outbox entries (the ORM
 * subscriber below) and on a timer, which also picks up other instances' entries and due retries.
 * One worker per instance; any number of instances share the table.
 */
export class DeliveryWorker {
  readonly instanceId = randomUUID();
  private readonly store: OutboxStore;
  private readonly stats: DeliveryStats = { delivered: 0, retried: 0, failed: 0, inFlight: 0 };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(rootEm: EntityManager, private readonly opts: DeliveryWorkerOptions) {
    this.store = new OutboxStore(rootEm, this.instanceId);
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.opts.settings.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a round now (or right after the one running). Never throws; errors are logged. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.opts.log?.({ id: 0, topic: 'worker', attempt: 0, error: String(error) }, 'outbox round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Rounds until nothing due is left. */
  private async drain(): Promise<void> {
    const transports = Object.keys(this.opts.senders) as OutboxTransport[];
    for (;;) {
      if (this.stopped) return;
      const now = this.now();
      const batch = await this.store.claim(transports, now, this.opts.settings.batchSize, this.opts.settings.leaseMs);
      if (batch.length === 0) return;
      await Promise.all(batch.map((entry) => this.attempt(entry)));
      this.notify();
    }
  }

  private async attempt(entry: ClaimedEntry): Promise<void> {
    const sender = this.opts.senders[entry.transport]!;
    this.stats.inFlight++;
    try {
      await sender.send(entry);
      await this.store.delivered(entry.id, this.now());
      this.stats.delivered++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delays = this.opts.settings.retryDelaysMs;
      if (error instanceof PermanentDeliveryError || entry.attempt > delays.length) {
        await this.store.failed(entry.id, message);
        this.stats.failed++;
        this.opts.log?.({ id: entry.id, topic: entry.topic, attempt: entry.attempt, error: message }, 'outbox delivery failed for good');
      } else {
        await this.store.retryAt(entry.id, new Date(this.now().getTime() + delays[entry.attempt - 1]), message);
        this.stats.retried++;
        this.opts.log?.({ id: entry.id, topic: entry.topic, attempt: entry.attempt, error: message }, 'outbox delivery will be retried');
      }
    } finally {
      this.stats.inFlight--;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** The counters of this instance. */
  counters(): DeliveryStats {
    return { ...this.stats };
  }

  /** Removes entries delivered more than DELIVERED_RETENTION_MS ago (run by the server's periodic job). */
  purgeDelivered(): Promise<number> {
    return this.store.purgeDelivered(new Date(this.now().getTime() - DELIVERED_RETENTION_MS));
  }

  /** Age in seconds of the oldest entry still waiting, on every instance (0: none). */
  async oldestWaitingSeconds(): Promise<number> {
    const oldest = await this.store.oldestWaiting();
    return oldest ? Math.max(0, (this.now().getTime() - oldest.getTime()) / 1000) : 0;
  }

  /** Resolves once `predicate(counters)` holds, re-checked after every round (tests, shutdown). */
  until(predicate: (stats: DeliveryStats) => boolean): Promise<DeliveryStats> {
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate(this.stats)) return;
        this.listeners.delete(check);
        resolve(this.counters());
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves when no round is running (after `wake()`: once that round, and any it queued, finished). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops claiming; waits for the round in progress (its entries are recorded, never left half-sent). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * The ORM subscriber that wakes this worker after a commit that wrote outbox entries: inside an
   * explicit transaction on its commit, otherwise right after the flush (which committed it).
   */
  subscriber(): EventSubscriber {
    const written = new WeakSet<EntityManager>();
    return {
      afterFlush: (args: FlushEventArgs) => {
        const wrote = args.uow.getChangeSets().some((cs) => cs.entity instanceof OutboxEntry);
        if (!wrote) return;
        if (args.em.isInTransaction()) written.add(args.em);
        else this.wake();
      },
      afterTransactionCommit: (args: TransactionEventArgs) => {
        if (!written.has(args.em)) return;
        written.delete(args.em);
        this.wake();
      },
    };
  }
}
