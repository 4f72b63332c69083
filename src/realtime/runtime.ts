import type { EventLog } from './event-log';
import type { InflightDeliveries } from './inflight';
import type { QueueFanout } from './queue-fanout';

/** Per-server real-time state the subscriptions share (set on subscription contexts only). */
export interface RealtimeRuntime {
  /** Events queued for or being delivered; shutdown waits for them (graceful close). */
  inflight: InflightDeliveries;
  /** PHN-4: one computation per queue move for all of this instance's callback watchers. */
  queues: QueueFanout;
  /** The durable event log: resuming subscriptions replay from it (`after:`, `Last-Event-ID`). */
  log?: EventLog;
}
