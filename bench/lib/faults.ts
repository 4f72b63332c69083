import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './proc';

/**
 * Servers of the soak's own that it can take down and bring back: a PostgreSQL cluster (initdb and
 * pg_ctl, run as the `postgres` user when the bench runs as root) and a redis-server without
 * persistence, each on a spare port. Nothing shared is touched: the cluster lives in a temporary
 * directory that `destroy()` removes.
 */

const PG_BIN = process.env.PG_BIN ?? '/usr/local/bin';

const execFileAsync = promisify(execFile);

/** The command line running a PostgreSQL binary as `postgres` (initdb refuses to run as root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  const binary = join(PG_BIN, cmd);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

export class PgCluster {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PgCluster> {
    if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`initdb not found in ${PG_BIN} (set PG_BIN)`);
    const dir = mkdtempSync(join(tmpdir(), 'hub-soak-pg-'));
    if (process.getuid?.() === 0) {
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    }
    await execFileAsync(...asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']));
    const cluster = new PgCluster(dir, await freePort());
    await cluster.start();
    return cluster;
  }

  /** pg_ctl without blocking the event loop: the soak's clients keep running while it waits. */
  private async ctl(...args: string[]): Promise<void> {
    await execFileAsync(...asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-w', '-t', '30', ...args]));
  }

  /** Starts the cluster and resolves once it accepts connections. */
  start(): Promise<void> {
    return this.ctl('-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`, '-l', join(this.dir, 'log'), 'start');
  }

  /** `pg_ctl stop -m fast`: open connections are terminated, as an orderly restart does. */
  stop(): Promise<void> {
    return this.ctl('-m', 'fast', 'stop');
  }

  async destroy(): Promise<void> {
    await this.ctl('-m', 'immediate', 'stop').catch(() => undefined); // already stopped
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class RedisServer {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<RedisServer> {
    const redis = new RedisServer(await freePort());
    await redis.start();
    return redis;
  }

  /** Starts redis-server on the same port; resolves once it accepts connections. */
  async start(ms = 10_000): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on ${this.port} is not ready: ${log}`)), ms);
      // its log keeps being read (and dropped) so that the pipe never fills
      child.stdout!.on('data', (chunk) => {
        if (log.length < 10_000) log += String(chunk);
        if (log.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on ${this.port} exited (${code ?? signal}): ${log}`));
      });
    });
  }

  /** Kills it (SIGKILL: a crash, not a shutdown) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
