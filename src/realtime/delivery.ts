import { randomUUID } from 'node:crypto';
import type { Context } from '../context';
import type { DomainEvent } from './events';

/** Events a subscription may hold before the oldest are dropped (a slow client does not grow memory). */
export const MAX_BUFFERED_EVENTS = 100;
/** How many recent event ids a subscription remembers to drop duplicates (RT-4: redis may redeliver). */
const SEEN_IDS = 1_000;

/** What a delivery yields for one event: the value, and whether it is the subscription's last. */
export interface Delivered<T> {
  value: T;
  last?: boolean;
}

export interface DeliveryOptions<T> {
  /** Cheap, synchronous: is this event about what the subscription watches? (no database access) */
  accept: (event: DomainEvent) => boolean;
  /**
   * Re-reads what the event is about with a fresh context; null skips the event (the subscriber may
   * not see it, RT-3). A thrown error skips it too: refusals at delivery are silent, never errors.
   */
  resolve: (event: DomainEvent, fresh: Context) => Promise<Delivered<T> | null>;
  /** An event to deliver first (the current state), before anything happens. */
  initial?: DomainEvent;
}

/** A synthetic event that makes a subscription deliver the current state once. */
export function currentState(event: DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'eventId' | 'occurredAt'> : never) : never): DomainEvent {
  return { ...event, eventId: `initial:${randomUUID()}`, occurredAt: new Date().toISOString() } as DomainEvent;
}

/**
 * The async iterator behind every subscription. Listens on the context's event bus, drops duplicate
 * event ids, and for each event builds a fresh context (new fork, loaders and viewer), authorizes and
 * re-reads through `resolve`, then swaps the fresh context into the subscription's context so the
 * field resolvers of this event see fresh data too. graphql-js executes one event at a time per
 * subscription, so swapping is safe.
 */
export function deliver<T>(ctx: Context, opts: DeliveryOptions<T>): AsyncIterableIterator<T> {
  const bus = ctx.events;
  const renew = ctx.renew;
  if (!bus || !renew) throw new Error('subscriptions need the real-time transport (events and renew) in the context');
  const queue: DomainEvent[] = opts.initial ? [opts.initial] : [];
  const seen = new Set<string>();
  let wake: (() => void) | undefined;
  let done = false;

  const off = bus.subscribe((event) => {
    if (done || seen.has(event.eventId) || !opts.accept(event)) return;
    seen.add(event.eventId);
    if (seen.size > SEEN_IDS) seen.delete(seen.values().next().value as string);
    if (queue.length >= MAX_BUFFERED_EVENTS) queue.shift();
    queue.push(event);
    wake?.();
  });

  const finish = (): IteratorResult<T> => {
    done = true;
    off();
    queue.length = 0;
    wake?.();
    return { done: true, value: undefined };
  };

  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!done) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        let out: Delivered<T> | null = null;
        try {
          const fresh = await renew();
          out = await opts.resolve(event, fresh);
          if (out) Object.assign(ctx, fresh);
        } catch {
          out = null;
        }
        if (done || !out) continue;
        if (out.last) {
          // deliver this one, then complete
          done = true;
          off();
        }
        return { done: false, value: out.value };
      }
      return { done: true, value: undefined };
    },
    async return() {
      return finish();
    },
    async throw(error?: unknown) {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
