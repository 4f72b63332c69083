import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../read/driver';
import type { DatabaseAvailabilityStats } from './database-availability';

/** At most this many distinct operation names get their own label value; later ones count as `other`. */
export const MAX_OPERATION_LABELS = 200;
/** Operation names outside this shape are not used as label values. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Error codes are the API's own constants; anything else is counted as `OTHER`. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

export interface MetricsSources {
  pool?: () => PoolStats | undefined;
  /** Reachability of the database as this instance sees it (src/observability/database-availability.ts). */
  database?: () => DatabaseAvailabilityStats;
  realtime?: () => { connections: number; subscriptions: number; sseStreams?: number; sseSubscriptions?: number } | undefined;
  /** The delivery worker's counters of this instance (src/delivery/worker.ts). */
  delivery?: () => { delivered: number; retried: number; failed: number } | undefined;
  /** Age of the oldest outbox entry still waiting, over all instances (one indexed query per scrape). */
  outboxOldestWaitingSeconds?: () => Promise<number>;
}

/**
 * Prometheus metrics of one server instance, on a registry of its own (tests run many servers in one
 * process). Label values are bounded: schema (2), operation name (capped, see `operationLabel`),
 * outcome (3) and error code (the API's own codes).
 */
export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hub_' });

  const requests = new Counter({
    name: 'hub_graphql_requests_total',
    help: 'GraphQL operations over HTTP, by schema, operation name and outcome (success, error, partial).',
    labelNames: ['schema', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'hub_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response, by schema and operation name.',
    labelNames: ['schema', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'hub_graphql_errors_total',
    help: 'GraphQL errors sent, by schema and extensions.code.',
    labelNames: ['schema', 'code'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hub_websocket_connections',
    help: 'Open graphql-ws WebSocket connections.',
    registers: [registry],
    collect() {
      this.set(sources.realtime?.()?.connections ?? 0);
    },
  });
  new Gauge({
    name: 'hub_subscriptions_active',
    help: 'Active GraphQL subscriptions over all WebSocket connections.',
    registers: [registry],
    collect() {
      this.set(sources.realtime?.()?.subscriptions ?? 0);
    },
  });
  new Gauge({
    name: 'hub_sse_streams',
    help: 'Open GraphQL-over-SSE event streams (/graphql/stream).',
    registers: [registry],
    collect() {
      this.set(sources.realtime?.()?.sseStreams ?? 0);
    },
  });
  new Gauge({
    name: 'hub_sse_subscriptions_active',
    help: 'Active GraphQL subscriptions over SSE event streams.',
    registers: [registry],
    collect() {
      this.set(sources.realtime?.()?.sseSubscriptions ?? 0);
    },
  });
  new Gauge({
    name: 'hub_db_pool_connections',
    help: 'Database pool connections by state: used (checked out), free (idle), pending (acquires and creates waiting), max (pool size).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = sources.pool?.();
      if (!stats) return;
      this.set({ state: 'used' }, stats.used);
      this.set({ state: 'free' }, stats.free);
      this.set({ state: 'pending' }, stats.pending);
      this.set({ state: 'max' }, stats.max);
    },
  });

  new Gauge({
    name: 'hub_db_reachable',
    help: '1 while the database is reachable, 0 from the first failure that says it is not until a connection is made again.',
    registers: [registry],
    collect() {
      const stats = sources.database?.();
      if (stats) this.set(stats.reachable ? 1 : 0);
    },
  });
  new Counter({
    name: 'hub_db_outages_total',
    help: 'Database outages this instance has seen (each one logged once: "database unreachable", then "database reachable again").',
    registers: [registry],
    collect() {
      const stats = sources.database?.();
      if (!stats) return;
      this.reset();
      this.inc(stats.outages);
    },
  });
  new Counter({
    name: 'hub_db_unavailable_requests_total',
    help: 'Requests answered DATABASE_UNAVAILABLE because the database could not be reached (counted, not logged one by one).',
    registers: [registry],
    collect() {
      const stats = sources.database?.();
      if (!stats) return;
      this.reset();
      this.inc(stats.refusedRequests);
    },
  });
  new Counter({
    name: 'hub_outbox_deliveries_total',
    help: 'Outbox deliveries attempted by this instance, by outcome: delivered, retried (failed, another attempt scheduled), failed (last attempt failed: given up).',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      const stats = sources.delivery?.();
      if (!stats) return;
      this.reset();
      this.inc({ outcome: 'delivered' }, stats.delivered);
      this.inc({ outcome: 'retried' }, stats.retried);
      this.inc({ outcome: 'failed' }, stats.failed);
    },
  });
  new Gauge({
    name: 'hub_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest outbox entry not yet delivered (0 when none waits), over all instances.',
    registers: [registry],
    async collect() {
      if (!sources.outboxOldestWaitingSeconds) return;
      try {
        this.set(await sources.outboxOldestWaitingSeconds());
      } catch {
        // the database is down: /readyz and the pool figures say so
      }
    },
  });
  const inbound = new Counter({
    name: 'hub_inbound_mail_total',
    help: 'Inbound mails (SMTP and webhook) by outcome: ACCEPTED, REFUSED (bounced), IGNORED (automated, duplicate, no sender).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  const knownOperations = new Set<string>();
  /** A label value for an operation: its name when well-formed and within the cap, else a fixed bucket. */
  function operationLabel(name: string | null | undefined, resolved: boolean): string {
    if (!resolved) return 'invalid';
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (knownOperations.has(name)) return name;
    if (knownOperations.size >= MAX_OPERATION_LABELS) return 'other';
    knownOperations.add(name);
    return name;
  }

  return {
    registry,
    /** Counts one inbound mail by what became of it. */
    inboundMail(outcome: 'ACCEPTED' | 'REFUSED' | 'IGNORED') {
      inbound.inc({ outcome });
    },
    /** Records one finished operation. */
    observe(sample: { schema: string; operationName?: string | null; resolved: boolean; seconds: number; outcome: 'success' | 'error' | 'partial'; errorCodes: string[] }) {
      const operation = operationLabel(sample.operationName, sample.resolved);
      requests.inc({ schema: sample.schema, operation, outcome: sample.outcome });
      duration.observe({ schema: sample.schema, operation }, sample.seconds);
      for (const code of sample.errorCodes) errors.inc({ schema: sample.schema, code: ERROR_CODE.test(code) ? code : 'OTHER' });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
