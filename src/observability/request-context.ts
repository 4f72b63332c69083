import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../auth/errors';
import type { Locale } from '../i18n/locales';
import type { DatabaseAvailability } from './database-availability';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/** What one HTTP request has gathered for its log line and metrics by the time it is answered. */
export interface RequestScope {
  requestId: string;
  /** Set once a GraphQL request is seen (by the Apollo plugin or the error formatter). */
  schema?: 'public' | 'internal';
  operationName?: string | null;
  /** The document parsed and validated, and the operation was found. */
  resolved?: boolean;
  viewer?: string;
  accountId?: string;
  outcome?: 'success' | 'error' | 'partial';
  /** LANG-1: the display language of the answer, once known (error texts are translated into it). */
  locale?: Locale;
  /** `extensions.code` of every error sent, in order. */
  errorCodes: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Header that carries the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is kept only when it is short and plain (no log injection, no unbounded values). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The scope of the request being served, when called inside one (undefined elsewhere, e.g. timers). */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Express middleware, mounted first: takes a sane `x-request-id` from the caller or makes one, echoes
 * it on every response, runs the rest of the request inside its scope, and when the response is sent
 * writes one log line and, for GraphQL requests, the request metrics.
 */
export function observeRequests(opts: { logger: Logger; metrics: Metrics; availability?: DatabaseAvailability }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    // req.path is relative inside mounted routers: keep the path as it arrived (no query string: it may hold a query)
    const path = req.originalUrl.split('?')[0];
    const scope: RequestScope = { requestId, errorCodes: [] };
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals.requestId = requestId;
    let recorded = false;
    // 'finish' when the response was sent; 'close' alone when the client went away first
    const record = () => {
      if (recorded) return;
      recorded = true;
      const aborted = !res.writableFinished;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const outcome = scope.outcome ?? (res.statusCode >= 400 || scope.errorCodes.length ? 'error' : 'success');
      if (scope.schema) {
        opts.metrics.observe({ schema: scope.schema, operationName: scope.operationName, resolved: scope.resolved ?? false, seconds, outcome, errorCodes: scope.errorCodes });
      }
      if (path === '/metrics' || path === '/healthz' || path === '/readyz') return;
      const line = {
        requestId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e4) / 10,
        ...(scope.schema ? { schema: scope.schema, operationName: scope.operationName ?? null, outcome } : {}),
        ...(scope.viewer ? { viewer: scope.viewer } : {}),
        ...(scope.accountId ? { accountId: scope.accountId } : {}),
        ...(scope.errorCodes.length ? { errorCodes: scope.errorCodes } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      // a request refused because the database is down is counted, and logged at `warn`: the outage itself
      // has one `error` line (database-availability.ts), not one per request
      const refused = scope.errorCodes.includes(ErrorCode.DATABASE_UNAVAILABLE);
      if (refused) opts.availability?.refused();
      if (res.statusCode >= 500 && !refused) opts.logger.error(line, 'request');
      else if (res.statusCode >= 500) opts.logger.warn(line, 'request');
      else opts.logger.info(line, 'request');
    };
    res.on('finish', record);
    res.on('close', record);
    storage.run(scope, next);
  };
}
