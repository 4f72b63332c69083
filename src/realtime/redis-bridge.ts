import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventBus } from './events';

/** What crosses Redis: the event (ids and kind of change only) and the instance that raised it. */
interface Envelope {
  origin: string;
  event: DomainEvent;
}

export interface RedisBridge {
  /** Resolves once this instance listens on the channel. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * RT-4: a thin adapter that carries the in-process event bus across instances. Local events are
 * delivered locally at once and published on `<namespace>:events`; events from other instances are
 * re-published on the local bus. An instance ignores its own messages; subscribers drop duplicate
 * event ids (redis may redeliver around reconnects). ioredis reconnects by itself after an outage.
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
    if (fromRemote.delete(event.eventId)) return;
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

  const ready = subscriber.subscribe(channel).then(() => undefined);
  ready.catch((error) => log(`redis subscribe failed: ${String(error)}`));

  return {
    ready,
    async close() {
      off();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
