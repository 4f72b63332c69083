import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client for a test server; every client is closed by `closeAll` (call it in afterAll). */
export class WsClients {
  private readonly leftovers: Client[] = [];

  constructor(private readonly httpUrl: string) {}

  get url(): string {
    return this.httpUrl.replace(/^http/, 'ws');
  }

  open(token?: string, opts: { onClose?: (code: number, reason: string) => void; lazy?: boolean } = {}): Client {
    const client = createClient({
      url: this.url,
      webSocketImpl: WebSocket,
      lazy: opts.lazy ?? true,
      retryAttempts: 0,
      onNonLazyError: () => {}, // tests look at close codes themselves
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      on: { closed: (event) => opts.onClose?.((event as { code: number }).code, String((event as { reason?: string }).reason ?? '')) },
    });
    this.leftovers.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.leftovers.splice(0).map((c) => c.dispose()));
  }
}

/** A live subscription: collects results; `next()` waits for the next one. */
export class Live<T = any> {
  readonly results: ExecutionResult<T, unknown>[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  private waiters: (() => void)[] = [];
  private readonly stop: () => void;

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    const wakeAll = () => this.waiters.splice(0).forEach((w) => w());
    this.stop = client.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          this.results.push(r);
          wakeAll();
        },
        error: (e) => {
          this.errors.push(e);
          this.completed = true;
          wakeAll();
        },
        complete: () => {
          this.completed = true;
          wakeAll();
        },
      },
    );
  }

  /** Waits until `count` results arrived (or the subscription ended); throws after `ms`. */
  async waitFor(count: number, ms = 5_000): Promise<ExecutionResult<T, unknown>[]> {
    const deadline = Date.now() + ms;
    while (this.results.length < count && !this.completed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} results; got ${JSON.stringify(this.results)}`);
      await this.wake(left);
    }
    return this.results;
  }

  /** Waits until the subscription completed or errored; throws after `ms`. */
  async ended(ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.completed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`subscription did not end; got ${JSON.stringify(this.results)}`);
      await this.wake(left);
    }
  }

  /** Resolves at the next result or end of the subscription, or after `ms`. */
  private wake(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  dispose(): void {
    this.stop();
  }
}

/**
 * Tests wait for events, never for time: for what the server reports (below), for a message, or for
 * a sentinel event published after one that must not arrive. A subscription delivers its events one
 * at a time in the order they were published, and one socket carries its messages in order, so once
 * the sentinel is in, an earlier event that was sent would be in too.
 */

/** Resolves once `condition()` holds (checked every few milliseconds); throws after `ms`, naming `what`. */
export async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The subscription server's own counters (src/realtime/ws-server.ts `activity()`). */
interface Reports {
  activity(): { started: number; delivering: number };
}

/**
 * Counts the subscriptions `server` starts from now on: `await started(n)` resolves once n more are
 * listening, so an event published after it reaches them. (Set it up before opening them.)
 */
export function subscriptionStarts(server: Reports): (count: number) => Promise<void> {
  const before = server.activity().started;
  return (count) => until(() => server.activity().started >= before + count, `${count} more subscription(s) started (${server.activity().started - before} so far)`);
}

/**
 * Resolves once `server` has no event queued for or being delivered to a subscriber: every event
 * published so far was either skipped or written to its socket (where a later message cannot
 * overtake it).
 */
export function deliveriesDone(server: Reports): Promise<void> {
  return until(() => server.activity().delivering === 0, `no delivery in flight (${server.activity().delivering} left)`);
}

/** Resolves with the close code of a socket once it closes: `onClose` for `WsClients.open`. */
export function closeCode(): { onClose: (code: number) => void; code: Promise<number> } {
  let onClose!: (code: number) => void;
  const code = new Promise<number>((resolve) => (onClose = resolve));
  return { onClose, code };
}

/** The JSON messages a raw socket received; `waitFor` resolves with the first match, received already or arriving later. */
export class MessageLog {
  readonly messages: any[] = [];
  private waiters: (() => void)[] = [];

  constructor(socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  async waitFor(predicate: (message: any) => boolean, what: string, ms = 5_000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
