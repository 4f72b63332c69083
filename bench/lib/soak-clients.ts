import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The soak's clients: GraphQL over HTTP with a time limit (every attempt is a sample), and a
 * graphql-ws subscriber that counts what reaches it and resumes from the last event id when the
 * schema lets it (`after:` on `ticketUpdated`).
 */

/** One HTTP attempt as the load generator saw it. */
export interface Sample {
  at: number;
  op: 'list' | 'detail' | 'create' | 'reply';
  ok: boolean;
  /** `extensions.code` of the first error, `HTTP <status>`, `NETWORK` or `USER_ERROR`. */
  code?: string;
  ms: number;
}

export interface Answer {
  ok: boolean;
  code?: string;
  data?: any;
}

/** POSTs one operation; never throws (a network failure or a time-out is an answer too). */
export async function gql(url: string, query: string, variables: Record<string, unknown>, token: string, timeoutMs = 10_000): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: { data?: any; errors?: { extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, code: `HTTP ${res.status}` };
    }
    if (body.errors?.length) return { ok: false, code: body.errors[0].extensions?.code ?? `HTTP ${res.status}`, data: body.data };
    if (!res.ok) return { ok: false, code: `HTTP ${res.status}` };
    return { ok: true, data: body.data };
  } catch (error) {
    return { ok: false, code: (error as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK' };
  }
}

/** What a subscriber saw, by time (`Date.now()`). */
export interface Receipt {
  at: number;
  eventId: string;
}

/**
 * One graphql-ws client with one `ticketUpdated(id)` subscription. graphql-ws reconnects by itself
 * and subscribes again with the same payload; its `variables` object is the subscriber's, so with
 * `resume` the repeated subscribe carries `after:` = the last event id seen. On EVENTS_RESUMED the
 * subscriber subscribes again with `after:` too (with `resume`), so events the server kept are replayed.
 */
export class SoakSubscriber {
  readonly receipts: Receipt[] = [];
  private readonly seen = new Set<string>();
  /** Error results by code and when (EVENTS_INTERRUPTED, EVENTS_RESUMED, …). */
  readonly notices: { at: number; code: string }[] = [];
  duplicates = 0;
  reconnects = 0;
  resumes = 0;
  private lastEventId?: string;
  private readonly variables: Record<string, unknown>;
  private readonly client: Client;
  private dispose?: () => void;
  private connections = 0;
  private stopped = false;
  /** Which subscribe call is current: the sinks of an ended one are ignored. */
  private generation = 0;

  constructor(
    readonly instance: number,
    url: string,
    token: string,
    readonly ticketId: string,
    private readonly resume: boolean,
  ) {
    this.variables = { id: ticketId };
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => true,
      retryWait: async () => new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1_000)),
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        connected: () => {
          if (this.connections++ > 0) this.reconnects++;
        },
      },
    });
  }

  private query(): string {
    return this.resume
      ? 'subscription($id: ID!, $after: ID) { ticketUpdated(id: $id, after: $after) { eventId change } }'
      : 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId change } }';
  }

  subscribe(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    const payload = { query: this.query(), variables: this.variables };
    this.dispose = this.client.subscribe(payload, {
      next: (result: { data?: any; errors?: readonly { extensions?: Record<string, unknown> }[] }) => {
        if (!current()) return;
        const at = Date.now();
        if (result.errors?.length) {
          const code = String(result.errors[0].extensions?.code ?? 'ERROR');
          this.notices.push({ at, code });
          if (code === 'EVENTS_RESUMED' && this.resume) this.restart();
          return;
        }
        const event = result.data?.ticketUpdated as { eventId: string; change: string } | undefined;
        if (!event || event.change !== 'MESSAGE') return;
        if (this.seen.has(event.eventId)) {
          this.duplicates++;
          return;
        }
        this.seen.add(event.eventId);
        this.receipts.push({ at, eventId: event.eventId });
        this.lastEventId = event.eventId;
        if (this.resume) this.variables.after = event.eventId;
      },
      error: (error) => {
        if (!current()) return;
        this.notices.push({ at: Date.now(), code: `TERMINATED ${String((error as { code?: number })?.code ?? (error as Error)?.message ?? 'error')}`.slice(0, 60) });
        setTimeout(() => this.subscribe(), 500);
      },
      complete: () => {
        if (current()) setTimeout(() => this.subscribe(), 500);
      },
    });
  }

  /** Ends this subscription and subscribes again, from the last event seen. */
  private restart(): void {
    this.resumes++;
    const dispose = this.dispose;
    this.generation++;
    dispose?.();
    this.subscribe();
  }

  received(): number {
    return this.receipts.length;
  }

  /** Events received after `since` (ms). */
  receivedAfter(since: number): number {
    let n = 0;
    for (let i = this.receipts.length - 1; i >= 0 && this.receipts[i].at > since; i--) n++;
    return n;
  }

  last(): string | undefined {
    return this.lastEventId;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.dispose?.();
    await this.client.dispose();
  }
}
