import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type Source } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { bearerToken, TokenError, type VerifiedToken } from '../auth/token';
import { ANONYMOUS, resolveViewer, type Viewer } from '../auth/viewer';
import { DEFAULT_SUPPORT_SETTINGS } from '../config';
import { createContext, type Context } from '../context';
import { checkOperationInput } from '../edge/input';
import { suggestionFree } from '../edge/suggestions';
import { resolveSubscriptionPayloadsDirectly } from '../resolvers/subscription-payloads';
import { InflightDeliveries } from './inflight';
import { ProtocolServer } from './protocol';
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
}

/** One schema's subscriptions on one path of the HTTP server. */
export interface SubscriptionEndpoint {
  path: string;
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
}

export interface SubscriptionServer {
  /** Open sockets and active subscriptions over every path (for metrics). */
  stats(): { connections: number; subscriptions: number };
  /**
   * What the server has done and is doing, over every path, for tests and diagnostics: `started`
   * counts the subscriptions whose event stream is open (each then gets every event published
   * after it), since the server started, and never decreases; `delivering` is the number of events
   * queued for or being delivered to subscribers now (0: every event published so far was sent or
   * skipped).
   */
  activity(): { started: number; delivering: number };
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
 * `/internal/graphql` internal), `graphql-transport-ws` protocol (src/realtime/protocol.ts). One
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
  const contextOf = (base: Context, viewer: Viewer, requestId: string, auth: ConnectionAuth): Context => ({
    em: base.em,
    viewer,
    loaders: base.loaders,
    requestId,
    now: base.now,
    settings: base.settings,
    events: base.events,
    uploads: base.uploads,
    preferenceLinkKey: base.preferenceLinkKey,
    renew: auth.renew,
    realtime: runtime,
  });

  async function contextFor(auth: ConnectionAuth, eventId?: string): Promise<Context> {
    if (eventId) {
      const scope = scopeOf(eventId);
      const viewer = auth.viewerKey ? ((await scope.viewers.load(auth.viewerKey)) ?? ANONYMOUS) : ANONYMOUS;
      return contextOf(scope.base, viewer, randomUUID(), auth);
    }
    const base = createContext(opts.rootEm, await viewerOf(auth.token), contextOptions);
    return contextOf(base, base.viewer, base.requestId, auth);
  }

  /** The protocol server of one path: everything a path needs, the same for every path. */
  function endpoint({ schema, admit }: SubscriptionEndpoint): ProtocolServer<ConnectionAuth> {
    resolveSubscriptionPayloadsDirectly(schema);
    // parsed and validated once per distinct query: thousands of subscribers share one document
    const documents = sharedDocuments(operationLimits.parse, operationLimits.validate);
    return new ProtocolServer<ConnectionAuth>({
      ws: { noServer: true, maxPayload: MAX_INCOMING_MESSAGE_BYTES },
      schema,
      // the HTTP endpoints' operation limits apply to subscriptions too (docs/limits.md)
      parse: documents.parse,
      validate: documents.validate,
      connectionInitTimeoutMs: opts.connectionInitTimeoutMs ?? CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: opts.keepAliveMs ?? KEEP_ALIVE_MS,
      onConnect: async (connection, params) => {
        if (closing) {
          connection.close(1001, 'Going away');
          return false;
        }
        const raw = params?.authorization;
        try {
          const bearer = typeof raw === 'string' ? bearerToken(raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
          const verified = bearer ? await opts.verify(bearer) : null;
          const viewer = verified ? await resolveViewer(opts.rootEm.fork({ clear: true }), verified) : ANONYMOUS;
          if (!viewer) return false;
          if (admit && !admit(viewer)) return false;
          // the token's expiry ends the connection (checked by the protocol's sweep and before each message)
          if (verified?.expiresAt) connection.expiresAt = verified.expiresAt.getTime();
          const token = verified && { subject: verified.subject, scopes: verified.scopes };
          const auth: ConnectionAuth = { token, viewerKey: token && viewerKeyOfToken(token), renew: (eventId) => contextFor(auth, eventId) };
          return auth;
        } catch (error) {
          if (error instanceof TokenError || error instanceof GraphQLError) return false; // 4403 Forbidden
          throw error;
        }
      },
      onSubscribe: (connection) => {
        // the new subscription is counted already
        if (connection.operationCount > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        return undefined;
      },
      // variables that do not fit, unstorable text: BAD_USER_INPUT before anything runs, as over HTTP
      onOperation: (_connection, { document, operationName, variables }) => withoutHttp(checkOperationInput(schema, document, operationName, variables)),
      // anonymous sockets get no "Did you mean …" (validation and variable errors)
      formatErrors: (connection, errors) => (connection.auth?.token ? errors : suggestionFree(errors)),
      beforeNext: (connection) => {
        // a client that does not read: close it rather than buffer without bound
        if (connection.socket.bufferedAmount <= maxSendBuffer) return true;
        connection.close(SLOW_CONSUMER_CLOSE_CODE, 'Client does not read fast enough');
        return false;
      },
      context: (connection) => contextFor(connection.auth!),
      onInternalError: (error) => console.error('Internal error in the subscription server', error),
    });
  }

  const protocols = new Map(opts.endpoints.map((e) => [e.path, endpoint(e)] as const));
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
    stats() {
      let connections = 0;
      let subscriptions = 0;
      for (const protocol of all) {
        connections += protocol.wss.clients.size;
        subscriptions += protocol.operationCount();
      }
      return { connections, subscriptions };
    },
    activity() {
      let started = 0;
      for (const protocol of all) started += protocol.startedOperations;
      return { started, delivering: runtime.inflight.size };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        opts.httpServer.off('upgrade', onUpgrade);
        await runtime.inflight.idle(opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await Promise.all(all.map((protocol) => protocol.dispose()));
      })();
      return closed;
    },
  };
}
