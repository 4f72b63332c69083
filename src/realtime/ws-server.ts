import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type Source } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Request, RequestHandler } from 'express';
import { makeServer, type Context as WsContext } from 'graphql-ws';
import { getOperationAST } from 'graphql';
import { bearerToken, TokenError, type VerifiedToken } from '../auth/token';
import { ANONYMOUS, resolveViewer, type Viewer } from '../auth/viewer';
import { DEFAULT_SUPPORT_SETTINGS } from '../config';
import { createContext, localeFor, type Context } from '../context';
import { localizeErrorMessage, translator, type Locale } from '../i18n';
import { checkOperationInput } from '../edge/input';
import { suggestionFree } from '../edge/suggestions';
import type { EventLog } from './event-log';
import { InflightDeliveries } from './inflight';
import { serveGraphqlWs, type SocketExtra } from './graphql-ws-adapter';
import { ProtocolServer, subscriptionsOnly } from './graphql-ws-fork';
import { createSseEndpoint } from './sse-server';
import { QueueFanout } from './queue-fanout';
import type { RealtimeRuntime } from './runtime';
import { viewerKeyOfToken, viewerLoader, type ViewerKey } from './viewers';

/** At most this many active subscriptions per connection; the next one is refused with an error. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
/** A socket that never sends connection_init is closed with 4408 after this long. */
export const CONNECTION_INIT_TIMEOUT_MS = 10_000;
/** Keep-alive: the server pings this often; a socket that has not answered by the next ping is terminated. */
export const KEEP_ALIVE_MS = 12_000;
/**
 * A connection whose unsent data exceeds this (ws `bufferedAmount`) does not read fast enough: it is
 * closed with 1013 (Try Again Later; graphql-ws clients retry it) instead of growing server memory.
 */
export const MAX_SEND_BUFFER_BYTES = 1024 * 1024;

/**
 * The largest message a client may send, as for an HTTP request body (1 MB). ws's own default is
 * 100 MiB, which a single socket could use to make the server buffer and parse that much; a larger
 * message closes the socket with 1009 (Message Too Big).
 */
export const MAX_INCOMING_MESSAGE_BYTES = 1024 * 1024;
/** Close code for a client that does not read its messages (RFC 6455 1013 "Try Again Later"). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;
/** At most this many events keep their shared per-event context at a time (see `scopeOf`). */
const KEPT_EVENT_SCOPES = 64;
/** Graceful shutdown waits at most this long for in-flight deliveries before closing sockets (1001). */
export const SHUTDOWN_GRACE_MS = 5_000;

/** What a connection knows about its caller: the verified token (null: anonymous) and its viewer key. */
interface ConnectionAuth {
  token: VerifiedToken | null;
  viewerKey: ViewerKey | null;
  /** The connection's `renew` (one per connection, shared by its subscriptions' contexts). */
  renew: (eventId?: string) => Promise<Context>;
  /**
   * LANG-1: `connectionParams.acceptLanguage` (or `accept-language`), else the upgrade request's
   * `Accept-Language`; each event's context resolves its language from it and that event's viewer.
   */
  acceptLanguage: string | undefined;
  /** The language of the connection's own messages (errors), as resolved at `connection_init`. */
  locale: Locale;
}

/** The language a client asked for in `connectionParams`, if any. */
function acceptLanguageParam(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.acceptLanguage ?? params?.['accept-language'] ?? params?.language;
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

/** Errors whose code has a catalog text, in `locale` (src/i18n/errors.ts). */
function localizedErrors(errors: readonly GraphQLError[], locale: Locale): readonly GraphQLError[] {
  return errors.map((error) => {
    const message = localizeErrorMessage(locale, error.extensions?.code, error.extensions?.reason);
    return message === undefined ? error : new GraphQLError(message, { nodes: error.nodes, path: error.path, originalError: error.originalError, extensions: error.extensions });
  });
}

/** One schema's subscriptions on one path of the HTTP server. */
export interface SubscriptionEndpoint {
  path: string;
  /** A schema as `buildPublicSchema` / `buildInternalSchema` make it (its subscription roots only unwrap payloads). */
  schema: GraphQLSchema;
  /**
   * Which signed-in callers may connect (checked at `connection_init`, refused with 4403); anonymous
   * callers are admitted only without it (the public path: its fields say who may subscribe).
   */
  admit?: (viewer: Viewer) => boolean;
}

export interface SubscriptionServerOptions {
  httpServer: Server;
  /** The paths served (the public and the internal schema), each with its own schema. */
  endpoints: readonly SubscriptionEndpoint[];
  /**
   * Browser origins allowed to open a socket (`CORS_ORIGINS`); a handshake whose `Origin` is not listed
   * is refused with 403. Undefined: any origin (bearer tokens, never cookies, authenticate the socket).
   */
  allowOrigin?: (origin: string) => boolean;
  rootEm: EntityManager;
  verify: (token: string) => Promise<VerifiedToken>;
  /** Everything else a context carries (clock, settings, event bus). */
  contextOptions: Parameters<typeof createContext>[2];
  /** Defaults to CONNECTION_INIT_TIMEOUT_MS. */
  connectionInitTimeoutMs?: number;
  /** Defaults to KEEP_ALIVE_MS; 0 turns pings off. */
  keepAliveMs?: number;
  /** Defaults to MAX_SEND_BUFFER_BYTES. */
  maxSendBufferBytes?: number;
  /** Defaults to SHUTDOWN_GRACE_MS. */
  shutdownGraceMs?: number;
  /** Operation limits (src/limits): token limit at parse, depth/alias/directive rules at validation. */
  operationLimits?: { parse: typeof parse; validate: typeof validate };
  /** Which protocol server: the fork of graphql-ws's server (default, src/realtime/graphql-ws-fork.ts) or graphql-ws's own `makeServer` (the bench's comparison, docs/realtime.md). */
  implementation?: SubscriptionServerImplementation;
  /** The durable event log (resumable subscriptions replay from it). */
  eventLog?: EventLog;
  /** The HTTP rate limit, for operations sent over SSE (HTTP requests). */
  rateLimit?: (req: Request, build: () => Promise<Context>) => Promise<Context>;
}

export type SubscriptionServerImplementation = 'graphql-ws' | 'fork';

export interface SubscriptionServer {
  /** Open sockets and their active subscriptions over every path; open SSE streams and theirs (for metrics). */
  stats(): { connections: number; subscriptions: number; sseStreams: number; sseSubscriptions: number };
  /**
   * What the server has done and is doing, over every path and SSE, for tests and diagnostics:
   * `started` counts the subscriptions whose event stream is open (each then gets every event
   * published after it), since the server started, and never decreases; `delivering` is the number
   * of events queued for or being delivered to subscribers now (0: every event published so far was
   * sent or skipped).
   */
  activity(): { started: number; delivering: number };
  /** `/graphql/stream`: the first (public) path's subscriptions over Server-Sent Events (src/realtime/sse-server.ts). */
  readonly sse: RequestHandler;
  /** The WebSocket server of the first (public) path (tests reach the server side of a socket through it). */
  readonly wss: WebSocketServer;
  /** The WebSocket server of each path. */
  readonly servers: ReadonlyMap<string, WebSocketServer>;
  /** Graceful: refuses new sockets, waits for in-flight deliveries (at most the grace), then closes every socket with 1001. */
  close(): Promise<void>;
}

/** How many distinct subscription queries keep their parsed document. */
const KEPT_DOCUMENTS = 500;

/**
 * Memory per subscription: graphql-ws parses every `subscribe` message, and each subscription would
 * hold its own AST (several KB) for its lifetime. Here identical query texts share one parsed,
 * immutable document, and a document's validation result is kept with it. Errors are not cached:
 * a refused query is parsed again next time.
 */
function sharedDocuments(parseWith: (source: string | Source) => DocumentNode, validateWith: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[]) {
  const parsed = new Map<string, DocumentNode>();
  const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    parse(source: string | Source): DocumentNode {
      const text = typeof source === 'string' ? source : source.body;
      let document = parsed.get(text);
      if (!document) {
        document = parseWith(source);
        parsed.set(text, document);
        if (parsed.size > KEPT_DOCUMENTS) parsed.delete(parsed.keys().next().value as string);
      }
      return document;
    },
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
      let errors = validated.get(document);
      if (!errors) validated.set(document, (errors = validateWith(schema, document)));
      return errors;
    },
  };
}

/** Answers a refused WebSocket handshake with a JSON body and closes the socket. */
function refuseUpgrade(socket: Duplex, status: 403 | 404, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** WebSocket errors carry no HTTP status. */
function withoutHttp(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) => {
    if (!error.extensions?.http) return error;
    const { http: _http, ...extensions } = error.extensions;
    return new GraphQLError(error.message, { nodes: error.nodes, extensions });
  });
}

/**
 * GraphQL subscriptions over WebSocket on the HTTP server, one path per schema (`/graphql` public,
 * `/internal/graphql` internal), `graphql-transport-ws` protocol (src/realtime/graphql-ws-fork.ts). One
 * upgrade handler routes the handshakes: an unknown path is a JSON 404, an `Origin` outside
 * `CORS_ORIGINS` a JSON 403. Every path is set up by `endpoint` below — the one place to change the
 * protocol server. Auth at connection_init from `connectionParams.authorization`: a bad or unknown
 * token (or a caller the path does not admit) closes with 4403, no init within the timeout closes
 * with 4408, and the token's expiry ends the connection (4403). Every subscription gets its own
 * context, and every event a brand-new one through `renew` (the viewer re-read from the database, so
 * a role change or removed access applies at the next event, RT-3). Before anything runs, a
 * subscription's variables and text arguments are checked as over HTTP (src/edge/input.ts), and
 * anonymous connections get no "Did you mean …" suggestions. Robustness: ping keep-alive with reaping,
 * a per-connection send-buffer limit (1013), graceful close (1001 after in-flight deliveries). See
 * docs/realtime.md.
 */
export function startSubscriptionServer(opts: SubscriptionServerOptions): SubscriptionServer {
  // one clock function for every context (createContext would make one per context)
  const contextOptions = { ...opts.contextOptions, now: opts.contextOptions?.now ?? (() => new Date()) };
  const runtime: RealtimeRuntime = {
    inflight: new InflightDeliveries(),
    queues: new QueueFanout(opts.rootEm, opts.contextOptions?.settings ?? DEFAULT_SUPPORT_SETTINGS, undefined, contextOptions.now),
    log: opts.eventLog,
  };
  const maxSendBuffer = opts.maxSendBufferBytes ?? MAX_SEND_BUFFER_BYTES;
  const operationLimits = { parse: opts.operationLimits?.parse ?? parse, validate: opts.operationLimits?.validate ?? validate };
  let closing = false;

  async function viewerOf(token: VerifiedToken | null): Promise<Viewer> {
    if (!token) return ANONYMOUS;
    return (await resolveViewer(opts.rootEm.fork({ clear: true }), token)) ?? ANONYMOUS;
  }

  /**
   * One fresh context per event, shared by this instance's subscribers of that event: one fork and
   * one set of loaders (data only, never per viewer), and the viewers re-read in one batch; each
   * subscriber gets its own copy with its own viewer (RT-3). The subscribers that are idle when the
   * event is published (nearly all) take it in the same turn of the event loop, so the scope is
   * forgotten at the end of that turn: a subscriber still busy with an older event builds its own
   * later. Kept longer, every scope (a fork with the entities it loaded) outlived a young-generation
   * GC, was copied into the old generation and made full GCs — each a pause a delivery waits behind
   * — more frequent.
   */
  const scopes = new Map<string, { base: Context; viewers: ReturnType<typeof viewerLoader> }>();
  function scopeOf(eventId: string) {
    let scope = scopes.get(eventId);
    if (!scope) {
      const base = createContext(opts.rootEm, ANONYMOUS, contextOptions);
      scope = { base, viewers: viewerLoader(base.em) };
      scopes.set(eventId, scope);
      if (scopes.size > KEPT_EVENT_SCOPES) scopes.delete(scopes.keys().next().value as string);
      setImmediate(() => scopes.delete(eventId));
    }
    return scope;
  }

  /** A context with every field set at once (one object shape, no properties added later). */
  const contextOf = (base: Context, viewer: Viewer, requestId: string, auth: ConnectionAuth): Context => {
    // LANG-1, once per event: the connection's language preference, else this event's viewer's
    const locale = localeFor(viewer, auth.acceptLanguage);
    return {
      em: base.em,
      viewer,
      loaders: base.loaders,
      requestId,
      locale,
      t: locale === base.locale ? base.t : translator(locale),
      now: base.now,
      settings: base.settings,
      events: base.events,
      uploads: base.uploads,
      preferenceLinkKey: base.preferenceLinkKey,
      renew: auth.renew,
      realtime: runtime,
    };
  };


  async function contextFor(auth: ConnectionAuth, eventId?: string): Promise<Context> {
    if (eventId) {
      const scope = scopeOf(eventId);
      const viewer = auth.viewerKey ? ((await scope.viewers.load(auth.viewerKey)) ?? ANONYMOUS) : ANONYMOUS;
      return contextOf(scope.base, viewer, randomUUID(), auth);
    }
    const base = createContext(opts.rootEm, await viewerOf(auth.token), contextOptions);
    return contextOf(base, base.viewer, base.requestId, auth);
  }

  /** connection_init (or an SSE request): the caller, or false (4403 / 401) for a bad or unknown token or a caller the path does not admit. */
  async function authenticate(
    params: Record<string, unknown> | undefined,
    admit: SubscriptionEndpoint['admit'],
    /** The transport request's `Accept-Language` (a WebSocket upgrade), used when the params name none. */
    headerLanguage?: string,
  ): Promise<{ auth: ConnectionAuth; expiresAt: number; key: string } | false> {
    const raw = params?.authorization;
    try {
      const bearer = typeof raw === 'string' ? bearerToken(raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
      const verified = bearer ? await opts.verify(bearer) : null;
      const viewer = verified ? await resolveViewer(opts.rootEm.fork({ clear: true }), verified) : ANONYMOUS;
      if (!viewer) return false;
      if (admit && !admit(viewer)) return false;
      const token = verified && { subject: verified.subject, scopes: verified.scopes };
      const acceptLanguage = acceptLanguageParam(params) ?? headerLanguage;
      const auth: ConnectionAuth = {
        token,
        viewerKey: token && viewerKeyOfToken(token),
        renew: (eventId) => contextFor(auth, eventId),
        acceptLanguage,
        locale: localeFor(viewer, acceptLanguage),
      };
      // the token's expiry ends the connection (checked by the sweep and before each message)
      return { auth, expiresAt: verified?.expiresAt?.getTime() ?? Infinity, key: auth.viewerKey ?? 'anonymous' };
    } catch (error) {
      if (error instanceof TokenError || error instanceof GraphQLError) return false; // 4403 Forbidden
      throw error;
    }
  }

  const tooMany = () => [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
  const onInternalError = (error: unknown) => console.error('Internal error in the subscription server', error);
  const wsOptions = { noServer: true, maxPayload: MAX_INCOMING_MESSAGE_BYTES };
  const keepAliveMs = opts.keepAliveMs ?? KEEP_ALIVE_MS;
  const connectionInitTimeoutMs = opts.connectionInitTimeoutMs ?? CONNECTION_INIT_TIMEOUT_MS;

  interface Transport {
    wss: WebSocketServer;
    subscriptions(): number;
    /** Subscriptions whose event stream was opened, since the start. */
    started(): number;
    dispose(): Promise<void>;
  }

  /**
   * The protocol server of one path: everything a path needs, the same for every path (the fork by
   * default; graphql-ws's own server for the bench's comparison).
   */
  function endpoint(e: SubscriptionEndpoint, documents: ReturnType<typeof sharedDocuments>): Transport {
    return opts.implementation === 'graphql-ws' ? graphqlWsTransport(e, documents) : forkTransport(e, documents);
  }

  /** The fork of graphql-ws's server (src/realtime/graphql-ws-fork.ts). */
  function forkTransport({ schema, admit }: SubscriptionEndpoint, documents: ReturnType<typeof sharedDocuments>): Transport {
    const protocol = new ProtocolServer<ConnectionAuth>({
      ws: wsOptions,
      schema,
      // the HTTP endpoints' operation limits apply to subscriptions too (docs/limits.md)
      parse: documents.parse,
      validate: documents.validate,
      connectionInitTimeoutMs,
      keepAliveMs,
      onConnect: async (connection, params) => {
        if (closing) {
          connection.close(1001, 'Going away');
          return false;
        }
        const accepted = await authenticate(params, admit, connection.acceptLanguage);
        if (!accepted) return false;
        connection.expiresAt = accepted.expiresAt;
        return accepted.auth;
      },
      // the new subscription is counted already
      onSubscribe: (connection) => (connection.operationCount > MAX_SUBSCRIPTIONS_PER_CONNECTION ? tooMany() : undefined),
      // variables that do not fit, unstorable text: BAD_USER_INPUT before anything runs, as over HTTP
      onOperation: (_connection, { document, operationName, variables }) => withoutHttp(checkOperationInput(schema, document, operationName, variables)),
      // anonymous sockets get no "Did you mean …" (validation and variable errors)
      // and error texts in the connection's language (LANG-1), as over HTTP
      formatErrors: (connection, errors) => localizedErrors(connection.auth?.token ? errors : suggestionFree(errors), connection.auth?.locale ?? localeFor(ANONYMOUS, connection.acceptLanguage)),
      // LANG-1: every event says which language its texts are in
      resultExtensions: (contextValue) => ({ language: (contextValue as Context).locale }),
      beforeNext: (connection) => {
        // a client that does not read: close it rather than buffer without bound
        if (connection.socket.bufferedAmount <= maxSendBuffer) return true;
        connection.close(SLOW_CONSUMER_CLOSE_CODE, 'Client does not read fast enough');
        return false;
      },
      context: (connection) => contextFor(connection.auth!),
      onInternalError,
    });
    return { wss: protocol.wss, subscriptions: () => protocol.operationCount(), started: () => protocol.startedOperations, dispose: () => protocol.dispose() };
  }

  /** graphql-ws's own server (`makeServer`) on our `ws` glue (src/realtime/graphql-ws-adapter.ts). */
  function graphqlWsTransport({ schema, admit }: SubscriptionEndpoint, documents: ReturnType<typeof sharedDocuments>): Transport {
    type Extra = SocketExtra<ConnectionAuth>;
    const contexts = new Set<WsContext<Record<string, unknown> | undefined, Extra>>();
    let started = 0;
    const server = makeServer<Record<string, unknown> | undefined, Extra>({
      schema,
      connectionInitWaitTimeout: connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        if (closing) {
          ctx.extra.socket.close(1001, 'Going away');
          return false;
        }
        const accepted = await authenticate(ctx.connectionParams, admit);
        if (!accepted) return false;
        ctx.extra.auth = accepted.auth;
        ctx.extra.expiresAt = accepted.expiresAt;
        contexts.add(ctx);
        return true;
      },
      onClose: (ctx) => {
        contexts.delete(ctx);
      },
      onSubscribe: (ctx, _id, payload) => {
        // the new subscription is counted already (graphql-ws reserves its id first)
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) return tooMany();
        let document: DocumentNode;
        try {
          // a query that does not parse is an `error` message (graphql-ws would close with 4500)
          document = documents.parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const invalid = documents.validate(schema, document);
        if (invalid.length) return invalid;
        const ast = getOperationAST(document, payload.operationName);
        // queries and mutations are answered over HTTP only, where the cost limit, budget and rate limits count them
        if (ast && ast.operation !== 'subscription') return [subscriptionsOnly(ast.operation)];
        const badInput = withoutHttp(checkOperationInput(schema, document, payload.operationName, payload.variables));
        if (badInput.length) return badInput;
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName };
      },
      onOperation: () => {
        started++;
      },
      // anonymous sockets get no "Did you mean …"
      onError: (ctx, _id, _payload, errors) => (ctx.extra.auth?.token ? undefined : suggestionFree(errors).map((error) => error.toJSON())),
      context: (ctx) => contextFor(ctx.extra.auth!),
    });
    const served = serveGraphqlWs(server, { keepAliveMs, maxSendBufferBytes: maxSendBuffer, ws: wsOptions, onInternalError });
    return {
      wss: served.wss,
      subscriptions() {
        let n = 0;
        for (const ctx of contexts) n += Object.keys(ctx.subscriptions).length;
        return n;
      },
      started: () => started,
      dispose: () => served.dispose(),
    };
  }

  // parsed and validated once per distinct query and schema: thousands of subscribers share one document
  const documentsOf = new Map(opts.endpoints.map((e) => [e.path, sharedDocuments(operationLimits.parse, operationLimits.validate)] as const));
  const protocols = new Map(opts.endpoints.map((e) => [e.path, endpoint(e, documentsOf.get(e.path)!)] as const));

  // the first (public) path's subscriptions over Server-Sent Events (graphql-sse): same auth, contexts, limits
  const [first] = opts.endpoints;
  const sse = createSseEndpoint({
    schema: first.schema,
    parse: documentsOf.get(first.path)!.parse,
    validate: documentsOf.get(first.path)!.validate,
    authenticate: (params) => authenticate(params, first.admit),
    contextFor: (auth) => contextFor(auth),
    checkInput: (document, operationName, variables) => withoutHttp(checkOperationInput(first.schema, document, operationName, variables)),
    formatErrors: (auth, errors) => (auth.token ? errors : suggestionFree(errors)),
    admit: opts.rateLimit,
    maxSubscriptionsPerStream: MAX_SUBSCRIPTIONS_PER_CONNECTION,
    isClosing: () => closing,
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const protocol = protocols.get(path);
    if (!protocol) return refuseUpgrade(socket, 404, 'NOT_FOUND', `No WebSocket endpoint at ${path}; subscriptions are at ${[...protocols.keys()].join(' and ')}.`);
    const origin = req.headers.origin;
    if (origin !== undefined && opts.allowOrigin && !opts.allowOrigin(origin)) {
      return refuseUpgrade(socket, 403, 'ORIGIN_NOT_ALLOWED', 'This origin may not open a WebSocket to this API (CORS_ORIGINS).');
    }
    protocol.wss.handleUpgrade(req, socket, head, (ws) => protocol.wss.emit('connection', ws, req));
  };
  opts.httpServer.on('upgrade', onUpgrade);

  const all = [...protocols.values()];
  let closed: Promise<void> | undefined;
  return {
    wss: all[0].wss,
    servers: new Map([...protocols].map(([path, protocol]) => [path, protocol.wss])),
    sse: sse.handler,
    stats() {
      let connections = 0;
      let subscriptions = 0;
      for (const protocol of all) {
        connections += protocol.wss.clients.size;
        subscriptions += protocol.subscriptions();
      }
      const streams = sse.stats();
      return { connections, subscriptions, sseStreams: streams.streams, sseSubscriptions: streams.subscriptions };
    },
    activity() {
      let started = 0;
      for (const protocol of all) started += protocol.started();
      return { started: started + sse.stats().started, delivering: runtime.inflight.size };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        opts.httpServer.off('upgrade', onUpgrade);
        await runtime.inflight.idle(opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        sse.close();
        await Promise.all(all.map((protocol) => protocol.dispose()));
      })();
      return closed;
    },
  };
}
