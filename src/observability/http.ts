import cors, { type CorsOptions } from 'cors';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import helmet from 'helmet';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config';
import type { DatabaseAvailability } from './database-availability';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { currentRequestId, observeRequests, REQUEST_ID_HEADER } from './request-context';

/** Which browser origins may call the API (`CORS_ORIGINS`); unset: any in development, none in production. */
export function corsOptions(config: AppConfig): CorsOptions {
  const origins = config.http?.corsOrigins;
  const origin: CorsOptions['origin'] = origins === undefined ? !config.production : origins.includes('*') ? '*' : origins;
  return {
    origin,
    methods: ['GET', 'POST', 'OPTIONS'],
    // bearer tokens, never cookies: credentialed CORS is not needed
    credentials: false,
    exposedHeaders: [REQUEST_ID_HEADER],
    maxAge: 600,
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Mounted before every route: request ids, the per-request log line and metrics, security headers
 * and CORS; plus `GET /metrics` (Prometheus text format). `/metrics` wants `Authorization: Bearer
 * <METRICS_TOKEN>` when that is set; without it, it is open in development and refused (403) in
 * production, so a public deployment never exposes it by accident.
 */
export function mountObservability(app: Express, opts: { config: AppConfig; logger: Logger; metrics: Metrics; availability?: DatabaseAvailability }): void {
  const { config, metrics } = opts;
  app.use(observeRequests(opts));
  app.use(
    helmet({
      // JSON only in production; development keeps Apollo's landing page (scripts from its CDN) working
      contentSecurityPolicy: config.production ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } : false,
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  app.use(cors(corsOptions(config)));
  app.get('/metrics', async (req, res) => {
    const token = config.http?.metricsToken;
    if (token) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !sameSecret(given, token)) {
        res.status(401).set('www-authenticate', 'Bearer').json({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
    } else if (config.production) {
      res.status(403).json({ error: 'set METRICS_TOKEN to enable /metrics in production' });
      return;
    }
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/**
 * The last handler: errors Express itself sees (a malformed JSON body, a route that threw) are answered
 * as JSON in the GraphQL error shape, never as Express's HTML page with a stack trace. Client
 * errors (4xx from body parsing) keep their status as BAD_REQUEST; anything else is logged with the
 * request id and answered 500 INTERNAL_SERVER_ERROR.
 */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = currentRequestId() ?? (res.locals.requestId as string | undefined);
    const status = Number((error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode);
    if (status >= 400 && status < 500) {
      const message = (error as { type?: string }).type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : (error as { expose?: boolean }).expose ? String((error as Error).message) : 'Bad request.';
      res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId } }] });
      return;
    }
    logger.error({ requestId, err: error }, 'unexpected error');
    res.status(500).json({ errors: [{ message: 'Internal server error. Quote the requestId when you report it.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
  };
}

/** After every route: a path the API does not serve is a JSON 404 in the GraphQL error shape (not Express's HTML page). */
export function notFoundHandler(): RequestHandler {
  return (_req, res) => {
    const requestId = currentRequestId() ?? (res.locals.requestId as string | undefined);
    res.status(404).json({ errors: [{ message: 'Nothing is served at this path; the API is at /graphql and /internal/graphql.', extensions: { code: 'NOT_FOUND', requestId } }] });
  };
}
