import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

/**
 * A real HTTP endpoint for webhook tests (node:http on 127.0.0.1, ephemeral port): records every
 * request and answers with the queued statuses in turn, then 200. Waits are on requests, never on time.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private readonly answers: number[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = receiver.answers.shift() ?? 200;
        receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
        for (const wake of [...receiver.waiters]) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers the next requests with these statuses (then 200 again). */
  answer(...statuses: number[]): void {
    this.answers.push(...statuses);
  }

  /** Resolves with the first `count` requests once they arrived. */
  waitFor(count: number): Promise<ReceivedHook[]> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.received.length < count) return;
        this.waiters.delete(check);
        resolve(this.received.slice(0, count));
      };
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The receiver side of `Hub-Signature`, as docs/webhooks.md tells integrations to write it: parse
 * `t` and `v1`, recompute HMAC-SHA256(secret, "<t>.<raw body>"), compare in constant time, and
 * refuse timestamps further than `toleranceSeconds` from `nowSeconds`.
 */
export function verifyHubSignature(header: string | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
