import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { signLocalToken } from '../../src/auth/token';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './params';
import type { Ready, Reply, Seed } from './realtime-server';

/** The real-time bench's server in a child process (its RSS is the server's alone). */
export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Ready,
    private readonly cleanup: () => void,
  ) {}

  get port(): number {
    return this.ready.port;
  }

  static async start(seed: Seed): Promise<BenchServer> {
    let url = process.env.DATABASE_URL;
    let dir: string | undefined;
    if (!url) {
      dir = mkdtempSync(join(tmpdir(), 'hub-bench-rt-'));
      url = `sqlite:${join(dir, 'hub.sqlite')}`;
    }
    const child = fork(resolve(__dirname, 'realtime-server.js'), [], {
      env: { ...process.env, BENCH_RT_DATABASE_URL: url, BENCH_RT_SEED: JSON.stringify(seed), NODE_ENV: 'production' },
      execArgv: ['--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ') : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Ready>((res, rej) => {
      child.once('message', (m) => res(m as Ready));
      child.once('exit', (code) => rej(new Error(`bench server exited (${code}) before it was ready`)));
    });
    return new BenchServer(child, ready, () => dir && rmSync(dir, { recursive: true, force: true }));
  }

  private ask<T extends Reply>(cmd: Record<string, unknown>, type: T['type']): Promise<T> {
    return new Promise((res) => {
      const on = (m: Reply) => {
        if (m.type !== type) return;
        this.child.off('message', on);
        res(m as T);
      };
      this.child.on('message', on);
      this.child.send(cmd);
    });
  }

  /** Resident set size of the server process, after a full GC when `gc`. */
  async rssKb(gc = true): Promise<number> {
    return (await this.memory(gc)).rssKb;
  }

  /** RSS and the V8 heap figures of the server process, after a full GC when `gc`. */
  memory(gc = true): Promise<Extract<Reply, { type: 'rss' }>> {
    return this.ask<Extract<Reply, { type: 'rss' }>>({ cmd: 'rss', gc }, 'rss');
  }

  /** With BENCH_PROFILE=1: CPU-profiles the server between `profile()` and the returned stop function (BENCH_PROFILE=heap: a sampling heap profile). */
  async profile(name: string): Promise<() => Promise<string | undefined>> {
    if (!process.env.BENCH_PROFILE) return async () => undefined;
    await this.ask({ cmd: 'profile-start' }, 'profile' as never);
    return async () => {
      const { file } = (await this.ask({ cmd: 'profile-stop', name }, 'profile' as never)) as unknown as { file: string };
      console.log(process.env.BENCH_PROFILE === 'heap' ? `server heap profile: ${file}` : `server CPU profile: ${file} (node dist/bench/profile-summary.js ${file})`);
      return file;
    };
  }

  async stats(): Promise<{ connections: number; subscriptions: number }> {
    return this.ask<Extract<Reply, { type: 'stats' }>>({ cmd: 'stats' }, 'stats');
  }

  /** Polls until the server counts `n` active subscriptions (they are registered asynchronously). */
  async waitForSubscriptions(n: number, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const stats = await this.stats();
      if (stats.subscriptions >= n) return;
      if (Date.now() > deadline) throw new Error(`only ${stats.subscriptions} of ${n} subscriptions registered`);
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((res) => this.child.once('exit', res));
    this.child.send({ cmd: 'stop' });
    await Promise.race([exited, sleep(15_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    this.cleanup();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function customerToken(accountId: string): Promise<string> {
  return signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), accountId, { expiresIn: '2h' });
}

export function agentToken(agentId: string): Promise<string> {
  return signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), agentId, { scopes: ['hub:agent'], expiresIn: '2h' });
}

/** A `next` message as the subscriber saw it. */
export interface Received {
  at: number;
  payload: any;
}

/**
 * One subscriber: a raw graphql-transport-ws connection with one subscription (lighter than a
 * graphql-ws client per socket, so one client process holds thousands).
 */
export class RawSubscriber {
  readonly received: Received[] = [];
  onNext?: (r: Received) => void;
  private socket?: WebSocket;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly query: string,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** Resolves once the subscribe message is sent (after connection_ack). */
  open(): Promise<void> {
    return new Promise((res, rej) => {
      const socket = new WebSocket(this.url, 'graphql-transport-ws', { perMessageDeflate: false });
      this.socket = socket;
      socket.once('error', rej);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${this.token}` } })));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: this.query, variables: this.variables } }));
          res();
        } else if (message.type === 'next') {
          const r = { at: performance.now(), payload: message.payload };
          this.received.push(r);
          this.onNext?.(r);
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        }
      });
      socket.on('close', (code) => {
        if (code !== 1000 && code !== 1001 && code !== 1005) rej(new Error(`socket closed with ${code}`));
      });
    });
  }

  close(): void {
    this.socket?.terminate();
  }
}

/** Opens subscribers `batch` at a time (a burst of thousands of handshakes at once overruns the backlog). */
export async function openAll(subscribers: RawSubscriber[], batch = 250): Promise<void> {
  for (let i = 0; i < subscribers.length; i += batch) await Promise.all(subscribers.slice(i, i + batch).map((s) => s.open()));
}

/** GraphQL over HTTP against the bench server. */
export async function post(port: number, path: '/graphql' | '/internal/graphql', query: string, variables: Record<string, unknown> | undefined, token: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The `p`-th percentile (nearest rank) of `values`, in their unit. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Writes `bench/results/<name>.json` and prints the markdown table. */
export function report(name: string, title: string, rows: [string, string | number, string?][], json: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), node: process.version, database: process.env.DATABASE_URL ? 'postgresql' : 'sqlite', ...json }, null, 2) + '\n');
  console.log(`\n### ${title}\n`);
  console.log('| measure | value | target |');
  console.log('|---|---|---|');
  for (const [measure, value, target] of rows) console.log(`| ${measure} | ${value} | ${target ?? ''} |`);
  console.log(`\n(figures written to ${file})`);
}
