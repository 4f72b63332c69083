import type { IncomingMessage } from 'node:http';
import { createSourceEventStream, execute, getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, type SubscribeMessage } from 'graphql-ws';
import { WebSocket, WebSocketServer, type RawData, type ServerOptions } from 'ws';

/**
 * A FORK of graphql-ws's server (`makeServer` + `graphql-ws/use/ws`, graphql-ws 6.4): the server side
 * of the `graphql-transport-ws` protocol on a `ws` server, rewritten for many idle subscriptions per
 * instance. It keeps graphql-ws's protocol definitions (`parseMessage`, `MessageType`, `CloseCode`)
 * and its behaviour — graphql-ws's server test cases are ported in test/graphql-ws-fork.test.ts —
 * and exists because graphql-ws's own server, measured alone against it with the same delivery code
 * (bench/ws-servers.sh, docs/realtime.md "graphql-ws's server or the fork"), held ≈ 1.5× the memory
 * per idle subscription (18–20 KB against ≤ 20 KB) and fanned out ≈ 3× slower. What differs inside:
 *
 * - one small object per connection and one per operation, and no per-socket timers: keep-alive pings
 *   and token expiry run from one sweep per server (connections are pinged in the order they were last
 *   pinged, so the pings stay spread over the keep-alive period);
 * - a subscription holds its parsed document (shared between identical queries), variables, context
 *   and event stream, not the message it came in or its query text;
 * - per event, the stream's value is executed with graphql-js `execute` against the subscription's
 *   document, variables and context — the same execution `graphql-js` `subscribe` does — and the
 *   result is sent; the next event is taken once the socket accepted the message (one message per
 *   subscription at a time in the socket's send buffer); a push stream (src/realtime/delivery.ts)
 *   is served without a pending promise per idle subscription.
 *
 * Protocol behaviour as graphql-ws's server: close codes 4400 (invalid message), 4401 (subscribe
 * before acknowledgement), 4403 (refused at `connection_init`, or the connection's expiry passed),
 * 4406 (other subprotocol), 4408 (no `connection_init` in time), 4409 (operation id in use), 4429
 * (second `connection_init`), 4500 (unexpected server error); validation errors are an `error`
 * message; a subscription refused by its resolver is a `next` with the errors, then `complete`.
 * Differences: a query that does not parse gets an `error` message with the syntax error instead
 * of closing the socket with 4500; a message only a server sends (`connection_ack`, `next`, …)
 * closes with 4400 (graphql-ws: 4500); no hooks beyond what the hub uses (no `roots`, `onNext`,
 * `onOperation`, JSON reviver/replacer); and the socket carries subscriptions only — a query or
 * mutation gets an `error` message (`OPERATION_NOT_SUPPORTED`), since over HTTP the cost limit,
 * cost budget and rate limits count it and here nothing would.
 */

/** `extensions.code` of a query or mutation sent over the socket. */
export const OPERATION_NOT_SUPPORTED = 'OPERATION_NOT_SUPPORTED';

export function subscriptionsOnly(operation: string): GraphQLError {
  return new GraphQLError(`This WebSocket carries subscriptions only; send the ${operation} over HTTP (POST /graphql).`, {
    extensions: { code: OPERATION_NOT_SUPPORTED },
  });
}

export interface ProtocolOptions<A> {
  schema: GraphQLSchema;
  /** Parses a query text; a GraphQLError it throws is sent as an `error` message. */
  parse: (query: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  /** A socket that sends no `connection_init` within this is closed with 4408 (0: never). */
  connectionInitTimeoutMs: number;
  /** Ping period; a socket that has not answered a ping by the next one is terminated (0: no pings). */
  keepAliveMs: number;
  /**
   * `connection_init`: the connection's state, or false to refuse it (4403). It may set
   * `connection.expiresAt`; it may close the socket itself (then nothing is acknowledged).
   */
  onConnect: (connection: Connection<A>, params: Record<string, unknown> | undefined) => Promise<A | false>;
  /** A new operation, before its query is parsed: errors refuse it with an `error` message. */
  onSubscribe?: (connection: Connection<A>) => readonly GraphQLError[] | undefined;
  /**
   * A valid subscription, before its context is built or anything runs (input checks of the variables
   * and arguments): errors refuse it with an `error` message.
   */
  onOperation?: (connection: Connection<A>, operation: { document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> | null }) => readonly GraphQLError[] | undefined;
  /** Every `error` message's errors pass through this (e.g. suggestions hidden from anonymous callers). */
  formatErrors?: (connection: Connection<A>, errors: readonly GraphQLError[]) => readonly GraphQLError[];
  /** The context value of a new operation. */
  context: (connection: Connection<A>) => Promise<unknown>;
  /** Top-level `extensions` added to every `next` payload, from the operation's context (e.g. its language). */
  resultExtensions?: (contextValue: unknown) => Record<string, unknown> | undefined;
  /** Before each `next` message: false drops it (the hook closed the socket). */
  beforeNext?: (connection: Connection<A>) => boolean;
  /** The socket closed; its operations are ended already. */
  onClose?: (connection: Connection<A>) => void;
  /** An unexpected error in a message handler (the socket is closed with 4500). */
  onInternalError?: (error: unknown) => void;
  /** Passed to the `ws` server (`server`, `path`, `maxPayload`, …). */
  ws: ServerOptions;
}

const enum State {
  AwaitingInit,
  Initialising,
  Acknowledged,
}

/** Close reason of an expired connection (4403). */
export const EXPIRED_REASON = 'Token expired';

/** One WebSocket connection. */
export class Connection<A> {
  /** What `onConnect` returned; undefined until acknowledged. */
  auth: A | undefined;
  /** Epoch ms after which the connection is closed with 4403 (and nothing more is sent on it). */
  expiresAt = Infinity;
  /** @internal */ state = State.AwaitingInit;
  /** @internal */ operations: Map<string, Operation<A>> | undefined;
  /** @internal */ awaitingPong = false;
  /** @internal */ pingDueAt = 0;
  /** @internal */ initTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    /** @internal */ readonly server: ProtocolServer<A>,
    /** The upgrade request's `Accept-Language`, when it had one (LANG-1). */
    readonly acceptLanguage?: string,
  ) {}

  /** Active operations (subscriptions being set up or delivering). */
  get operationCount(): number {
    return this.operations?.size ?? 0;
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** @internal Sends `text`; `sent` is called once the socket took it. False (and no call) when the socket is not open. */
  write(text: string, sent: () => void): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(text, () => sent());
    return true;
  }

  /** @internal */
  send(text: string): Promise<void> | undefined {
    let resolve!: () => void;
    const sent = new Promise<void>((r) => (resolve = r));
    return this.write(text, resolve) ? sent : undefined;
  }

  /** @internal */
  receive(data: RawData): void {
    let message;
    try {
      message = parseMessage(String(data));
    } catch {
      return this.close(CloseCode.BadRequest, 'Invalid message received');
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return void this.init(message.payload ?? undefined).catch((error) => this.fail(error));
      case MessageType.Ping:
        void this.send(JSON.stringify(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong }));
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return void this.subscribe(message).catch((error) => this.fail(error));
      case MessageType.Complete:
        return this.operations?.get(message.id)?.stop();
      default:
        return this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private fail(error: unknown): void {
    this.server.options.onInternalError?.(error);
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }

  private async init(params: Record<string, unknown> | undefined): Promise<void> {
    if (this.state !== State.AwaitingInit) return this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
    this.state = State.Initialising;
    clearTimeout(this.initTimer);
    this.initTimer = undefined;
    const auth = await this.server.options.onConnect(this, params);
    if (auth === false) return this.close(CloseCode.Forbidden, 'Forbidden');
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.auth = auth;
    this.state = State.Acknowledged;
    await this.send(JSON.stringify({ type: MessageType.ConnectionAck }));
  }

  private async subscribe(message: SubscribeMessage): Promise<void> {
    if (this.state !== State.Acknowledged) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    const { id, payload } = message;
    const operations = (this.operations ??= new Map());
    if (operations.has(id)) return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    const operation = new Operation(this, id);
    operations.set(id, operation);
    const { options, schema } = this.server;
    try {
      const refused = options.onSubscribe?.(this);
      if (refused?.length) return void (await operation.error(refused));
      let document: DocumentNode;
      try {
        document = options.parse(payload.query);
      } catch (error) {
        if (error instanceof GraphQLError) return void (await operation.error([error]));
        throw error;
      }
      const invalid = options.validate(schema, document);
      if (invalid.length) return void (await operation.error(invalid));
      const ast = getOperationAST(document, payload.operationName);
      if (!ast) return void (await operation.error([new GraphQLError('Unable to identify operation')]));
      // queries and mutations are answered over HTTP only, where the cost limit, the cost budget and
      // the rate limits count them (docs/limits.md); the socket carries subscriptions
      if (ast.operation !== 'subscription') return void (await operation.error([subscriptionsOnly(ast.operation)]));
      const badInput = options.onOperation?.(this, { document, operationName: payload.operationName, variables: payload.variables });
      if (badInput?.length) return void (await operation.error(badInput));
      const contextValue = await options.context(this);
      if (!operation.active) return;
      const args: ExecutionArgs = { schema, document, contextValue, variableValues: payload.variables, operationName: payload.operationName };
      operation.args = args;
      const source = await createSourceEventStream(args);
      if (!isAsyncIterable(source)) {
        // the subscription was refused (resolver error, bad variables): the errors, then complete
        if (!operation.active) return;
        await operation.next(source);
        return void (await operation.complete());
      }
      const stream = isPushStream(source) ? source : source[Symbol.asyncIterator]();
      if (!operation.active) return void returnStream(stream, options.onInternalError);
      operation.start(args, stream);
    } catch (error) {
      operation.remove();
      throw error;
    }
  }

  /** @internal the socket closed: every operation ends (their streams are returned). */
  closed(): void {
    clearTimeout(this.initTimer);
    const operations = this.operations;
    this.operations = undefined;
    if (operations) for (const operation of operations.values()) operation.stop();
  }
}

/**
 * A subscription's event stream that pushes its values (src/realtime/delivery.ts) instead of being
 * pulled with `next()`: nothing is allocated per idle subscription to wait for the next event.
 */
export const PUSH_STREAM = Symbol('push stream');
export interface PushSink<T> {
  /** The next value; the sink calls the stream's `pull()` once it is sent. */
  push(value: T): void;
  /** No more values (after the last one was pulled, or the stream was returned). */
  end(): void;
}
export interface PushStream<T> {
  /** Switches the stream to push mode: values go to `sink`, one per `pull()`. */
  [PUSH_STREAM](sink: PushSink<T>): void;
  pull(): void;
  return?(): unknown;
}

function isPushStream(value: unknown): value is PushStream<unknown> {
  return typeof value === 'object' && value !== null && PUSH_STREAM in value;
}

/** One operation of a connection (usually a subscription). */
class Operation<A> implements PushSink<unknown> {
  active = true;
  args: ExecutionArgs | undefined;
  stream: AsyncIterator<unknown> | PushStream<unknown> | undefined;

  constructor(
    private readonly connection: Connection<A>,
    private readonly id: string,
  ) {}

  /** Delivers every event of the stream until it ends, fails, or the operation is stopped. */
  start(args: ExecutionArgs, stream: AsyncIterator<unknown> | PushStream<unknown>): void {
    this.args = args;
    this.stream = stream;
    this.connection.server.startedOperations++;
    if (isPushStream(stream)) {
      stream[PUSH_STREAM](this);
      stream.pull();
    } else void this.run(stream);
  }

  /** Push mode: one value of the stream, executed and sent; then the next is asked for. */
  push(value: unknown): void {
    if (!this.active) return;
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = execute({ ...this.args!, rootValue: value }) as ExecutionResult | Promise<ExecutionResult>;
    } catch (error) {
      return this.fail(error);
    }
    if (result instanceof Promise) result.then((r) => this.sendAndPull(r), (error) => this.fail(error));
    else this.sendAndPull(result);
  }

  private sendAndPull(result: ExecutionResult): void {
    if (!this.active) return;
    const stream = this.stream as PushStream<unknown>;
    const pull = () => {
      if (this.active) stream.pull();
    };
    if (!this.write(result, pull)) pull();
  }

  /** Push mode: the stream ended. */
  end(): void {
    if (this.active) void this.complete();
  }

  /** Execution failed unexpectedly: an `error` message, and the stream is returned. */
  private fail(error: unknown): void {
    if (!this.active) return;
    this.remove();
    returnStream(this.stream, this.connection.server.options.onInternalError);
    const original = error instanceof Error ? error : new Error(String(error));
    void this.error([new GraphQLError(original.message, { originalError: original })]);
  }

  /** Pull mode, for any other async iterator. */
  private async run(stream: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        const step = await stream.next();
        if (step.done || !this.active) break;
        const result = await execute({ ...this.args!, rootValue: step.value });
        if (!this.active) break;
        await this.next(result);
      }
      if (this.active) await this.complete();
    } catch (error) {
      if (!this.active) return;
      const original = error instanceof Error ? error : new Error(String(error));
      await this.error([new GraphQLError(original.message, { originalError: original })]);
    }
  }

  /** The client completed it, or the socket closed: no more messages; the stream is returned. */
  stop(): void {
    if (!this.active) return;
    this.remove();
    returnStream(this.stream, this.connection.server.options.onInternalError);
  }

  remove(): void {
    this.active = false;
    const operations = this.connection.operations;
    if (operations?.get(this.id) === this) operations.delete(this.id);
  }

  /** Sends a `next` message; `sent` is called once the socket took it. False when nothing was sent. */
  private write(result: ExecutionResult, sent: () => void): boolean {
    const connection = this.connection;
    if (Date.now() >= connection.expiresAt) {
      connection.close(CloseCode.Forbidden, EXPIRED_REASON);
      return false;
    }
    if (connection.server.options.beforeNext && !connection.server.options.beforeNext(connection)) return false;
    const extensions = this.args && connection.server.options.resultExtensions?.(this.args.contextValue);
    if (extensions) result = { ...result, extensions: { ...result.extensions, ...extensions } };
    return connection.write(`{"id":${JSON.stringify(this.id)},"type":"${MessageType.Next}","payload":${JSON.stringify(result)}}`, sent);
  }

  next(result: ExecutionResult): Promise<void> | undefined {
    let resolve!: () => void;
    const sent = new Promise<void>((r) => (resolve = r));
    return this.write(result, resolve) ? sent : undefined;
  }

  async error(errors: readonly GraphQLError[]): Promise<void> {
    this.remove();
    const format = this.connection.server.options.formatErrors;
    const payload = format ? format(this.connection, errors) : errors;
    await this.connection.send(JSON.stringify({ id: this.id, type: MessageType.Error, payload }));
  }

  async complete(): Promise<void> {
    this.remove();
    await this.connection.send(JSON.stringify({ id: this.id, type: MessageType.Complete }));
  }
}

/** Ends a stream; a `return` that throws or rejects is reported, never left as an unhandled rejection. */
function returnStream(stream: { return?: () => unknown } | undefined, report?: (error: unknown) => void): void {
  try {
    const returned = stream?.return?.();
    if (returned instanceof Promise) returned.catch((error: unknown) => report?.(error));
  } catch (error) {
    report?.(error);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function onSocketError(this: WebSocket): void {
  // ws closes the socket itself after a protocol error (e.g. 1009 for a message over maxPayload)
  if (this.readyState === WebSocket.OPEN) this.close(CloseCode.InternalServerError, 'Internal server error');
}

/**
 * How often the sweep runs: it pings the connections whose ping is due (a few each time, so the
 * keep-alive traffic of thousands of sockets is spread out rather than sent in bursts) and checks
 * the connections' expiry every `EXPIRY_CHECK_MS`.
 */
const SWEEP_MS = 20;
const EXPIRY_CHECK_MS = 1_000;

export class ProtocolServer<A> {
  readonly wss: WebSocketServer;
  readonly schema: GraphQLSchema;
  /** @internal */ readonly connections = new Map<WebSocket, Connection<A>>();
  /** Subscriptions started (their event stream is open) since the server started; never decreases. */
  startedOperations = 0;
  /** Connections in the order their next ping is due (a re-ping moves one to the end). */
  private readonly pingOrder = new Set<Connection<A>>();
  private readonly sweepTimer: NodeJS.Timeout;
  private lastExpiryCheck = 0;
  // ws calls a listener with the socket as `this`: one function of each kind for all sockets
  private readonly onMessage: (this: WebSocket, data: RawData) => void;
  private readonly onPong: (this: WebSocket) => void;
  private readonly onClose: (this: WebSocket) => void;

  constructor(readonly options: ProtocolOptions<A>) {
    this.schema = options.schema;
    this.wss = new WebSocketServer({
      ...options.ws,
      handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
    });
    const connections = this.connections;
    // ws calls these listeners with the socket as `this`: the server is reached through a local
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this;
    this.onMessage = function (data) {
      connections.get(this)?.receive(data);
    };
    this.onPong = function () {
      const connection = connections.get(this);
      if (connection) connection.awaitingPong = false;
    };
    this.onClose = function () {
      server.dropped(this);
    };
    this.wss.on('connection', (socket, req: IncomingMessage | undefined) => this.accept(socket, req?.headers['accept-language']));
    // errors of the HTTP server re-emitted by ws (graphql-ws closed every socket on them, as here)
    this.wss.on('error', (error) => {
      options.onInternalError?.(error);
      for (const socket of this.wss.clients) socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    const every = options.keepAliveMs > 0 ? Math.max(10, Math.min(SWEEP_MS, Math.floor(options.keepAliveMs / 10))) : EXPIRY_CHECK_MS;
    this.sweepTimer = setInterval(() => this.sweep(), every);
    this.sweepTimer.unref();
  }

  private accept(socket: WebSocket, acceptLanguage: string | undefined): void {
    socket.on('error', onSocketError);
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) return socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
    const connection = new Connection<A>(socket, this, acceptLanguage);
    this.connections.set(socket, connection);
    socket.on('close', this.onClose);
    socket.on('message', this.onMessage);
    socket.on('pong', this.onPong);
    const { connectionInitTimeoutMs, keepAliveMs } = this.options;
    if (connectionInitTimeoutMs > 0 && Number.isFinite(connectionInitTimeoutMs)) {
      connection.initTimer = setTimeout(() => {
        if (connection.state === State.AwaitingInit) connection.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, connectionInitTimeoutMs);
    }
    if (keepAliveMs > 0) {
      connection.pingDueAt = Date.now() + keepAliveMs;
      this.pingOrder.add(connection);
    }
  }

  /** @internal */
  dropped(socket: WebSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    this.pingOrder.delete(connection);
    connection.closed();
    this.options.onClose?.(connection);
  }

  private sweep(): void {
    const now = Date.now();
    const keepAliveMs = this.options.keepAliveMs;
    for (const connection of this.pingOrder) {
      if (connection.pingDueAt > now) break;
      const socket = connection.socket;
      this.pingOrder.delete(connection);
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (connection.awaitingPong) {
        socket.terminate();
        continue;
      }
      connection.awaitingPong = true;
      connection.pingDueAt = now + keepAliveMs;
      this.pingOrder.add(connection);
      socket.ping();
    }
    if (now - this.lastExpiryCheck >= EXPIRY_CHECK_MS) {
      this.lastExpiryCheck = now;
      for (const connection of this.connections.values()) {
        if (connection.expiresAt <= now) connection.close(CloseCode.Forbidden, EXPIRED_REASON);
      }
    }
  }

  /** Active operations over all connections. */
  operationCount(): number {
    let n = 0;
    for (const connection of this.connections.values()) n += connection.operationCount;
    return n;
  }

  /** Closes every socket with 1001 and stops the server. */
  async dispose(): Promise<void> {
    clearInterval(this.sweepTimer);
    for (const socket of this.wss.clients) socket.close(1001, 'Going away');
    this.wss.removeAllListeners('connection');
    await new Promise<void>((resolve, reject) => this.wss.close((error) => (error ? reject(error) : resolve())));
  }
}
