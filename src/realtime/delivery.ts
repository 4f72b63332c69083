import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { ANONYMOUS } from '../auth/viewer';
import type { Context } from '../context';
import { Topic, type DomainEvent, type TransportState } from './events';

/** Events a subscription may hold before the oldest are dropped (a slow client does not grow memory). */
export const MAX_BUFFERED_EVENTS = 100;
/** How many recent event ids a subscription remembers to drop duplicates (RT-4: redis may redeliver). */
const SEEN_IDS = 1_000;

/** Error codes of the results that tell a subscriber the cross-instance transport (Redis) was lost or is back. */
export const TransportErrorCode = {
  INTERRUPTED: 'EVENTS_INTERRUPTED',
  RESUMED: 'EVENTS_RESUMED',
} as const;

/**
 * Yielded instead of a value when the cross-instance transport changes state: the subscription's
 * root resolver throws it (`payloadOf`), so the client gets a `next` result with `data: null` and an
 * error it can act on, and the subscription stays open.
 */
export class TransportNotice {
  constructor(readonly state: TransportState) {}

  toError(): GraphQLError {
    return this.state === 'INTERRUPTED'
      ? new GraphQLError('Real-time events from other server instances are interrupted (event broker unreachable); this subscription stays open and resumes by itself.', {
          extensions: { code: TransportErrorCode.INTERRUPTED },
        })
      : new GraphQLError('Real-time events flow again; changes made while they were interrupted may have been missed: query to catch up.', {
          extensions: { code: TransportErrorCode.RESUMED },
        });
  }
}

const sharedReads = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Reads `key` once per event context: subscribers of one event share its entity-manager fork, so
 * concurrent reads of the same row (the ticket of the event) become one query. Keyed by the fork,
 * so nothing outlives the event's context.
 */
export function sharedRead<T>(em: object, key: string, load: () => Promise<T>): Promise<T> {
  let reads = sharedReads.get(em);
  if (!reads) sharedReads.set(em, (reads = new Map()));
  let read = reads.get(key) as Promise<T> | undefined;
  if (!read) reads.set(key, (read = load()));
  return read;
}

/** A subscription root value, or the error a transport notice stands for. */
export function payloadOf<T>(root: T | TransportNotice): T {
  if (root instanceof TransportNotice) throw root.toError();
  return root;
}

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
  /**
   * Optional shortcut for events resolved for many subscribers at once (PHN-4 queue moves): a value,
   * null to skip, or undefined to fall back to `resolve` with a fresh context of its own.
   */
  shared?: (event: DomainEvent) => Promise<Delivered<T> | null | undefined> | undefined;
  /** An event to deliver first (the current state), before anything happens. */
  initial?: DomainEvent;
  /** After the transport comes back, deliver the current state again (events may have been missed). */
  resyncOnResume?: () => DomainEvent;
  /** Called once when the subscription ends (completion, client stop, connection closed). */
  onEnd?: () => void;
}

/** A synthetic event that makes a subscription deliver the current state once. */
export function currentState(event: DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'eventId' | 'occurredAt'> : never) : never): DomainEvent {
  return { ...event, eventId: `initial:${randomUUID()}`, occurredAt: new Date().toISOString() } as DomainEvent;
}

/**
 * The async iterator behind every subscription. Listens on the context's event bus, drops duplicate
 * event ids, and for each event gets a fresh context (`renew(eventId)`: the event's fork and loaders,
 * shared with this instance's other subscribers of that event, and this subscriber's viewer re-read
 * from the database), authorizes and re-reads through `resolve` (or takes its share of a batch through
 * `shared`), then swaps the fresh context into the subscription's context so the field resolvers of
 * this event see fresh data too. graphql-js executes one event at a time per subscription, so
 * swapping is safe. Queued and in-flight events are counted for graceful shutdown; transport notices
 * (Redis lost/back) are yielded as `TransportNotice`s.
 */
export function deliver<T>(ctx: Context, opts: DeliveryOptions<T>): AsyncIterableIterator<T | TransportNotice> {
  const bus = ctx.events;
  const renew = ctx.renew;
  if (!bus || !renew) throw new Error('subscriptions need the real-time transport (events and renew) in the context');
  const inflight = ctx.realtime?.inflight;
  const queue: DomainEvent[] = [];
  const seen = new Set<string>();
  let wake: (() => void) | undefined;
  let done = false;
  // the event taken from the queue and not yet sent (graphql-ws asks for the next one after sending)
  let holding = false;

  const enqueue = (event: DomainEvent) => {
    if (queue.length >= MAX_BUFFERED_EVENTS) {
      queue.shift();
      inflight?.done();
    }
    queue.push(event);
    inflight?.add();
    wake?.();
  };
  const release = () => {
    if (holding) {
      holding = false;
      lighten();
      inflight?.done();
    }
  };
  if (opts.initial) enqueue(opts.initial);

  const off = bus.subscribe((event) => {
    if (done || seen.has(event.eventId)) return;
    if (event.type === Topic.TRANSPORT) {
      enqueue(event);
      if (event.state === 'RESUMED' && opts.resyncOnResume) enqueue(opts.resyncOnResume());
      return;
    }
    if (!opts.accept(event)) return;
    seen.add(event.eventId);
    if (seen.size > SEEN_IDS) seen.delete(seen.values().next().value as string);
    enqueue(event);
  });

  /**
   * Between events the subscription's context holds nothing heavy: the fork, loaders and viewer
   * (whose entities pin the fork) are dropped; the next event brings fresh ones.
   */
  const lighten = () => {
    Object.assign(ctx, { em: undefined, loaders: undefined, viewer: ANONYMOUS });
  };
  lighten();

  let ended = false;
  const end = () => {
    done = true;
    off();
    release();
    inflight?.done(queue.length);
    queue.length = 0;
    wake?.();
    if (!ended) {
      ended = true;
      opts.onEnd?.();
    }
  };
  const finish = (): IteratorResult<T | TransportNotice> => {
    end();
    return { done: true, value: undefined };
  };

  const iterator: AsyncIterableIterator<T | TransportNotice> = {
    async next() {
      while (!done) {
        release();
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        holding = true;
        if (event.type === Topic.TRANSPORT) return { done: false, value: new TransportNotice(event.state) };
        let out: Delivered<T> | null | undefined;
        try {
          out = await opts.shared?.(event);
          if (out === undefined) {
            // events share one context per instance; the synthetic current-state events get their own
            const fresh = await renew(event.eventId.startsWith('initial:') ? undefined : event.eventId);
            out = await opts.resolve(event, fresh);
            if (out) Object.assign(ctx, fresh);
          }
        } catch {
          out = null;
        }
        if (done || !out) continue;
        if (out.last) {
          // deliver this one, then complete
          end();
          holding = true;
          inflight?.add();
        }
        return { done: false, value: out.value };
      }
      release();
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
