import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type Source } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';
import { bearerToken, TokenError, type VerifiedToken } from '../auth/token';
import { ANONYMOUS, resolveViewer, type Viewer } from '../auth/viewer';
import { DEFAULT_SUPPORT_SETTINGS } from '../config';
import { createContext, type Context } from '../context';
import { resolveSubscriptionPayloadsDirectly } from '../resolvers/public/realtime.resolver';
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

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
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
  /** Open sockets and active subscriptions (for metrics). */
  stats(): { connections: number; subscriptions: number };
  /** The WebSocket server (tests reach the server side of a socket through it). */
  readonly wss: WebSocketServer;
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

/**
 * GraphQL subscriptions over WebSocket on the HTTP server (public schema), `graphql-transport-ws`
 * protocol (src/realtime/protocol.ts). Auth at connection_init from `connectionParams.authorization`:
 * a bad or unknown token closes with 4403, no init within the timeout closes with 4408, and the
 * token's expiry ends the connection (4403). Every subscription gets its own context, and every event
 * a brand-new one through `renew` (the viewer re-read from the database, so a role change or removed
 * access applies at the next event, RT-3). Robustness: ping keep-alive with reaping, a per-connection
 * send-buffer limit (1013), graceful close (1001 after in-flight deliveries). See docs/realtime.md.
 */
export function startSubscriptionServer(opts: SubscriptionServerOptions): SubscriptionServer {
  resolveSubscriptionPayloadsDirectly(opts.schema);
  const runtime: RealtimeRuntime = {
    inflight: new InflightDeliveries(),
    queues: new QueueFanout(opts.rootEm, opts.contextOptions?.settings ?? DEFAULT_SUPPORT_SETTINGS),
  };
  // one clock function for every context (createContext would make one per context)
  const contextOptions = { ...opts.contextOptions, now: opts.contextOptions?.now ?? (() => new Date()) };
  const maxSendBuffer = opts.maxSendBufferBytes ?? MAX_SEND_BUFFER_BYTES;
  const documents = sharedDocuments(opts.operationLimits?.parse ?? parse, opts.operationLimits?.validate ?? validate);
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

  const protocol = new ProtocolServer<ConnectionAuth>({
    ws: { server: opts.httpServer, path: opts.path, maxPayload: MAX_INCOMING_MESSAGE_BYTES },
    schema: opts.schema,
    // the HTTP endpoints' operation limits apply to subscriptions too (docs/limits.md)
    // (parsed and validated once per distinct query: thousands of subscribers share one document)
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
        if (verified && !(await resolveViewer(opts.rootEm.fork({ clear: true }), verified))) return false;
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
    beforeNext: (connection) => {
      // a client that does not read: close it rather than buffer without bound
      if (connection.socket.bufferedAmount <= maxSendBuffer) return true;
      connection.close(SLOW_CONSUMER_CLOSE_CODE, 'Client does not read fast enough');
      return false;
    },
    context: (connection) => contextFor(connection.auth!),
    onInternalError: (error) => console.error('Internal error in the subscription server', error),
  });

  let closed: Promise<void> | undefined;
  return {
    wss: protocol.wss,
    stats() {
      return { connections: protocol.wss.clients.size, subscriptions: protocol.operationCount() };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        await runtime.inflight.idle(opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await protocol.dispose();
      })();
      return closed;
    },
  };
}
