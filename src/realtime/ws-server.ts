import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { bearerToken, TokenError, type VerifiedToken } from '../auth/token';
import { ANONYMOUS, resolveViewer, type Viewer } from '../auth/viewer';
import { createContext, type Context } from '../context';

/** At most this many active subscriptions per connection; the next one is refused with an error. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
/** A socket that never sends connection_init is closed with 4408 after this long. */
export const CONNECTION_INIT_TIMEOUT_MS = 10_000;

/** What a connection knows about its caller: the verified token (null: anonymous). */
interface ConnectionAuth {
  token: VerifiedToken | null;
  expiryTimer?: NodeJS.Timeout;
}
type WsExtra = Extra & { auth?: ConnectionAuth };

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
}

/**
 * graphql-ws on the HTTP server (public schema). Auth at connection_init from
 * `connectionParams.authorization`: a bad or unknown token closes with 4403, no init within the
 * timeout closes with 4408, and the token's expiry ends the connection (4403). Every subscription
 * gets its own context, and every event a brand-new one through `renew` (the viewer re-read from the
 * database, so a role change or removed access applies at the next event, RT-3).
 */
export function startSubscriptionServer(opts: SubscriptionServerOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server: opts.httpServer, path: opts.path });

  async function viewerOf(token: VerifiedToken | null): Promise<Viewer> {
    if (!token) return ANONYMOUS;
    return (await resolveViewer(opts.rootEm.fork({ clear: true }), token)) ?? ANONYMOUS;
  }

  async function contextFor(token: VerifiedToken | null): Promise<Context> {
    const ctx = createContext(opts.rootEm, await viewerOf(token), opts.contextOptions);
    ctx.renew = () => contextFor(token);
    return ctx;
  }

  const disposable = useServer<Record<string, unknown> | undefined, { auth?: ConnectionAuth }>(
    {
      schema: opts.schema,
      connectionInitWaitTimeout: opts.connectionInitTimeoutMs ?? CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const extra = ctx.extra as WsExtra;
        const raw = ctx.connectionParams?.authorization;
        try {
          const bearer = typeof raw === 'string' ? bearerToken(raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
          const token = bearer ? await opts.verify(bearer) : null;
          if (token && !(await resolveViewer(opts.rootEm.fork({ clear: true }), token))) return false;
          const auth: ConnectionAuth = { token };
          if (token?.expiresAt) {
            const left = token.expiresAt.getTime() - Date.now();
            auth.expiryTimer = setTimeout(() => extra.socket.close(CloseCode.Forbidden, 'Token expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
            auth.expiryTimer.unref();
          }
          extra.auth = auth;
          return true;
        } catch (error) {
          if (error instanceof TokenError || error instanceof GraphQLError) return false; // 4403 Forbidden
          throw error;
        }
      },
      onClose: (ctx) => {
        const auth = (ctx.extra as WsExtra).auth;
        if (auth?.expiryTimer) clearTimeout(auth.expiryTimer);
      },
      onSubscribe: (ctx) => {
        // the new subscription's id is registered already
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
      },
      context: (ctx) => contextFor((ctx.extra as WsExtra).auth?.token ?? null),
    },
    wss,
  );

  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
    },
  };
}
