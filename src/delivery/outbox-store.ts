import { LockMode, type EntityManager } from '@mikro-orm/core';
import { OutboxEntry, OutboxStatus, OutboxTransport } from '../entities';

/** An entry this instance has claimed and is attempting now. */
export interface ClaimedEntry {
  id: number;
  transport: OutboxTransport;
  topic: string;
  destination: string;
  deliveryKey: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
}

/**
 * The only place that reads and moves outbox rows (the delivery worker's storage side).
 *
 * Claiming is what makes delivery happen once across instances: on PostgreSQL the due rows are
 * selected `FOR UPDATE SKIP LOCKED` inside a transaction (MikroORM's PESSIMISTIC_PARTIAL_WRITE), so
 * two instances polling at the same moment take disjoint rows instead of waiting for or repeating each
 * other; each row is then leased to the instance (`claimed_by`, `claimed_until`) by a conditional
 * update, which alone is also correct on SQLite, where writes are serialized anyway. A lease that runs
 * out (the instance died mid-send) makes the row due again: at-least-once, same Message-ID.
 */
export class OutboxStore {
  constructor(private readonly rootEm: EntityManager, private readonly instanceId: string) {}

  private get postgres(): boolean {
    return this.rootEm.getPlatform().constructor.name.toLowerCase().includes('postgre');
  }

  /** Claims up to `limit` due entries of the given transports for `leaseMs`. */
  async claim(transports: readonly OutboxTransport[], now: Date, limit: number, leaseMs: number): Promise<ClaimedEntry[]> {
    const due = {
      transport: { $in: [...transports] },
      status: OutboxStatus.PENDING,
      nextAttemptAt: { $lte: now },
      $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }],
    };
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return this.rootEm.fork({ clear: true }).transactional(async (em) => {
      const rows = await em.find(OutboxEntry, due, {
        orderBy: { id: 'asc' },
        limit,
        ...(this.postgres ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
      });
      const claimed: ClaimedEntry[] = [];
      for (const row of rows) {
        const taken = await em.nativeUpdate(
          OutboxEntry,
          { id: row.id, status: OutboxStatus.PENDING, $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }] },
          { claimedUntil: leaseUntil, claimedBy: this.instanceId, attempts: row.attempts + 1 },
        );
        if (taken !== 1) continue;
        claimed.push({
          id: row.id,
          transport: row.transport,
          topic: row.topic,
          destination: row.destination,
          deliveryKey: row.deliveryKey,
          payload: row.payload,
          attempt: row.attempts + 1,
        });
      }
      return claimed;
    });
  }

  /** Marks a claimed entry delivered (only while this instance still holds it). */
  async delivered(id: number, now: Date): Promise<void> {
    await this.rootEm.fork().nativeUpdate(
      OutboxEntry,
      { id, claimedBy: this.instanceId },
      { status: OutboxStatus.DELIVERED, deliveredAt: now, claimedBy: null, claimedUntil: null, lastError: null },
    );
  }

  /** Schedules the next attempt of a claimed entry. */
  async retryAt(id: number, at: Date, error: string): Promise<void> {
    await this.rootEm.fork().nativeUpdate(OutboxEntry, { id, claimedBy: this.instanceId }, { nextAttemptAt: at, claimedBy: null, claimedUntil: null, lastError: error.slice(0, 2000) });
  }

  /** Gives up on a claimed entry after its last attempt (or a permanent refusal). */
  async failed(id: number, error: string): Promise<void> {
    await this.rootEm.fork().nativeUpdate(OutboxEntry, { id, claimedBy: this.instanceId }, { status: OutboxStatus.FAILED, claimedBy: null, claimedUntil: null, lastError: error.slice(0, 2000) });
  }

  /** Deletes delivered entries delivered before `before` (at most `limit` per call); failed ones stay for the operator. */
  async purgeDelivered(before: Date, limit = 1000): Promise<number> {
    const em = this.rootEm.fork();
    const old = await em.find(OutboxEntry, { status: OutboxStatus.DELIVERED, deliveredAt: { $lt: before } }, { fields: ['id'], orderBy: { id: 'asc' }, limit });
    if (!old.length) return 0;
    return em.nativeDelete(OutboxEntry, { id: { $in: old.map((row) => row.id) } });
  }

  /** When the oldest entry still waiting was written (null: none waits). */
  async oldestWaiting(): Promise<Date | null> {
    const row = await this.rootEm.fork().findOne(OutboxEntry, { status: OutboxStatus.PENDING }, { orderBy: { id: 'asc' }, fields: ['createdAt'] });
    return row?.createdAt ?? null;
  }
}
