import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, type Server } from 'graphql-ws';
import { WebSocket, WebSocketServer, type RawData, type ServerOptions } from 'ws';

/**
 * graphql-ws's own server (`makeServer`) on a `ws` server: the protocol is the library's, only this
 * glue is ours. It replaces graphql-ws's `useServer` (`graphql-ws/use/ws`), which it follows, for
 * three reasons measured at 10,000 idle subscriptions (docs/realtime.md):
 *
 * - keep-alive and token expiry run from one sweep per server instead of an interval and a pong
 *   timeout per socket (the pings stay spread over the period: connections are pinged in the order
 *   they were last pinged);
 * - a connection whose unsent data exceeds `maxSendBufferBytes` is closed with 1013 (Try Again
 *   Later; graphql-ws clients retry it) instead of growing server memory;
 * - after a connection's expiry (`extra.expiresAt`, set at `connection_init`) nothing more is sent
 *   on it: it is closed with 4403.
 */

/** What graphql-ws's context carries as `extra` for a connection served here. */
export interface SocketExtra<A> {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  /** Epoch ms after which the connection is closed with 4403 (the token's `exp`). */
  expiresAt: number;
  /** What the connection's `onConnect` established (the caller). */
  auth: A | undefined;
}

export interface AdapterOptions {
  /** Ping period; a socket that has not answered a ping by the next one is terminated (0: no pings). */
  keepAliveMs: number;
  /** A connection with more unsent bytes than this is closed with 1013. */
  maxSendBufferBytes: number;
  /** Passed to the `ws` server (`server`, `path`, `maxPayload`, …). */
  ws: ServerOptions;
  onInternalError?: (error: unknown) => void;
}

/** Close reason of an expired connection (4403). */
export const EXPIRED_REASON = 'Token expired';
/** Close code for a client that does not read its messages (RFC 6455 1013 "Try Again Later"). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

const SWEEP_MS = 20;
const EXPIRY_CHECK_MS = 1_000;

interface Entry<A> {
  extra: SocketExtra<A>;
  awaitingPong: boolean;
  pingDueAt: number;
}

export interface ServedSockets<A> {
  readonly wss: WebSocketServer;
  /** The `extra` of every open connection. */
  connections(): IterableIterator<SocketExtra<A>>;
  /** Closes every socket with 1001 and stops the `ws` server. */
  dispose(): Promise<void>;
}

function onSocketError(this: WebSocket): void {
  // ws closes the socket itself after a protocol error (e.g. 1009 for a message over maxPayload)
  if (this.readyState === WebSocket.OPEN) this.close(CloseCode.InternalServerError, 'Internal server error');
}

/** Serves graphql-ws `server` on a new `ws` server (see the module comment). */
export function serveGraphqlWs<A>(server: Server<SocketExtra<A>>, opts: AdapterOptions): ServedSockets<A> {
  const wss = new WebSocketServer({ ...opts.ws, handleProtocols });
  const entries = new Map<WebSocket, Entry<A>>();
  /** Connections in the order their next ping is due (a re-ping moves one to the end). */
  const pingOrder = new Set<Entry<A>>();
  const fail = (socket: WebSocket, error: unknown) => {
    opts.onInternalError?.(error);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };

  wss.on('error', (error) => {
    opts.onInternalError?.(error);
    for (const socket of wss.clients) socket.close(CloseCode.InternalServerError, 'Internal server error');
  });

  wss.on('connection', (socket, request) => {
    socket.on('error', onSocketError);
    const extra: SocketExtra<A> = { socket, request, expiresAt: Infinity, auth: undefined };
    const entry: Entry<A> = { extra, awaitingPong: false, pingDueAt: 0 };
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== WebSocket.OPEN) return resolve();
            if (Date.now() >= extra.expiresAt) {
              socket.close(CloseCode.Forbidden, EXPIRED_REASON);
              return resolve();
            }
            // a client that does not read: close it rather than buffer without bound
            if (socket.bufferedAmount > opts.maxSendBufferBytes) {
              socket.close(SLOW_CONSUMER_CLOSE_CODE, 'Client does not read fast enough');
              return resolve();
            }
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: RawData) => {
            handle(String(data)).catch((error: unknown) => fail(socket, error));
          }),
      },
      extra,
    );
    entries.set(socket, entry);
    if (opts.keepAliveMs > 0) {
      entry.pingDueAt = Date.now() + opts.keepAliveMs;
      pingOrder.add(entry);
      socket.on('pong', () => (entry.awaitingPong = false));
    }
    socket.once('close', (code, reason) => {
      entries.delete(socket);
      pingOrder.delete(entry);
      closed(code, String(reason)).catch((error: unknown) => opts.onInternalError?.(error));
    });
  });

  let lastExpiryCheck = 0;
  const sweep = () => {
    const now = Date.now();
    for (const entry of pingOrder) {
      if (entry.pingDueAt > now) break;
      const socket = entry.extra.socket;
      pingOrder.delete(entry);
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (entry.awaitingPong) {
        socket.terminate();
        continue;
      }
      entry.awaitingPong = true;
      entry.pingDueAt = now + opts.keepAliveMs;
      pingOrder.add(entry);
      socket.ping();
    }
    if (now - lastExpiryCheck >= EXPIRY_CHECK_MS) {
      lastExpiryCheck = now;
      for (const entry of entries.values()) {
        if (entry.extra.expiresAt <= now) entry.extra.socket.close(CloseCode.Forbidden, EXPIRED_REASON);
      }
    }
  };
  const every = opts.keepAliveMs > 0 ? Math.max(10, Math.min(SWEEP_MS, Math.floor(opts.keepAliveMs / 10))) : EXPIRY_CHECK_MS;
  const sweepTimer = setInterval(sweep, every);
  sweepTimer.unref();

  return {
    wss,
    *connections() {
      for (const entry of entries.values()) yield entry.extra;
    },
    async dispose() {
      clearInterval(sweepTimer);
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      wss.removeAllListeners('connection');
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
