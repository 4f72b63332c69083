import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionException } from '@mikro-orm/core';
import { isDatabaseUnavailable } from '../src/observability';
import { startTestServer, existingDatabase, type TestServer } from './utils/harness';
import { sparePort } from './utils/net';
import { captureLogs } from './utils/log-capture';

/**
 * Runs where PostgreSQL is part of the test set-up (TEST_DATABASE_URL set, as in CI): the test starts
 * a cluster of its own on a spare port with initdb/pg_ctl as the `postgres` user, and stops and
 * restarts it under load. Without TEST_DATABASE_URL the suite is SQLite-only and this is not defined.
 */
const PG_BIN = process.env.PG_BIN ?? '/usr/local/bin';

function spawnAsPostgres(cmd: string, args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Sample {
  at: number;
  ms: number;
  status: number;
  code?: string;
  ok: boolean;
}

describe('database unavailability is recognised (unit)', () => {
  it('connection failures of pg, knex and MikroORM count as unavailable; query errors do not', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isDatabaseUnavailable(new ConnectionException(refused))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('relation "ticket" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
  });
});

// a cluster of the test's own: only where PostgreSQL belongs to the test set-up (TEST_DATABASE_URL, CI)
if (process.env.TEST_DATABASE_URL) describe('PostgreSQL restarted under load', () => {
  let dir: string;
  let port: number;
  let t: TestServer;
  const logs = captureLogs();
  const pgCtl = (...args: string[]) => spawnAsPostgres('pg_ctl', ['-D', join(dir, 'data'), '-w', '-t', '20', ...args]);
  const startPg = () => pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), 'start');

  beforeAll(async () => {
    expect(existsSync(join(PG_BIN, 'initdb')), `initdb not found in ${PG_BIN} (set PG_BIN)`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    spawnAsPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    port = await sparePort();
    startPg();
    t = await startTestServer(existingDatabase({ kind: 'postgresql', url: `postgres://postgres@127.0.0.1:${port}/postgres` }), {}, { logger: logs.logger });
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    if (dir) {
      try {
        pgCtl('-m', 'immediate', 'stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails fast with DATABASE_UNAVAILABLE while it is down (/readyz 503), recovers without restarting the API, and logs the outage once', async () => {
    const samples: Sample[] = [];
    // anything the driver prints itself (knex's `Connection Error: …` goes to console.log)
    const printed: string[] = [];
    const consoleSpies = (['log', 'info', 'warn', 'error'] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    }));
    let running = true;
    const worker = async () => {
      while (running) {
        const started = Date.now();
        const res = await fetch(t.publicUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ applicationStatus { name } }' }) });
        const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        samples.push({ at: started, ms: Date.now() - started, status: res.status, code: body.errors?.[0]?.extensions?.code, ok: !body.errors });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    try {
      // the load is running (answers have come back) before PostgreSQL is stopped
      const warm = Date.now() + 15_000;
      while (samples.length < 4 && Date.now() < warm) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.every((s) => s.ok)).toBe(true);

      const stoppedAt = Date.now();
      pgCtl('-m', 'fast', 'stop');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const readyz = await fetch(`http://127.0.0.1:${t.server.port}/readyz`);
      expect(readyz.status).toBe(503);
      const down = samples.filter((s) => s.at > stoppedAt + 100);
      expect(down.length).toBeGreaterThan(4);
      console.log(`PostgreSQL down: ${down.length} requests, slowest answer ${Math.max(...down.map((s) => s.ms))} ms`);
      for (const sample of down) {
        expect(sample.ok).toBe(false);
        expect(sample.code).toBe('DATABASE_UNAVAILABLE');
        expect(sample.status).toBe(503);
        expect(sample.ms).toBeLessThan(5_500);
      }

      const restartedAt = Date.now();
      startPg();
      const deadline = Date.now() + 15_000;
      while (!samples.some((s) => s.at > restartedAt && s.ok)) {
        if (Date.now() > deadline) throw new Error('no successful request within 15 s of the restart');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const recoveredAt = Date.now();
      console.log(`first success ${recoveredAt - restartedAt} ms after pg_ctl start returned`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(samples.filter((s) => s.at > recoveredAt + 50).every((s) => s.ok)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${t.server.port}/readyz`)).status).toBe(200);

      // the outage in the logs: one line when it started, one when it ended with its length
      const lines = logs.lines.filter((line) => line.msg !== 'request');
      const unreachable = lines.filter((line) => line.msg === 'database unreachable');
      const back = lines.filter((line) => line.msg === 'database reachable again');
      expect(unreachable).toHaveLength(1);
      expect(unreachable[0]).toMatchObject({ level: 50, component: 'database', err: { message: expect.any(String) } });
      expect(back).toHaveLength(1);
      expect(back[0]).toMatchObject({ level: 30, component: 'database' });
      expect(back[0].outageMs).toBeGreaterThanOrEqual(restartedAt - stoppedAt - 1_000);
      expect(back[0].outageMs).toBeLessThan(recoveredAt - stoppedAt + 1_000);
      expect(back[0].refusedRequests).toBeGreaterThanOrEqual(down.length);
      expect(logs.lines.indexOf(unreachable[0])).toBeLessThan(logs.lines.indexOf(back[0]));
      // refused requests: counted, their request lines at warn, never one error line each
      expect(lines.filter((line) => line.level >= 50)).toEqual(unreachable);
      const refusedLines = logs.lines.filter((line) => line.msg === 'request' && line.errorCodes?.includes('DATABASE_UNAVAILABLE'));
      expect(refusedLines.length).toBeGreaterThanOrEqual(down.length);
      expect(refusedLines.every((line) => line.level === 40)).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${t.server.port}/metrics`)).text();
      const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(metric('hub_db_unavailable_requests_total')).toBe(back[0].refusedRequests);
      expect(metric('hub_db_outages_total')).toBe(1);
      expect(metric('hub_db_reachable')).toBe(1);
      // no driver text outside the JSON logger: knex's lines arrive as JSON with component db-driver
      expect(printed.filter((text) => /Connection Error|Connection terminated|ECONNREFUSED|knex/i.test(text))).toEqual([]);
      expect(logs.lines.some((line) => line.component === 'db-driver' && /Connection Error/.test(line.msg))).toBe(true);
    } finally {
      running = false;
      await Promise.all(workers);
      for (const spy of consoleSpies) spy.mockRestore();
    }
  });
});
