import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ANONYMOUS } from '../auth/viewer';
import type { Context } from '../context';
import { Topic, type DomainEvent, type TransportState } from './events';
import type { EventLog, Replay } from './event-log';
import type { InflightDeliveries } from './inflight';
import { PUSH_STREAM, type PushSink, type PushStream } from './graphql-ws-fork';

/** Events a subscription may hold before the oldest are dropped (a slow client does not grow memory). */
export const MAX_BUFFERED_EVENTS = 100;

/** Waits before reading a failed resume's replay again (then EVENTS_EXPIRED): about 5 s in all, beyond a pool time-out. */
export const REPLAY_RETRY_DELAYS_MS = [250, 1_000, 4_000];

/** Error codes of the results that tell a subscriber the cross-instance transport (Redis) was lost or is back. */
export const TransportErrorCode = {
  INTERRUPTED: 'EVENTS_INTERRUPTED',
  RESUMED: 'EVENTS_RESUMED',
  /** A resumed subscription (`after:`, `Last-Event-ID`) cannot replay what it missed: re-query (docs/realtime.md). */
  EXPIRED: 'EVENTS_EXPIRED',
} as const;

/** What a notice says: the transport's state, or that a resume found its events gone. */
export type NoticeState = TransportState | 'EXPIRED';

/**
 * Yielded instead of a value when the cross-instance transport changes state: the subscription's
 * root resolver throws it (`payloadOf`), so the client gets a `next` result with `data: null` and an
 * error it can act on, and the subscription stays open.
 */
export class TransportNotice {
  constructor(readonly state: NoticeState) {}

  toError(): GraphQLError {
    switch (this.state) {
      case 'INTERRUPTED':
        return new GraphQLError('Real-time events from other server instances are delayed (event broker unreachable); none is lost, and this subscription stays open and catches up by itself.', {
          extensions: { code: TransportErrorCode.INTERRUPTED },
        });
      case 'RESUMED':
        return new GraphQLError('Real-time events flow again; every event of the interruption was delivered before this notice.', {
          extensions: { code: TransportErrorCode.RESUMED },
        });
      case 'EXPIRED':
        return new GraphQLError('The events after the id this subscription resumes from are no longer in the event log (past its retention): query to catch up; live events follow on this subscription.', {
          extensions: { code: TransportErrorCode.EXPIRED },
        });
    }
  }
}

/** Is this the id of a logged event (a log id), rather than a synthetic or ephemeral one? */
function logIdOf(event: DomainEvent): number | undefined {
  return /^\d+$/.test(event.eventId) ? Number(event.eventId) : undefined;
}

/**
 * The `after` argument of a resumable subscription (or the SSE `Last-Event-ID` header): a log id, or
 * undefined when absent; anything else is not an event id of this API.
 */
export function resumeIdOf(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : null;
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
  /** The bus routes of the events the subscription may want (`EventRoute`); all events when absent. */
  routes?: readonly string[];
  /** Cheap, synchronous: is this event about what the subscription watches? (no database access) */
  accept: (event: DomainEvent) => boolean;
  /**
   * Re-reads what the event is about with a fresh context; null skips the event (the subscriber may
   * not see it, RT-3). A thrown error skips it too: refusals at delivery are silent, never errors.
   */
  resolve: (event: DomainEvent, fresh: Context) => Promise<Delivered<T> | null>;
  /**
   * Optional shortcut for events resolved for many subscribers at once (PHN-4 queue moves): a value,
   * null to skip, or undefined to fall back to `resolve` with a fresh context of its own — at once,
   * or as a promise.
   */
  shared?: (event: DomainEvent) => Delivered<T> | null | undefined | Promise<Delivered<T> | null | undefined>;
  /** An event to deliver first (the current state), before anything happens. */
  initial?: DomainEvent;
  /** After the transport comes back, deliver the current state again (events may have been missed). */
  resyncOnResume?: () => DomainEvent;
  /** Called once when the subscription ends (completion, client stop, connection closed). */
  onEnd?: () => void;
  /**
   * Resume after this log id (the last `eventId` the client saw): every logged event after it that
   * `accept`s is replayed from the event log first, in order, then live ones, none twice. Past the
   * log's retention the subscription gets EVENTS_EXPIRED first (then live events).
   */
  after?: number;
}

/** A synthetic event that makes a subscription deliver the current state once. */
export function currentState(event: DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'eventId' | 'occurredAt'> : never) : never): DomainEvent {
  return { ...event, eventId: `initial:${randomUUID()}`, occurredAt: new Date().toISOString() } as DomainEvent;
}

/**
 * RT-1, RT-3: the event stream behind every subscription. Listens on the context's event bus (which drops
 * duplicate event ids once per instance), and for each event gets a fresh context (`renew(eventId)`:
 * the event's fork and loaders, shared with this instance's other subscribers of that event, and this
 * subscriber's viewer re-read from the database), authorizes and re-reads through `resolve` (or takes
 * its share of a batch through `shared`), then swaps the fresh context into the subscription's context
 * so the field resolvers of this event see fresh data too. One event is executed at a time per
 * subscription, so swapping is safe. Queued and in-flight events are counted for graceful shutdown;
 * transport notices (Redis lost/back) are delivered as `TransportNotice`s.
 *
 * It is an async iterator (what graphql-js expects of a subscription), and a push stream for the
 * subscription server (src/realtime/graphql-ws-fork.ts): values are pushed to the server, which asks for
 * the next one once it sent the previous. An idle subscription then waits with no promise, closure
 * or async frame of its own — nothing is allocated until an event concerns it.
 */
export function deliver<T>(ctx: Context, opts: DeliveryOptions<T>): AsyncIterableIterator<T | TransportNotice> & PushStream<T | TransportNotice> {
  return new Delivery(ctx, opts);
}

/**
 * One subscription's event queue and delivery. A class rather than closures: thousands of idle
 * subscriptions each hold one small object (and one bus listener), not a dozen closures and their
 * scopes; the queue is allocated when the first event arrives.
 */
class Delivery<T> implements AsyncIterableIterator<T | TransportNotice>, PushStream<T | TransportNotice> {
  private readonly bus: NonNullable<Context['events']>;
  private readonly renew: NonNullable<Context['renew']>;
  private readonly inflight: InflightDeliveries | undefined;
  /** Events to deliver, and notices (transport, expired resume) to pass on as they are. */
  private queue: (DomainEvent | TransportNotice)[] | undefined;
  private sink: PushSink<T | TransportNotice> | undefined;
  /** The consumer asked for the next value. */
  private wanted = false;
  /** An event is being resolved. */
  private working = false;
  private done = false;
  private ended = false;
  /** The event taken from the queue whose value is not sent yet (the consumer asks for the next one after sending). */
  private holding = false;
  /** Pull mode (`next()`): the pending call. */
  private pending: ((result: IteratorResult<T | TransportNotice>) => void) | undefined;
  private readonly listener: (event: DomainEvent) => void;
  /** While a resume replays the log: live events wait here, behind the replayed ones. */
  private held: DomainEvent[] | undefined;
  /** Logged events up to this id were delivered (or replayed): a live one at or below it is a duplicate. */
  private floor = 0;

  constructor(
    private readonly ctx: Context,
    private readonly opts: DeliveryOptions<T>,
  ) {
    const bus = ctx.events;
    const renew = ctx.renew;
    if (!bus || !renew) throw new Error('subscriptions need the real-time transport (events and renew) in the context');
    this.bus = bus;
    this.renew = renew;
    this.inflight = ctx.realtime?.inflight;
    if (opts.initial) this.enqueue(opts.initial);
    this.listener = (event) => this.onEvent(event);
    bus.subscribe(this.listener, opts.routes);
    this.lighten();
    if (opts.after !== undefined) this.resume(opts.after);
  }

  /**
   * Replays the log after `after` up to what this instance published before the subscription
   * started (its position, taken in the same tick as the bus listener was added: every later event
   * reaches the listener, every earlier one is in the replay), holding live events meanwhile.
   */
  private resume(after: number): void {
    const log = this.ctx.realtime?.log;
    if (!log) return;
    const upTo = log.position;
    this.floor = Math.max(after, upTo);
    this.held = [];
    this.inflight?.add();
    this.replayRetrying(log, after, upTo)
      .then(
        (replay) => (replay.expired ? [new TransportNotice('EXPIRED')] : replay.events),
        // still unreadable after the retries: the subscriber re-queries, as for a gap past retention
        () => [new TransportNotice('EXPIRED')],
      )
      .then((replayed) => {
        const held = this.held ?? [];
        this.held = undefined;
        this.inflight?.done();
        if (this.done) return;
        // the replay is as long as the gap (within retention): it is not cut to the live buffer's size
        const queue = (this.queue ??= []);
        queue.push(...replayed);
        this.inflight?.add(replayed.length);
        for (const event of held) this.onEvent(event);
        this.pump();
      });
  }

  /**
   * The log's replay, read again after a failure: a failed read (a pool time-out under load, the
   * database restarting) is no gap in the log, so the subscriber is not told EVENTS_EXPIRED for it
   * before REPLAY_RETRY_DELAYS_MS have been tried. Live events stay held meanwhile.
   */
  private async replayRetrying(log: EventLog, after: number, upTo: number): Promise<Replay> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await log.replay(after, upTo, (event) => this.opts.accept(event));
      } catch (error) {
        if (this.done || attempt >= REPLAY_RETRY_DELAYS_MS.length) throw error;
        await delay(REPLAY_RETRY_DELAYS_MS[attempt]);
      }
    }
  }

  private onEvent(event: DomainEvent): void {
    if (this.done) return;
    if (this.held) {
      this.held.push(event);
      return;
    }
    const id = logIdOf(event);
    if (id !== undefined && id <= this.floor) return;
    if (event.type === Topic.TRANSPORT) {
      this.enqueue(new TransportNotice(event.state));
      if (event.state === 'RESUMED' && this.opts.resyncOnResume) this.enqueue(this.opts.resyncOnResume());
      return;
    }
    if (!this.opts.accept(event)) return;
    this.enqueue(event);
  }

  private enqueue(event: DomainEvent | TransportNotice): void {
    const queue = (this.queue ??= []);
    if (queue.length >= MAX_BUFFERED_EVENTS) {
      queue.shift();
      this.inflight?.done();
    }
    queue.push(event);
    this.inflight?.add();
    this.pump();
  }

  private release(): void {
    if (this.holding) {
      this.holding = false;
      this.lighten();
      this.inflight?.done();
    }
  }

  /**
   * Between events the subscription's context holds nothing heavy: the fork, loaders and viewer
   * (whose entities pin the fork) are dropped; the next event brings fresh ones.
   */
  private lighten(): void {
    const ctx = this.ctx;
    ctx.em = undefined as never;
    ctx.loaders = undefined as never;
    ctx.viewer = ANONYMOUS;
    ctx.requestId = '';
  }

  private end(): void {
    this.done = true;
    this.bus.unsubscribe(this.listener);
    this.release();
    if (this.queue) {
      this.inflight?.done(this.queue.length);
      this.queue = undefined;
    }
    if (!this.ended) {
      this.ended = true;
      this.opts.onEnd?.();
    }
    this.pump();
  }

  /** Push mode: values go to `sink` from now on (`next()` is not used any more). */
  [PUSH_STREAM](sink: PushSink<T | TransportNotice>): void {
    this.sink = sink;
  }

  /** The consumer sent the previous value (if any): the next one may come. */
  pull(): void {
    this.release();
    this.wanted = true;
    this.pump();
  }

  /** Takes the next queued event, if the consumer wants one and none is being resolved. */
  private pump(): void {
    if (!this.wanted || this.working) return;
    const sink = this.sink;
    if (!sink) return;
    if (this.done) {
      this.wanted = false;
      this.release();
      return sink.end();
    }
    const event = this.queue?.shift();
    if (!event) return;
    this.wanted = false;
    this.holding = true;
    if (event instanceof TransportNotice) return sink.push(event);
    let shared: ReturnType<NonNullable<DeliveryOptions<T>['shared']>>;
    try {
      shared = this.opts.shared?.(event);
    } catch {
      shared = null;
    }
    // a share available at once is delivered at once (a queue move: thousands of these per event)
    if (shared !== undefined && !(shared instanceof Promise)) return this.resolved(shared);
    this.working = true;
    const skip = () => this.resolved(null);
    if (shared) shared.then((value) => (value === undefined ? this.resolveAlone(event) : this.resolved(value)), skip);
    else this.resolveAlone(event);
  }

  /** Re-reads the event with a fresh context of its own, then delivers (or skips) it. */
  private resolveAlone(event: DomainEvent): void {
    this.working = true;
    // events share one context per instance; the synthetic current-state events get their own
    this.renew(event.eventId.startsWith('initial:') ? undefined : event.eventId)
      .then(async (fresh) => {
        const out = await this.opts.resolve(event, fresh);
        if (out && !this.done) Object.assign(this.ctx, fresh);
        return out;
      })
      .then(
        (out) => this.resolved(out),
        () => this.resolved(null),
      );
  }

  private resolved(out: Delivered<T> | null): void {
    this.working = false;
    if (this.done || !out) {
      // skipped (refused at delivery, or the subscription ended meanwhile): take the next one
      this.release();
      this.wanted = true;
      return this.pump();
    }
    if (out.last) {
      // deliver this one (still held: counted in flight, its context kept), then complete
      this.holding = false;
      this.end();
      this.holding = true;
    }
    this.sink!.push(out.value);
  }

  next(): Promise<IteratorResult<T | TransportNotice>> {
    this.sink ??= {
      push: (value) => this.settle({ done: false, value }),
      end: () => this.settle({ done: true, value: undefined }),
    };
    return new Promise((resolve) => {
      this.pending = resolve;
      this.pull();
    });
  }

  private settle(result: IteratorResult<T | TransportNotice>): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(result);
  }

  async return(): Promise<IteratorResult<T | TransportNotice>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<T | TransportNotice>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
