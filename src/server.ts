import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import compression from 'compression';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_EVENT_LOG, defaultMailSettings, defaultWebhookSettings, type AppConfig, type GraphqlExecutor } from './config';
import { createContext, type Context, type ContextOptions } from './context';
import { EmlFileEmailSender, SmtpEmailSender } from './delivery/email-sender';
import { DeliveryWorker } from './delivery/worker';
import { enqueueWebhookDeliveries, purgeWebhookLog } from './delivery/webhook-producer';
import { WebhookSender } from './delivery/webhook-sender';
import { OutboxTransport } from './entities';
import { InboundMailService } from './mail/inbound.service';
import { mountInboundWebhook, startInboundSmtp } from './mail/inbound-transports';
import { TicketMailer } from './mail/ticket-mailer';
import { AttachmentLinks } from './services/attachment-links';
import { databaseUnavailable, forbidden, ForbiddenReason, unauthenticated } from './auth/errors';
import { bearerToken, createTokenVerifier, TokenError } from './auth/token';
import { ANONYMOUS, resolveViewer, type Viewer } from './auth/viewer';
import { createOrm, routeDriverLogs, type Orm } from './db/orm';
import { buildInternalSchema, buildPublicSchema } from './schema';
import { applyDuePreferenceChanges } from './services/email-preferences.service';
import { EventBus, EventRoute } from './realtime/events';
import { EventLog } from './realtime/event-log';
import { startSubscriptionServer, type SubscriptionServer, type SubscriptionServerImplementation } from './realtime/ws-server';
import { bridgeToRedis } from './realtime/redis-bridge';
import { mountUploads } from './uploads';
import { edgePlugin } from './edge/plugin';
import { httpCachePolicy, NO_STORE } from './http-cache';
import { mountWebPages, type DemoToken } from './web/pages';
import { demoTokens } from './auth/demo-tokens';
import { createLimits, STATIC_ONLY_LIMITS, withLimitCodes } from './limits';
import { createErrorFormatter, createLogger, createMetrics, httpErrorHandler, isDatabaseUnavailable, notFoundHandler, mountObservability, observabilityPlugin, trackDatabaseAvailability, type Logger } from './observability';
import { ping, poolStats, watchConnections } from './read/driver';
import { currentScope } from './observability/request-context';
import { resolveLocale } from './i18n';
import { languagePlugin } from './i18n/apollo-plugin';
import { jitGateway } from './graphql-executor';

export interface RunningServer {
  url: string;
  port: number;
  orm: Orm;
  httpServer: Server;
  /** The in-process domain event bus (ticket changes). */
  events: EventBus;
  /** The durable event log this instance delivers from (`wake`, `catchUp`, `prune`, `position`). */
  eventLog: EventLog;
  /** The graphql-ws server: `stats()` gives open connections and active subscriptions (metrics). */
  subscriptions: SubscriptionServer;
  /** The outbox delivery worker of this instance (counters, `until`). */
  delivery: DeliveryWorker;
  /** Inbound mail processing (also reached over SMTP and `POST /inbound/mail`). */
  inbound: InboundMailService;
  /** The webhook producer of this instance: `idle()` resolves once the events heard so far are enqueued. */
  webhooks: { idle(): Promise<void> };
  /** The port of the inbound SMTP listener, when INBOUND_SMTP_PORT is set. */
  inboundSmtpPort?: number;
  /** FUP-6: the signer of this instance's attachment URLs. */
  attachmentLinks: AttachmentLinks;
  /** How queries over HTTP run (GRAPHQL_EXECUTOR) and, with `jit`, how many operations of both endpoints are compiled now. */
  executor: { kind: GraphqlExecutor; compiledOperations(): number };
  /** Shutdown, first step: /readyz answers 503 from now on while requests are still served. */
  drain(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this ORM instead of connecting from the configuration (tests share one per suite). */
  orm?: Orm;
  /** Clock for time-dependent rules. */
  now?: () => Date;
  /** Structured logger; defaults to one at `config.http.logLevel` (silent under vitest). */
  logger?: Logger;
  /** PREF-5: how often this instance applies due e-mail preference changes; 0 turns the timer off. */
  preferenceJobIntervalMs?: number;
  /** The WebSocket protocol server: the fork (default) or graphql-ws's own (bench comparison, docs/realtime.md). */
  subscriptionServer?: SubscriptionServerImplementation;
}

/** How often each instance runs the event log's retention job. */
const EVENT_LOG_PRUNE_INTERVAL_MS = 5 * 60_000;

/** Answers smaller than this go uncompressed (compressing them costs more than it saves). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/** How long shared caches may keep the anonymous application status (STATUS_CACHE_MAX_AGE). */
export const DEFAULT_STATUS_MAX_AGE_SECONDS = 10;

/** The explorer's demo tokens: the demo accounts' (public schema), only for the embedded default in development. */
function demoTokensOf(config: AppConfig): (() => Promise<DemoToken[]>) | undefined {
  const auth = config.auth;
  if (config.production || !config.seedDemoData || auth.kind !== 'secret') return undefined;
  return async () => (await demoTokens(auth)).filter((demo) => demo.endpoint === '/graphql').map(({ label, token }) => ({ label, token }));
}

/**
 * LANG-1: the request's `Accept-Language`; until the viewer is known (a refused token) the request's
 * errors are in the header's language already.
 */
function languageOf(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const header = req.headers['accept-language'];
  const value = Array.isArray(header) ? header.join(',') : header;
  const scope = currentScope();
  if (scope) scope.locale = resolveLocale(value);
  return value;
}

/** The context's language is the one the error formatter uses for this request too. */
function localized(ctx: Context): Context {
  const scope = currentScope();
  if (scope) scope.locale = ctx.locale;
  return ctx;
}

/**
 * Wires HTTP, both GraphQL schemas, health endpoints and shutdown. No business logic lives here.
 */
export async function startServer(config: AppConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const orm = opts.orm ?? (await createOrm(config.database));
  const verify = createTokenVerifier(config.auth);
  const [publicSchema, internalSchema] = await Promise.all([buildPublicSchema(), buildInternalSchema()]);

  /** Bearer token → viewer; a present but bad token is UNAUTHENTICATED, never silently anonymous. */
  async function viewerFrom(header: string | undefined): Promise<Viewer> {
    let token: string | undefined;
    try {
      token = bearerToken(header);
      if (!token) return ANONYMOUS;
      const verified = await verify(token);
      const viewer = await resolveViewer(orm.em.fork(), verified);
      if (!viewer) throw unauthenticated('The token is valid but its subject is unknown.');
      return viewer;
    } catch (error) {
      if (error instanceof TokenError) throw unauthenticated(`Invalid token: ${error.message}.`);
      if (isDatabaseUnavailable(error)) {
        availability.failed(error);
        throw databaseUnavailable();
      }
      throw error;
    }
  }

  const app = express();
  app.disable('x-powered-by');
  // answers are per caller and `no-store`: hashing every body for an ETag is work no client can use
  // (the one cacheable answer, the public application status, gets its ETag from src/http-cache.ts)
  app.set('etag', false);
  // request ids, one log line per request, metrics, security headers, CORS, /metrics (docs/observability.md)
  const logger = opts.logger ?? createLogger(config.http?.logLevel);
  // the driver's own messages (knex's `Connection Error: …`) go through the JSON logger, never to the console
  routeDriverLogs(orm, logger);
  // a database outage is logged once when it starts and once when it ends, with its length (docs/observability.md)
  const availability = trackDatabaseAvailability({ logger });
  const unwatchConnections = watchConnections(orm, { created: () => availability.connected(), failed: (error) => availability.failed(error) });
  const mail = config.mail ?? defaultMailSettings(config.dataDir, config.database, config.port);
  const now = () => opts.now?.() ?? new Date();
  // CON-10: the outbox is drained after each commit that wrote to it (ORM subscriber) and on a timer
  const emailSender = mail.smtpUrl ? new SmtpEmailSender(mail.smtpUrl, mail.from) : new EmlFileEmailSender(mail.mailDir, mail.from);
  // webhooks: the same outbox and worker as e-mail, their own sender (signed POSTs, SSRF checks; docs/webhooks.md)
  const webhookSettings = config.webhooks ?? defaultWebhookSettings(config.production);
  if (config.production && webhookSettings.allowPrivateUrls) logger.warn({ component: 'webhooks' }, 'WEBHOOK_ALLOW_PRIVATE_URLS is on in production: webhooks may reach http and private addresses');
  const delivery = new DeliveryWorker(orm.em, {
    settings: mail.delivery,
    senders: { [OutboxTransport.EMAIL]: emailSender, [OutboxTransport.WEBHOOK]: new WebhookSender(orm.em, webhookSettings, now) },
    now: opts.now,
    log: (entry, message) => (entry.error && message.includes('good') ? logger.error({ component: 'outbox', ...entry }, message) : logger.warn({ component: 'outbox', ...entry }, message)),
  });
  orm.em.getEventManager().registerSubscriber(delivery.subscriber());
  const metrics = createMetrics({
    pool: () => poolStats(orm),
    database: () => availability.stats(),
    realtime: () => subscriptions.stats(),
    delivery: () => delivery.counters(),
    outboxOldestWaitingSeconds: () => delivery.oldestWaitingSeconds(),
  });
  mountObservability(app, { config, logger, metrics, availability });
  // large answers compressed (a 50-ticket page is ≈ 58 KB of JSON); event streams never (they would be buffered)
  app.use(compression({ threshold: COMPRESSION_THRESHOLD_BYTES, filter: (req, res) => !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }));
  let draining = false;
  const httpServer = createServer(app);
  // abuse limits of both endpoints and of subscriptions: depth, aliases, cost, budgets, rate limits (docs/limits.md)
  const limits = createLimits(config.limits ?? STATIC_ONLY_LIMITS, { redisUrl: config.redisUrl, namespace: config.redisNamespace, now: opts.now && (() => opts.now!().getTime()) });
  if (config.limits?.trustProxyHops) app.set('trust proxy', config.limits.trustProxyHops);

  // GRAPHQL_EXECUTOR=jit: queries over HTTP run compiled by graphql-jit; graphql-js by default, as jit measured no gain (docs/performance.md, D14)
  const executorKind = config.graphqlExecutor ?? 'graphql-js';
  const gateways: ReturnType<typeof jitGateway>[] = [];
  const executor = (schema: GraphQLSchema) => {
    if (executorKind !== 'jit') return { schema };
    const gateway = jitGateway(schema);
    gateways.push(gateway);
    return { gateway };
  };
  const apolloOptions = (schema: GraphQLSchema, name: 'public' | 'internal', path: string) =>
    new ApolloServer<Context>({
      ...executor(schema),
      introspection: true,
      includeStacktraceInErrorResponses: !config.production,
      // shutdown is ordered by the caller (src/main.ts: readiness off, then close): Apollo must not stop on its own
      stopOnTerminationSignals: false,
      // answers are per caller: `no-store` on every one, set here rather than by Apollo's cache-control
      // plugin, which would wrap every field resolver of the schema to compute hints nobody uses
      plugins: [
        ApolloServerPluginCacheControlDisabled(),
        // the explorer at GET /graphql is ours (src/web/pages.ts), served from npm dependencies, not Apollo's from a CDN
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 5_000 }),
        observabilityPlugin(name),
        // subscriptions over HTTP, variables and text refused before anything runs (src/edge)
        edgePlugin(path),
        limits.plugin(),
        // LANG-1: every answer says its language (the cacheable status keeps Content-Language only: the cache policy drops extensions)
        languagePlugin(),
        // last: it decides on the final answer (no-store, or the public status's ETag and 304)
        name === 'public' ? httpCachePolicy({ maxAgeSeconds: config.http?.statusMaxAgeSeconds ?? DEFAULT_STATUS_MAX_AGE_SECONDS }) : NO_STORE,
      ],
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      // coded errors pass; validation → BAD_USER_INPUT; the unexpected is logged and masked (src/observability/errors.ts)
      formatError: withLimitCodes(createErrorFormatter({ schema: name, production: config.production, logger, availability })),
    });
  const publicApollo = apolloOptions(publicSchema, 'public', '/graphql');
  const internalApollo = apolloOptions(internalSchema, 'internal', '/internal/graphql');
  await Promise.all([publicApollo.start(), internalApollo.start()]);

  const events = new EventBus();
  // the durable event log: services append in their transactions; this instance delivers from it (docs/realtime.md)
  const eventLogSettings = config.eventLog ?? DEFAULT_EVENT_LOG;
  const eventLog = new EventLog(orm.em, events, {
    pollMs: eventLogSettings.pollMs,
    retentionMs: eventLogSettings.retentionHours * 3_600_000,
    log: (message, error) => logger.warn({ component: 'event-log', err: error }, message),
  });
  orm.em.getEventManager().registerSubscriber(eventLog.subscriber());
  // PREF-6: manage links have their own key (MANAGE_LINK_SECRET), so they work whatever verifies logins
  const preferenceLinkKey = mail.manageLinkKey;
  const mailer = new TicketMailer({ from: mail.from, domain: mail.domain, publicUrl: mail.publicUrl, manageLinkKey: mail.manageLinkKey });
  const attachmentLinks = new AttachmentLinks(mail.attachmentUrlKey, mail.publicUrl, mail.attachmentUrlTtlSeconds);
  // called per request, after `uploads` below exists
  const contextOptions = (): ContextOptions => ({ now: opts.now, settings: config.support, events, uploads, preferenceLinkKey, mailer, attachmentLinks, webhooks: webhookSettings });
  // THE one point where domain events become webhook deliveries. Events reach the bus from the event
  // log (src/realtime/event-log.ts) on every instance, not only the one that committed them, so an
  // event whose instance died right after its commit is still enqueued by the others; each instance
  // enqueues and the unique outbox key (webhook, event id) keeps one delivery (docs/webhooks.md)
  const producing = new Set<Promise<unknown>>();
  const stopWebhooks = events.subscribe((event) => {
    const run = enqueueWebhookDeliveries(event, orm.em.fork(), now())
      .catch((error: unknown) => logger.error({ component: 'webhooks', err: error, eventId: event.eventId }, 'webhook deliveries not enqueued'))
      .finally(() => producing.delete(run));
    producing.add(run);
  }, [EventRoute.allTickets]);
  const contextFor = (viewer: Viewer) => createContext(orm.em, viewer, contextOptions());
  const uploads = mountUploads(app, { viewerFrom, contextFor, rootEm: orm.em, dataDir: config.dataDir, now: opts.now, storage: mail.attachmentStorage, links: attachmentLinks });
  // CON-9: replies by e-mail, over HTTP (INBOUND_MAIL_SECRET) and SMTP (INBOUND_SMTP_PORT)
  const inbound = new InboundMailService({ rootEm: orm.em, mailer, uploads, contextFor, now });
  const countInbound = (outcome: { outcome: 'ACCEPTED' | 'REFUSED' | 'IGNORED' }) => metrics.inboundMail(outcome.outcome);
  mountInboundWebhook(app, inbound, mail.inboundSecret, countInbound);
  // the live status page (always) and the GraphQL explorer (development, or HUB_EXPLORER=true)
  mountWebPages(app, { explorer: config.http?.explorer ?? !config.production, demoTokens: demoTokensOf(config) });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await ping(orm.em);
      res.json({ status: 'ready', database: 'ok' });
    } catch (error) {
      availability.failed(error);
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  // real time (RT-1…3): graphql-ws on the same port and paths as HTTP, the public and the internal schema;
  // the public one over SSE too (/graphql/stream)
  const corsOrigins = config.http?.corsOrigins;
  const subscriptions = startSubscriptionServer({
    httpServer,
    endpoints: [
      { path: '/graphql', schema: publicSchema },
      { path: '/internal/graphql', schema: internalSchema, admit: (viewer) => viewer.kind === 'agent' || viewer.kind === 'integration' },
    ],
    // a browser page of another origin must not open a socket either when origins are configured
    allowOrigin: corsOrigins && !corsOrigins.includes('*') ? (origin) => corsOrigins.includes(origin) : undefined,
    rootEm: orm.em,
    verify,
    contextOptions: { now: opts.now, settings: config.support, events, mailer, attachmentLinks },
    eventLog,
    operationLimits: limits.subscriptions,
    implementation: opts.subscriptionServer,
    rateLimit: (req, build) => limits.admit(req, build),
  });
  // before /graphql, which would take the path as its own
  app.use('/graphql/stream', express.json({ limit: '1mb' }), subscriptions.sse);

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(publicApollo, {
      context: async ({ req }) =>
        limits.admit(req, async () => {
          const acceptLanguage = languageOf(req);
          return localized(createContext(orm.em, await viewerFrom(req.headers.authorization), { ...contextOptions(), acceptLanguage }));
        }),
    }),
  );
  app.use(
    '/internal/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(internalApollo, {
      context: async ({ req }) => limits.admit(req, async () => {
        const acceptLanguage = languageOf(req);
        const viewer = await viewerFrom(req.headers.authorization);
        if (viewer.kind === 'anonymous') throw unauthenticated();
        if (viewer.kind === 'customer') {
          const error = forbidden(ForbiddenReason.NOT_STAFF, 'The internal API is for support agents and integrations.');
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 403 } } });
        }
        return localized(createContext(orm.em, viewer, { ...contextOptions(), acceptLanguage }));
      }),
    }),
  );

  // any other path: a JSON 404, not Express's HTML page
  app.use(notFoundHandler());
  // errors outside GraphQL (malformed JSON bodies, a throwing route): JSON, no stack traces
  app.use(httpErrorHandler(logger));


  // RT-4: with REDIS_URL, a commit wakes the other instances at once (without it, or while Redis is down, they poll the log)
  await eventLog.start();
  const redisBridge = config.redisUrl
    ? bridgeToRedis(events, config.redisUrl, {
        namespace: config.redisNamespace ?? 'hub',
        log: (message) => logger.warn({ component: 'redis-bridge' }, message),
        wake: () => eventLog.wake(),
        catchUp: () => eventLog.catchUp(),
      })
    : undefined;
  if (redisBridge) eventLog.onAppended(() => redisBridge.announce());
  await redisBridge?.ready.catch(() => undefined);
  await limits.ready;

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const inboundSmtp = mail.inboundSmtpPort !== undefined ? await startInboundSmtp(inbound, { port: mail.inboundSmtpPort, domain: mail.domain, onOutcome: countInbound }) : undefined;
  delivery.start();
  const port = (httpServer.address() as AddressInfo).port;
  if (mail.publicUrlFromPort) mailer.identity.publicUrl = attachmentLinks.publicUrl = `http://localhost:${port}`;

  // a job that failed because the database is down is part of the outage, logged once (`availability`)
  const jobFailed = (message: string) => (error: unknown) => {
    if (isDatabaseUnavailable(error)) availability.failed(error);
    else logger.error({ err: error }, message);
  };
  // PREF-5: apply due preference changes; safe with any number of instances (rows are claimed)
  const preferenceInterval = opts.preferenceJobIntervalMs ?? 60_000;
  const preferenceTimer = preferenceInterval > 0
    ? setInterval(() => {
        applyDuePreferenceChanges(orm.em, opts.now?.() ?? new Date()).catch(jobFailed('preference job failed'));
        // FUP-3: staged uploads never linked are removed after their expiry
        uploads.sweepExpired().catch(jobFailed('staged upload sweep failed'));
        delivery.purgeDelivered().catch(jobFailed('outbox purge failed'));
        purgeWebhookLog(orm.em.fork(), now()).catch(jobFailed('webhook log purge failed'));
      }, preferenceInterval)
    : undefined;
  preferenceTimer?.unref();
  // event log retention: every instance prunes; two at once delete the same rows once
  const pruneTimer = setInterval(() => {
    eventLog.prune().catch((error) => logger.error({ err: error }, 'event log pruning failed'));
  }, EVENT_LOG_PRUNE_INTERVAL_MS);
  pruneTimer.unref();
  const url = `http://localhost:${port}/graphql`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    orm,
    httpServer,
    events,
    eventLog,
    subscriptions,
    delivery,
    inbound,
    webhooks: {
      async idle() {
        while (producing.size) await Promise.allSettled([...producing]);
      },
    },
    inboundSmtpPort: inboundSmtp?.port,
    attachmentLinks,
    executor: { kind: executorKind, compiledOperations: () => gateways.reduce((sum, gateway) => sum + gateway.stats().compiled, 0) },
    drain() {
      draining = true;
    },
    close() {
      closing ??= (async () => {
        draining = true;
        if (preferenceTimer) clearInterval(preferenceTimer);
        clearInterval(pruneTimer);
        await inboundSmtp?.close();
        await subscriptions.close();
        await redisBridge?.close();
        await eventLog.stop();
        await Promise.all([publicApollo.stop(), internalApollo.stop()]);
        await limits.close();
        stopWebhooks();
        await Promise.allSettled([...producing]);
        await delivery.stop();
        emailSender.close();
        unwatchConnections();
        if (!opts.orm) await orm.close(true);
      })();
      return closing;
    },
  };
}
