import { GraphQLError, getOperationAST, subscribe, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { TOKEN_HEADER_KEY, TOKEN_QUERY_KEY } from 'graphql-sse';
import { createHandler } from 'graphql-sse/lib/use/express';
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Context } from '../context';
import { subscriptionsOnly } from './graphql-ws-fork';

/** What the SSE endpoint shares with the WebSocket server (src/realtime/ws-server.ts). */
export interface SseCore<A> {
  schema: GraphQLSchema;
  /** The limited, shared parse and validation of subscription documents. */
  parse: (query: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  /** The caller of an `Authorization` header value (false: bad or unknown token), as at `connection_init`. */
  authenticate: (params: Record<string, unknown>) => Promise<{ auth: A; expiresAt: number; key: string } | false>;
  /** A subscription's context (its `renew` gives every event a fresh one, RT-3). */
  contextFor: (auth: A) => Promise<Context>;
  /** The input checks of the variables and text arguments (src/edge/input.ts), as over HTTP and the socket. */
  checkInput: (document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined) => readonly GraphQLError[];
  /** Errors sent to the caller pass through this (no "Did you mean …" for anonymous callers). */
  formatErrors: (auth: A, errors: readonly GraphQLError[]) => readonly GraphQLError[];
  /** The HTTP rate limit (src/limits): counts the operation against its caller. */
  admit?: (req: Request, build: () => Promise<Context>) => Promise<Context>;
  maxSubscriptionsPerStream: number;
  isClosing: () => boolean;
}

export interface SseEndpoint {
  handler: RequestHandler;
  /** Open event streams and the subscriptions delivering over them (metrics); subscriptions started since the start. */
  stats(): { streams: number; subscriptions: number; started: number };
  /** Ends every open event stream (clients reconnect elsewhere). */
  close(): void;
}

/** The log id a `next` message's result carries (`{ data: { ticketUpdated: { eventId } } }`), if any. */
function eventIdOf(message: string): string | undefined {
  const start = message.indexOf('data: ');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start + 6)) as { data?: Record<string, { eventId?: unknown } | null> | null };
    const root = parsed.data ? Object.values(parsed.data)[0] : undefined;
    const id = root?.eventId;
    return typeof id === 'string' && /^\d+$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * graphql-sse (2.6) writes no `id:` field: this adds one to each `next` message whose result carries
 * a log id, so that an EventSource (or any SSE client) sends it back as `Last-Event-ID` when it
 * reconnects, and the subscription resumes there.
 */
function withEventIds(res: Response): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('event: next\n')) {
      const id = eventIdOf(chunk);
      if (id) return write(`id: ${id}\n${chunk}`, ...rest);
    }
    return write(chunk, ...rest);
  }) as Response['write'];
}

/** graphql-sse wants an indexable context type; ours is the same object. */
type SseContext = Context & Record<PropertyKey, unknown>;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function refusal(status: number, error: GraphQLError, headers: Record<string, string> = {}): [string, { status: number; statusText: string; headers: Record<string, string> }] {
  return [JSON.stringify({ errors: [error.toJSON()] }), { status, statusText: status === 401 ? 'Unauthorized' : status === 429 ? 'Too Many Requests' : 'Service Unavailable', headers: { ...JSON_HEADERS, ...headers } }];
}

/**
 * GraphQL subscriptions over Server-Sent Events (`graphql-sse`'s own handler, both of its modes:
 * distinct connections — one event stream per subscription, `GET` or `POST` with
 * `Accept: text/event-stream` — and single connection — a stream reserved with `PUT`, opened with
 * `GET`, operations `POST`ed with its token). For dashboards behind proxies that drop WebSockets.
 *
 * Everything else is the WebSocket's: the same authentication (the `Authorization` header, as over
 * HTTP; a bad token is refused with 401 UNAUTHENTICATED), the same contexts (a fresh one per event,
 * so access is re-checked at every event, RT-3), the same operation limits (parse, depth, aliases),
 * at most as many subscriptions per stream as per socket, subscriptions only, and the HTTP rate
 * limit per operation. A single-connection stream belongs to the caller who reserved it: its token
 * is kept per caller, so another caller's operations cannot be sent to it. The token's expiry ends
 * the stream. Reservations live on the instance that took them (a load balancer must keep a
 * client's requests on one instance in that mode; distinct connections need nothing).
 */
export function createSseEndpoint<A>(core: SseCore<A>): SseEndpoint {
  const callers = new WeakMap<object, { auth: A; expiresAt: number }>();
  const streamOf = new WeakMap<object, string>();
  const perStream = new Map<string, number>();
  const openStreams = new Set<Response>();
  let subscriptions = 0;
  let started = 0;

  /** The subscription's event stream, counted while it runs. */
  function counted(source: AsyncGenerator<unknown>, stream: string): AsyncGenerator<unknown> {
    let ended = false;
    subscriptions++;
    started++;
    perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
    const end = () => {
      if (ended) return;
      ended = true;
      subscriptions--;
      const left = (perStream.get(stream) ?? 1) - 1;
      if (left > 0) perStream.set(stream, left);
      else perStream.delete(stream);
    };
    const wrapped = {
      async next() {
        const step = await source.next();
        if (step.done) end();
        return step;
      },
      async return(value) {
        end();
        return source.return(value);
      },
      async throw(error) {
        end();
        return source.throw(error);
      },
      [Symbol.asyncIterator]() {
        return wrapped;
      },
    } as AsyncGenerator<unknown>;
    return wrapped;
  }

  const contextOfRequest = new WeakMap<Request, Context>();
  const handle = createHandler<SseContext>({
    schema: core.schema,
    async authenticate(req) {
      const raw = req.raw as Request;
      const header = raw.headers.authorization;
      // LANG-1: the stream's language from its request's Accept-Language, as over HTTP and WebSocket
      const language = raw.headers['accept-language'];
      const accepted = await core.authenticate({ ...(header ? { authorization: header } : {}), ...(typeof language === 'string' ? { acceptLanguage: language } : {}) });
      if (!accepted) return refusal(401, new GraphQLError('Invalid or unknown token.', { extensions: { code: 'UNAUTHENTICATED' } }));
      callers.set(raw, accepted);
      // the token's expiry ends an event stream (as it closes a socket with 4403); the client signs in again
      const res = (req.context as { res: Response }).res;
      if (raw.headers.accept === 'text/event-stream' && Number.isFinite(accepted.expiresAt)) {
        const expiry = setTimeout(() => res.end(), Math.max(0, accepted.expiresAt - Date.now()));
        res.once('close', () => clearTimeout(expiry));
      }
      // a reserved stream is the caller's own: its key joins the caller to the client's token
      const url = new URL(raw.originalUrl ?? raw.url, 'http://localhost/');
      const token = raw.headers[TOKEN_HEADER_KEY] ?? url.searchParams.get(TOKEN_QUERY_KEY);
      // (the token a reservation hands out already carries the caller's key; a token of another caller never matches)
      const own = `${accepted.key}|`;
      const stream = typeof token === 'string' && token ? (token.startsWith(own) ? token : own + token) : own + randomUUID();
      streamOf.set(raw, stream);
      return stream;
    },
    onConnect() {
      if (core.isClosing()) return refusal(503, new GraphQLError('The server is shutting down; reconnect.', { extensions: { code: 'SERVICE_UNAVAILABLE' } }));
      return undefined;
    },
    async onSubscribe(req, params) {
      const raw = req.raw as Request;
      const caller = callers.get(raw)!;
      const stream = streamOf.get(raw)!;
      if ((perStream.get(stream) ?? 0) >= core.maxSubscriptionsPerStream) {
        return { data: null, errors: [new GraphQLError(`At most ${core.maxSubscriptionsPerStream} subscriptions per connection.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })] };
      }
      const refuse = (errors: readonly GraphQLError[]) => ({ data: null, errors: [...core.formatErrors(caller.auth, errors)] });
      let document: DocumentNode;
      try {
        document = core.parse(params.query ?? '');
      } catch (error) {
        if (error instanceof GraphQLError) return refuse([error]);
        throw error;
      }
      const invalid = core.validate(core.schema, document);
      if (invalid.length) return refuse(invalid);
      const ast = getOperationAST(document, params.operationName);
      if (!ast) return refuse([new GraphQLError('Unable to identify operation')]);
      if (ast.operation !== 'subscription') return refuse([subscriptionsOnly(ast.operation)]);
      // variables that do not fit, unstorable text: BAD_USER_INPUT before anything runs
      const badInput = core.checkInput(document, params.operationName, params.variables);
      if (badInput.length) return refuse(badInput);
      let contextValue: Context;
      try {
        contextValue = core.admit ? await core.admit(raw, () => core.contextFor(caller.auth)) : await core.contextFor(caller.auth);
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions?.code === 'RATE_LIMITED') {
          const retryAfterMs = Number((error.extensions as { retryAfterMs?: number }).retryAfterMs ?? 0);
          return refusal(429, error, retryAfterMs ? { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } : {});
        }
        throw error;
      }
      // a ticket subscription resumes after the stream's Last-Event-ID (what EventSource sends on reconnect)
      const lastEventId = raw.headers['last-event-id'];
      if (typeof lastEventId === 'string') contextValue.lastEventId = lastEventId;
      streamOf.set(contextValue, stream);
      contextOfRequest.set(raw, contextValue);
      const args: ExecutionArgs = { schema: core.schema, document, contextValue, variableValues: params.variables, operationName: params.operationName };
      return args as never;
    },
    // LANG-1: every event says which language its texts are in (the context is renewed per event)
    onNext(_ctx, req, result) {
      const contextValue = contextOfRequest.get(req.raw as Request);
      return contextValue ? { ...result, extensions: { ...result.extensions, language: contextValue.locale } } : undefined;
    },
    async subscribe(args) {
      const result = await subscribe(args);
      const stream = streamOf.get(args.contextValue as object);
      return (Symbol.asyncIterator in result && stream ? counted(result, stream) : result) as Awaited<ReturnType<typeof subscribe>>;
    },
  });

  const handler: RequestHandler = (req, res, next) => {
    if (req.headers.accept === 'text/event-stream') {
      openStreams.add(res);
      res.once('close', () => openStreams.delete(res));
      // a stream of one operation (distinct connections mode): its events carry their ids
      if (!req.headers[TOKEN_HEADER_KEY] && !req.query?.[TOKEN_QUERY_KEY]) withEventIds(res);
    }
    handle(req, res).then(() => undefined, next);
  };

  return {
    handler,
    stats: () => ({ streams: openStreams.size, subscriptions, started }),
    close() {
      for (const res of openStreams) res.end();
    },
  };
}
