import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { isEphemeral, transportChanged, type DomainEvent, type EventBus } from './events';

/**
 * What crosses Redis: a wake-up ("the log has new rows"), or an ephemeral event (never in the log,
 * e.g. typing signals), with the instance that sent it.
 */
interface Envelope {
  origin: string;
  wake?: true;
  event?: DomainEvent;
}

export interface RedisBridge {
  /** Resolves once this instance listens on the channel. */
  ready: Promise<void>;
  /** False while the subscriber connection is down (wake-ups of other instances do not arrive). */
  connected(): boolean;
  /** Tells the other instances that the log has new rows (after a local commit that appended some). */
  announce(): void;
  close(): Promise<void>;
}

export interface RedisBridgeOptions {
  namespace: string;
  log?: (message: string) => void;
  /** Another instance appended to the event log: read it now (src/realtime/event-log.ts). */
  wake: () => void;
  /** Reads the log up to now; awaited before RESUMED is announced (everything missed is delivered first). */
  catchUp: () => Promise<void>;
}

/**
 * RT-4: Redis only wakes instances up. Every domain event is in the durable event log
 * (src/realtime/event-log.ts), and each instance delivers from the log; after a local commit that
 * appended rows a wake-up goes out on `<namespace>:events`, and the other instances read the log at
 * once instead of at their next poll. Ephemeral events (`isEphemeral`: typing signals), which are
 * not in the log, are carried whole, as before. An instance ignores its own messages; ioredis
 * reconnects by itself after an outage.
 *
 * Outage: when the subscriber connection drops, a local TRANSPORT INTERRUPTED event tells every
 * subscription on this instance (its client gets an EVENTS_INTERRUPTED error result, the
 * subscription stays open): other instances' events are delayed to the poll, never lost. Once
 * ioredis is back and the channel is subscribed again, this instance catches up with the log and
 * then TRANSPORT RESUMED follows (EVENTS_RESUMED: every event was delivered; only ephemeral ones
 * may have been missed).
 */
export function bridgeToRedis(bus: EventBus, url: string, opts: RedisBridgeOptions): RedisBridge {
  const channel = `${opts.namespace}:events`;
  const origin = randomUUID();
  const log = opts.log ?? ((message: string) => console.error(message));
  const publisher = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url);
  // ephemeral events that came from redis: re-published locally, never sent back
  const fromRemote = new Set<string>();

  publisher.on('error', (error) => log(`redis publisher: ${String(error)}`));
  subscriber.on('error', (error) => log(`redis subscriber: ${String(error)}`));

  const send = (envelope: Envelope, what: string) =>
    publisher.publish(channel, JSON.stringify(envelope)).catch((error) => log(`redis publish failed (${what}; other instances poll the log): ${String(error)}`));

  const off = bus.subscribe((event) => {
    if (!isEphemeral(event) || fromRemote.delete(event.eventId)) return;
    send({ origin, event }, `event ${event.eventId}`);
  });

  subscriber.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === origin) return;
    if (envelope.wake) return opts.wake();
    if (!envelope.event?.eventId || !isEphemeral(envelope.event)) return;
    fromRemote.add(envelope.event.eventId);
    bus.publish(envelope.event);
    fromRemote.delete(envelope.event.eventId);
  });

  let listening = false;
  let interrupted = false;
  let closing = false;
  const ready = subscriber.subscribe(channel).then(() => {
    listening = true;
  });
  ready.catch((error) => log(`redis subscribe failed: ${String(error)}`));
  subscriber.on('close', () => {
    if (closing || !listening) return;
    listening = false;
    if (!interrupted) {
      interrupted = true;
      log('redis subscriber connection lost: events of other instances are delayed to the event log poll');
      bus.publish(transportChanged('INTERRUPTED'));
    }
  });
  subscriber.on('ready', () => {
    if (!interrupted) return;
    // ioredis re-subscribes by itself; subscribing again confirms the channel is live before saying so
    subscriber
      .subscribe(channel)
      .then(() => {
        if (closing || !interrupted) return;
        listening = true;
        // what other instances appended meanwhile is delivered before RESUMED is said
        return opts.catchUp().then(() => {
          if (closing || !interrupted) return;
          interrupted = false;
          log('redis subscriber connection back: events of other instances resume (caught up with the event log)');
          bus.publish(transportChanged('RESUMED'));
        });
      })
      .catch((error) => log(`redis re-subscribe failed: ${String(error)}`));
  });

  return {
    ready,
    connected: () => listening,
    announce: () => void send({ origin, wake: true }, 'wake-up'),
    async close() {
      closing = true;
      off();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
