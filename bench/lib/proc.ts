import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { BENCH_JWT_SECRET, REPO_ROOT } from './params';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** user + system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // after "pid (comm) ": state is field 0, utime 11, stime 12 (in clock ticks)
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND);
}
const CLOCK_TICKS_PER_SECOND = 100;

/** Polls `url` until it answers 200; resolves with the time it took from `since`. */
export async function waitFor200(url: string, since: number, timeoutMs = 60_000, child?: ChildProcess): Promise<number> {
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** ms from spawn to the first 200 of /readyz. */
  readyMs: number;
  stop(): Promise<void>;
  stderr(): string;
}

/**
 * Environment of the API under bench: as production runs it (`NODE_ENV=production`: libraries such as
 * graphql-js and Express skip their development checks; no demo seed), tokens signed with the bench
 * secret, request logs at `info` (BENCH_LOG_LEVEL) written to /dev/null. The start-up bench measures
 * the embedded default instead and drops NODE_ENV.
 */
export function apiEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.VITEST;
  return {
    ...env,
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    // production refuses development link keys (docs/mail-and-attachments.md)
    PUBLIC_URL: 'http://localhost',
    MANAGE_LINK_SECRET: `${BENCH_JWT_SECRET}-manage-links`,
    ATTACHMENT_URL_SECRET: `${BENCH_JWT_SECRET}-attachment-links`,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // per-account cost budgets and rate limits would throttle a load generator that uses one token
    // (docs/limits.md: 0 turns each off); the static per-request limits (depth, cost, …) stay on
    GRAPHQL_COST_BUDGET: '0',
    GRAPHQL_COST_RESTORE_RATE: '0',
    RATE_LIMIT_PER_ACCOUNT: '0',
    RATE_LIMIT_PER_IP: '0',
    ...extra,
  };
}

/**
 * Starts the real server entry (`dist/src/main.js`) as a child process and waits for /readyz.
 * `nodeArgs` adds flags such as `--cpu-prof`; `entry` runs another build's entry (A/B runs);
 * `stdoutFd` keeps the process's log (the soak reads it afterwards).
 */
export async function startApi(env: NodeJS.ProcessEnv, opts: { nodeArgs?: string[]; timeoutMs?: number; entry?: string; stdoutFd?: number } = {}): Promise<ApiProcess> {
  const port = Number(env.PORT) || (await freePort());
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.entry ?? resolve(REPO_ROOT, 'dist/src/main.js')], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) },
    // its JSON log lines: dropped, or into a file the caller opened (`stdoutFd`)
    stdio: ['ignore', opts.stdoutFd ?? 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  let readyMs: number;
  try {
    readyMs = await waitFor200(`${baseUrl}/readyz`, started, opts.timeoutMs ?? 60_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return {
    child,
    port,
    baseUrl,
    readyMs,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after 10 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export interface ChildServer {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts a compiled bench server (`dist/bench/<script>.js`) that reports its port over IPC. */
async function startChildServer(script: string, env: Record<string, string>, opts: { nodeArgs?: string[] }): Promise<ChildServer> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), resolve(REPO_ROOT, 'dist/bench', `${script}.js`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (message: { port: number }) => done(message.port));
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** Starts the hand-written baseline server (dist/bench/baseline-server.js); resolves with its port. */
export function startBaseline(databaseUrl: string, opts: { nodeArgs?: string[] } = {}): Promise<ChildServer> {
  return startChildServer('baseline-server', { BASELINE_DATABASE_URL: databaseUrl, BASELINE_JWT_SECRET: BENCH_JWT_SECRET }, opts);
}

/** Starts the Mercurius + graphql-jit peer (dist/bench/peer-server.js, production mode like the API); resolves with its port. */
export function startPeer(databaseUrl: string, opts: { nodeArgs?: string[] } = {}): Promise<ChildServer> {
  return startChildServer('peer-server', { NODE_ENV: 'production', PEER_DATABASE_URL: databaseUrl, PEER_JWT_SECRET: BENCH_JWT_SECRET }, opts);
}
