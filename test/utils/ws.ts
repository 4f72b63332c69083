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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.results;
  }

  /** Waits until the subscription completed or errored. */
  async ended(ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.completed) {
      if (Date.now() > deadline) throw new Error('subscription did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  dispose(): void {
    this.stop();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
