import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Topic, transportChanged, type DomainEvent, type EventBus } from './events';

/** What crosses Redis: the event (ids and kind of change only) and the instance that raised it. */
interface Envelope {
  origin: string;
  event: DomainEvent;
}

export interface RedisBridge {
  /** Resolves once this instance listens on the channel. */
  ready: Promise<void>;
  /** False while the subscriber connection is down (events of other instances do not arrive). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * RT-4: a thin adapter that carries the in-process event bus across instances. Local events are
 * delivered locally at once and published on `<namespace>:events`; events from other instances are
 * re-published on the local bus. An instance ignores its own messages; subscribers drop duplicate
 * event ids (redis may redeliver around reconnects). ioredis reconnects by itself after an outage.
 *
 * Outage: when the subscriber connection drops, a local TRANSPORT INTERRUPTED event tells every
 * subscription on this instance (its client gets an EVENTS_INTERRUPTED error result, the
 * subscription stays open); local events keep flowing. Once ioredis is back and the channel is
 * subscribed again, TRANSPORT RESUMED follows (EVENTS_RESUMED: query to catch up).
 */
export function bridgeToRedis(bus: EventBus, url: string, opts: { namespace: string; log?: (message: string) => void }): RedisBridge {
  const channel = `${opts.namespace}:events`;
  const origin = randomUUID();
  const log = opts.log ?? ((message: string) => console.error(message));
  const publisher = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url);
  // events that came from redis: re-published locally, never sent back
  const fromRemote = new Set<string>();

  publisher.on('error', (error) => log(`redis publisher: ${String(error)}`));
  subscriber.on('error', (error) => log(`redis subscriber: ${String(error)}`));

  const off = bus.subscribe((event) => {
    if (event.type === Topic.TRANSPORT || fromRemote.delete(event.eventId)) return;
    const envelope: Envelope = { origin, event };
    publisher.publish(channel, JSON.stringify(envelope)).catch((error) => log(`redis publish failed, event ${event.eventId} stays local: ${String(error)}`));
  });

  subscriber.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === origin || !envelope.event?.eventId) return;
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
      log('redis subscriber connection lost: events of other instances are interrupted');
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
        interrupted = false;
        log('redis subscriber connection back: events of other instances resume');
        bus.publish(transportChanged('RESUMED'));
      })
      .catch((error) => log(`redis re-subscribe failed: ${String(error)}`));
  });

  return {
    ready,
    connected: () => listening,
    async close() {
      closing = true;
      off();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
