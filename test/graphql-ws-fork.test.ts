import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, validate } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ProtocolServer, type Connection, type ProtocolOptions } from '../src/realtime/graphql-ws-fork';

/**
 * graphql-ws's own server test cases (its tests/server.test.ts and tests/use.test.ts), ported to the
 * fork in src/realtime/graphql-ws-fork.ts: the behaviours the fork keeps, against a small schema of
 * its own, through real sockets. The hub's integration tests (test/realtime*.test.ts) cover the fork
 * with the real schema and the real graphql-ws client.
 */

/** A promise with its resolve outside (graphql-ws's tests use the same helper idea). */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A stream the test pushes into; records whether it was returned (disposed). */
class Channel {
  private values: unknown[] = [];
  private waiting: ((step: IteratorResult<unknown>) => void) | undefined;
  readonly returned = deferred();
  returnThrows = false;
  push(value: unknown) {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ done: false, value });
    } else this.values.push(value);
  }
  iterator(): AsyncIterableIterator<unknown> {
    const next = (): Promise<IteratorResult<unknown>> => (this.values.length ? Promise.resolve({ done: false, value: this.values.shift() }) : new Promise((r) => (this.waiting = r)));
    const finish = async (): Promise<IteratorResult<unknown>> => {
      this.returned.resolve();
      this.waiting?.({ done: true, value: undefined });
      if (this.returnThrows) return Promise.reject(new Error('return failed'));
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<unknown> = { next, return: finish, [Symbol.asyncIterator]: () => iterator };
    return iterator;
  }
}

const channels: Channel[] = [];
const subscribed: string[] = [];

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      greetings: {
        type: GraphQLString,
        async *subscribe() {
          for (const hi of ['Hi', 'Bonjour', 'Hola']) yield { greetings: hi };
        },
      },
      ping: {
        type: GraphQLString,
        subscribe: () => {
          subscribed.push('ping');
          const channel = new Channel();
          channels.push(channel);
          return channel.iterator();
        },
      },
      throwing: {
        type: GraphQLString,
        // eslint-disable-next-line require-yield
        async *subscribe() {
          throw new Error('Kaboom');
        },
      },
      refused: {
        type: GraphQLString,
        subscribe: () => {
          throw new GraphQLError('Not for you');
        },
      },
    },
  }),
});

interface RawClient {
  socket: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  waitFor(match: (m: any) => boolean): Promise<any>;
}

const leftovers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(leftovers.splice(0).map((dispose) => dispose()));
  channels.splice(0);
  subscribed.splice(0);
});

async function start(overrides: Partial<ProtocolOptions<unknown>> = {}) {
  const httpServer: Server = createServer();
  const server = new ProtocolServer<unknown>({
    ws: { server: httpServer, path: '/graphql' },
    schema,
    parse: (query) => parse(query),
    validate: (s, document) => validate(s, document),
    connectionInitTimeoutMs: 3_000,
    keepAliveMs: 0,
    onConnect: async () => ({}),
    context: async () => ({}),
    ...overrides,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await server.dispose();
    await new Promise((resolve) => httpServer.close(resolve));
  };
  leftovers.push(dispose);
  const client = (protocol: string | null = 'graphql-transport-ws', options: WebSocket.ClientOptions = {}): Promise<RawClient> =>
    new Promise((resolve, reject) => {
      const socket = protocol ? new WebSocket(url, protocol, options) : new WebSocket(url, options);
      const messages: any[] = [];
      const waiters: (() => void)[] = [];
      const closed = new Promise<{ code: number; reason: string }>((r) => socket.once('close', (code, reason) => r({ code, reason: String(reason) })));
      socket.on('message', (data) => {
        messages.push(JSON.parse(String(data)));
        waiters.splice(0).forEach((w) => w());
      });
      leftovers.push(async () => socket.terminate());
      const raw: RawClient = {
        socket,
        messages,
        closed,
        send: (message) => socket.send(JSON.stringify(message)),
        async waitFor(match) {
          for (;;) {
            const found = messages.find(match);
            if (found) return found;
            await Promise.race([new Promise<void>((r) => waiters.push(r)), closed.then(() => Promise.reject(new Error(`closed before a matching message; got ${JSON.stringify(messages)}`)))]);
          }
        },
      };
      socket.once('open', () => resolve(raw));
      socket.once('error', reject);
    });
  const acknowledged = async () => {
    const c = await client();
    c.send({ type: 'connection_init' });
    await c.waitFor((m) => m.type === 'connection_ack');
    return c;
  };
  return { server, client, acknowledged, dispose };
}

describe('graphql-ws server cases, ported to the fork: Connect', () => {
  it('refuses the connection and closes the socket (4403) when onConnect returns false', async () => {
    const { client } = await start({ onConnect: async () => false });
    const c = await client();
    c.send({ type: 'connection_init' });
    expect(await c.closed).toEqual({ code: 4403, reason: 'Forbidden' });
  });

  it('acknowledges the connection and passes the connection params to onConnect', async () => {
    let params: unknown;
    const { client } = await start({
      onConnect: async (_connection, p) => {
        params = p;
        return { who: 'me' };
      },
    });
    const c = await client();
    c.send({ type: 'connection_init', payload: { token: 'abc' } });
    expect(await c.waitFor((m) => m.type === 'connection_ack')).toEqual({ type: 'connection_ack' });
    expect(params).toEqual({ token: 'abc' });
  });

  it('closes the socket (4408) when no connection_init arrives within connectionInitTimeoutMs', async () => {
    const { client } = await start({ connectionInitTimeoutMs: 50 });
    const c = await client();
    expect(await c.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('does not time the connection out while onConnect is still resolving (the init timer stops at connection_init)', async () => {
    const called = deferred<Connection<unknown>>();
    const release = deferred<object>();
    const { client } = await start({
      connectionInitTimeoutMs: 50,
      onConnect: async (connection) => {
        called.resolve(connection);
        return release.promise;
      },
    });
    const c = await client();
    c.send({ type: 'connection_init' });
    const connection = await called.promise;
    expect(connection.initTimer).toBeUndefined();
    release.resolve({});
    await c.waitFor((m) => m.type === 'connection_ack');
    expect(c.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes the socket (4429) when another connection_init arrives while the first is pending', async () => {
    const { client } = await start({ onConnect: () => new Promise(() => {}) });
    const c = await client();
    c.send({ type: 'connection_init' });
    c.send({ type: 'connection_init' });
    expect(await c.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('closes the socket (4429) on a connection_init after acknowledgement', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ type: 'connection_init' });
    expect((await c.closed).code).toBe(4429);
  });
});

describe('graphql-ws server cases, ported to the fork: Ping/Pong', () => {
  it("answers a ping with a pong, with the ping's payload", async () => {
    const { client } = await start();
    const c = await client();
    c.send({ type: 'ping' });
    expect(await c.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong' });
    c.send({ type: 'ping', payload: { n: 1 } });
    expect(await c.waitFor((m) => m.type === 'pong' && m.payload)).toEqual({ type: 'pong', payload: { n: 1 } });
  });

  it('does not react to a pong (the next message is the pong of a later ping)', async () => {
    const { client } = await start();
    const c = await client();
    c.send({ type: 'pong', payload: { n: 1 } });
    c.send({ type: 'ping', payload: { n: 2 } });
    await c.waitFor((m) => m.type === 'pong');
    expect(c.messages).toEqual([{ type: 'pong', payload: { n: 2 } }]);
  });
});

describe('graphql-ws server cases, ported to the fork: Subscribe', () => {
  it('closes the socket (4401) on a subscribe before the connection is acknowledged', async () => {
    const { client } = await start();
    const c = await client();
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    expect(await c.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('executes the subscription: "next" for every published value, then "complete"', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    await c.waitFor((m) => m.id === '1' && m.type === 'complete');
    expect(c.messages.filter((m) => m.id === '1')).toEqual([
      { id: '1', type: 'next', payload: { data: { greetings: 'Hi' } } },
      { id: '1', type: 'next', payload: { data: { greetings: 'Bonjour' } } },
      { id: '1', type: 'next', payload: { data: { greetings: 'Hola' } } },
      { id: '1', type: 'complete' },
    ]);
  });

  it('"error"s out on validation errors, and the socket stays usable', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    const error = await c.waitFor((m) => m.id === '1');
    expect(error.type).toBe('error');
    expect(error.payload[0].message).toMatch(/Cannot query field "nope"/);
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    await c.waitFor((m) => m.id === '1' && m.type === 'complete');
  });

  it('a subscription refused by its resolver is a "next" with the errors, then "complete"', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ id: 'r', type: 'subscribe', payload: { query: 'subscription { refused }' } });
    await c.waitFor((m) => m.id === 'r' && m.type === 'complete');
    const [next, complete] = c.messages.filter((m) => m.id === 'r');
    expect(next.type).toBe('next');
    expect(next.payload.errors[0].message).toBe('Not for you');
    expect(complete).toEqual({ id: 'r', type: 'complete' });
  });

  it('reports the errors onSubscribe returns as an "error" message', async () => {
    const { acknowledged } = await start({ onSubscribe: () => [new GraphQLError('Report me')] });
    const c = await acknowledged();
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    expect(await c.waitFor((m) => m.id === '1')).toEqual({ id: '1', type: 'error', payload: [{ message: 'Report me' }] });
  });

  it('stops dispatching after the client completes, returns the stream, and sends no "complete" back', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { ping }' } });
    await until(() => channels.length === 1);
    channels[0].push({ ping: 'one' });
    await c.waitFor((m) => m.id === 'a' && m.type === 'next');
    c.send({ id: 'a', type: 'complete' });
    await channels[0].returned.promise;
    channels[0].push({ ping: 'two' });
    // sentinel: a later subscription on the same socket runs to its end
    c.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    await c.waitFor((m) => m.id === 'b' && m.type === 'complete');
    expect(c.messages.filter((m) => m.id === 'a')).toEqual([{ id: 'a', type: 'next', payload: { data: { ping: 'one' } } }]);
  });

  it('closes the socket (4409) on a duplicate operation id, even while the first is still being prepared', async () => {
    const { acknowledged } = await start({ context: () => new Promise(() => {}) });
    const c = await acknowledged();
    c.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    c.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    expect(await c.closed).toEqual({ code: 4409, reason: 'Subscriber for x already exists' });
  });

  it('respects a subscription the client completed while it was being set up: nothing is sent for it', async () => {
    const contextAsked = deferred();
    const release = deferred<object>();
    let first = true;
    const { server, acknowledged } = await start({
      context: () => {
        if (!first) return Promise.resolve({});
        first = false;
        contextAsked.resolve();
        return release.promise;
      },
    });
    const c = await acknowledged();
    c.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { ping }' } });
    await contextAsked.promise;
    c.send({ id: 'a', type: 'complete' });
    // the server took the complete (the operation is gone) before the set-up goes on
    await until(() => server.operationCount() === 0);
    release.resolve({});
    c.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    await c.waitFor((m) => m.id === 'b' && m.type === 'complete');
    expect(c.messages.filter((m) => m.id === 'a')).toEqual([]);
    expect(subscribed).toEqual([]);
  });

  it('does not close the connection when a subscription stream throws: an "error" message for it, no "complete" after', async () => {
    const { acknowledged } = await start();
    const c = await acknowledged();
    c.send({ id: 't', type: 'subscribe', payload: { query: 'subscription { throwing }' } });
    const error = await c.waitFor((m) => m.id === 't');
    expect(error).toEqual({ id: 't', type: 'error', payload: [{ message: 'Kaboom' }] });
    c.send({ id: 'g', type: 'subscribe', payload: { query: 'subscription { greetings }' } });
    await c.waitFor((m) => m.id === 'g' && m.type === 'complete');
    expect(c.messages.filter((m) => m.id === 't')).toEqual([error]);
  });
});

describe('graphql-ws server cases, ported to the fork: Disconnect/close and the ws adapter', () => {
  it("disposes of every subscription's stream when the socket closes, even when one's return throws", async () => {
    const closedHook = deferred();
    const reported: unknown[] = [];
    const { acknowledged } = await start({ onClose: () => closedHook.resolve(), onInternalError: (error) => reported.push(error) });
    const c = await acknowledged();
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { ping }' } });
    c.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { ping }' } });
    await until(() => channels.length === 2);
    channels[0].returnThrows = true;
    c.socket.terminate();
    await Promise.all([channels[0].returned.promise, channels[1].returned.promise, closedHook.promise]);
    // the failed return is reported, not left as an unhandled rejection (which would end the process)
    await until(() => reported.length === 1);
    expect((reported[0] as Error).message).toBe('return failed');
  });

  it('refuses a socket without the graphql-transport-ws subprotocol (4406)', async () => {
    const { client } = await start();
    const c = await client(null);
    expect((await c.closed).code).toBe(4406);
  });

  it('goes away gracefully on dispose (1001)', async () => {
    const { acknowledged, dispose } = await start();
    const c = await acknowledged();
    await dispose();
    expect(await c.closed).toEqual({ code: 1001, reason: 'Going away' });
  });

  it('closes the socket (4500) with errors thrown from a hook, and reports them', async () => {
    const reported: unknown[] = [];
    const { client } = await start({
      onConnect: async () => {
        throw new Error('Boom');
      },
      onInternalError: (error) => reported.push(error),
    });
    const c = await client();
    c.send({ type: 'connection_init' });
    expect(await c.closed).toEqual({ code: 4500, reason: 'Internal server error' });
    expect(reported).toHaveLength(1);
  });

  it('closes the socket (4400) on a message that is not a protocol message', async () => {
    const { client } = await start();
    const c = await client();
    c.socket.send('{"type":"nope"}');
    expect(await c.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('keep-alive: pings every keepAliveMs and terminates a socket that does not answer', async () => {
    const { client } = await start({ keepAliveMs: 50 });
    const answering = await client();
    const pinged = deferred();
    answering.socket.once('ping', () => pinged.resolve());
    await pinged.promise;
    // a socket that never answers pings (ws answers them by itself unless told otherwise)
    const silent = await client('graphql-transport-ws', { autoPong: false });
    expect((await silent.closed).code).toBe(1006);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });
});

/** Waits for a condition the server reaches asynchronously (subscriptions are set up in later turns). */
async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
}
