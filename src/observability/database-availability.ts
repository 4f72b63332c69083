import type { Logger } from './logger';
import { isDatabaseUnavailable } from './errors';

export interface DatabaseAvailabilityStats {
  /** False from the first failure that says "unreachable" until a connection is made again. */
  reachable: boolean;
  /** Outages this instance has seen since it started. */
  outages: number;
  /** Requests answered DATABASE_UNAVAILABLE since start (GraphQL over HTTP, uploads). */
  refusedRequests: number;
}

/**
 * The database's reachability as this instance sees it, logged once per change instead of once per
 * failed request (docs/observability.md, "PostgreSQL outage"):
 * - the first failure that `isDatabaseUnavailable` recognises (a request's error, a refused or timed
 *   out pool connection) logs `database unreachable` at `error`, with that failure;
 * - the next connection the pool makes logs `database reachable again` at `info`, with `outageMs`
 *   and the number of requests refused meanwhile;
 * - refused requests are counted (`refused`, `hub_db_unavailable_requests_total`), not logged one by one.
 */
export function trackDatabaseAvailability(opts: { logger: Logger; now?: () => number }) {
  const now = opts.now ?? Date.now;
  let downSince: number | undefined;
  let outages = 0;
  let refusedRequests = 0;
  let refusedAtOutageStart = 0;

  return {
    /** A failure of any database call: an outage starts when it says the database cannot be reached. */
    failed(error: unknown): void {
      if (downSince !== undefined || !isDatabaseUnavailable(error)) return;
      downSince = now();
      outages++;
      refusedAtOutageStart = refusedRequests;
      opts.logger.error({ component: 'database', err: error }, 'database unreachable');
    },
    /** A connection to the database was made (or a statement answered): an outage, if any, is over. */
    connected(): void {
      if (downSince === undefined) return;
      const outageMs = now() - downSince;
      downSince = undefined;
      opts.logger.info({ component: 'database', outageMs, refusedRequests: refusedRequests - refusedAtOutageStart }, 'database reachable again');
    },
    /** One request answered DATABASE_UNAVAILABLE. */
    refused(): void {
      refusedRequests++;
    },
    stats(): DatabaseAvailabilityStats {
      return { reachable: downSince === undefined, outages, refusedRequests };
    },
  };
}

export type DatabaseAvailability = ReturnType<typeof trackDatabaseAvailability>;
