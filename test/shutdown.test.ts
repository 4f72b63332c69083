import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './utils/build-app';

/** Waits for `check` to hold, polling; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('SIGTERM (the process npm start runs)', () => {
  let build: Awaited<ReturnType<typeof buildApp>>;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    build = await buildApp();
    dataDir = mkdtempSync(join(tmpdir(), 'hub-shutdown-'));
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    build?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('readiness goes false, the in-flight request finishes, sockets close with 1001, exit 0 within 10 s', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATABASE_URL: `sqlite:${join(dataDir, 'hub.sqlite')}`, HUB_DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '1000' };
    delete env.VITEST;
    delete env.NODE_ENV;
    child = spawn(process.execPath, [build.main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: Record<string, any>[] = [];
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line));
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    await until(() => logs.some((l) => l.msg === 'Customer Success Hub API ready') || child!.exitCode !== null, 20_000, 'the server to start');
    const ready = logs.find((l) => l.msg === 'Customer Success Hub API ready');
    expect(ready, stderr).toBeTruthy();
    const port = new URL(ready!.url).port;
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // an open graphql-ws socket with a live subscription
    let closeCode: number | undefined;
    let connected = false;
    const ws = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: { connected: () => (connected = true), closed: (event) => (closeCode ??= (event as { code: number }).code) },
    });
    ws.subscribe({ query: 'subscription { applicationStatusChanged { name } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    await until(() => connected, 5_000, 'the socket to connect');

    // an in-flight request: headers and half of the body sent, the rest only once shutdown is under way
    const body = JSON.stringify({ query: '{ applicationStatus { name } }' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      (globalThis as { finishInflight?: () => void }).finishInflight = () => req.end(body.slice(10));
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server see the request start

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await until(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 503, 3_000, '/readyz to answer 503');
    // the server closes sockets (1001) before it waits for HTTP requests: finish the request after that
    await until(() => closeCode !== undefined, 8_000, 'the socket to close');
    expect(closeCode).toBe(1001);
    (globalThis as { finishInflight?: () => void }).finishInflight!();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).data.applicationStatus).toBeInstanceOf(Array);

    expect(await exited).toBe(0);
    const elapsed = Date.now() - signalledAt;
    console.log(`SIGTERM → exit 0 in ${elapsed} ms (SHUTDOWN_DELAY_MS=1000)`);
    expect(elapsed).toBeLessThan(10_000);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: readiness off', 'shut down']));
    await ws.dispose();
  });
});
