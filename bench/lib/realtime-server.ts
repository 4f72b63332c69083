import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { dirname, join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { DEFAULT_SUPPORT_SETTINGS, parseDatabaseUrl, type AppConfig } from '../../src/config';
import { createOrm } from '../../src/db/orm';
import { Account, Agent, Brand, BrandRole, CallbackRequest, ProductArea, SupportLanguage, Ticket, TicketKind, TicketParticipant, ParticipantRole } from '../../src/entities';
import { startServer } from '../../src/server';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './params';

/**
 * The server side of the real-time benches, in its own process so its RSS is the server's alone.
 * Reads BENCH_RT_DATABASE_URL and BENCH_RT_SEED (JSON, see `Seed`), seeds, starts the real server
 * on a free port and talks to the parent over IPC: `ready` (port and seeded ids), then answers
 * `{ cmd: 'rss', gc }` and `{ cmd: 'stats' }`, and `{ cmd: 'stop' }` closes gracefully.
 */

/** What to seed: `prefix` keeps reruns on one PostgreSQL database apart. */
export type Seed =
  | { kind: 'subscriptions'; prefix: string; accounts: number }
  | { kind: 'queue'; prefix: string; callers: number; agents: number };

export type Ready = {
  type: 'ready';
  port: number;
  pid: number;
  /** subscriptions: brand admins of the fan-out brand, the fan-out ticket, and the lone subscriber's account and ticket. */
  accounts: string[];
  fanoutTicketId?: number;
  soloAccountId?: string;
  soloTicketId?: number;
  /** queue: the callers' tickets in queue order, and the agents. */
  callerTickets?: { ticketId: number; accountId: string }[];
  agents?: string[];
  language?: string;
  productArea?: string;
};

export type Reply = { type: 'rss'; rssKb: number; heapUsedKb: number; heapTotalKb: number; externalKb: number; spaces: Record<string, { usedKb: number; committedKb: number }> } | { type: 'stats'; connections: number; subscriptions: number };

function rssKb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : Math.round(process.memoryUsage().rss / 1024);
}

async function inBatches<T>(items: T[], size: number, each: (batch: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await each(items.slice(i, i + size));
}

function account(em: EntityManager, id: string, brandId: string, role: BrandRole): Account {
  return em.create(Account, { id, brand: em.getReference(Brand, brandId), username: id, email: `${id}@bench.example.com`, firstName: 'Bench', lastName: id, role });
}

async function seedSubscriptions(em: EntityManager, seed: Extract<Seed, { kind: 'subscriptions' }>): Promise<Omit<Ready, 'type' | 'port' | 'pid'>> {
  const brandId = `${seed.prefix}-brand`;
  const soloBrandId = `${seed.prefix}-solo-brand`;
  em.create(Brand, { id: brandId, name: 'Bench fan-out brand' });
  em.create(Brand, { id: soloBrandId, name: 'Bench solo brand' });
  await em.flush();
  const ids = Array.from({ length: seed.accounts }, (_, i) => `${seed.prefix}-admin-${i}`);
  await inBatches(ids, 500, async (batch) => {
    for (const id of batch) account(em, id, brandId, BrandRole.BRAND_ADMIN);
    await em.flush();
    em.clear();
  });
  const soloAccountId = `${seed.prefix}-solo`;
  account(em, soloAccountId, soloBrandId, BrandRole.STANDARD);
  const now = new Date();
  const fanout = em.create(Ticket, { kind: TicketKind.EMAIL, subject: 'Fan-out ticket', productArea: ProductArea.SURVEY_PLATFORM, brand: em.getReference(Brand, brandId), submitter: em.getReference(Account, ids[0]), createdAt: now, lastActivityAt: now });
  const solo = em.create(Ticket, { kind: TicketKind.EMAIL, subject: 'Solo ticket', productArea: ProductArea.SURVEY_PLATFORM, brand: em.getReference(Brand, soloBrandId), submitter: em.getReference(Account, soloAccountId), createdAt: now, lastActivityAt: now });
  em.create(TicketParticipant, { ticket: fanout, account: em.getReference(Account, ids[0]), role: ParticipantRole.SUBMITTER });
  em.create(TicketParticipant, { ticket: solo, account: em.getReference(Account, soloAccountId), role: ParticipantRole.SUBMITTER });
  em.create(Agent, { id: `${seed.prefix}-agent`, displayName: 'Bench agent', email: 'agent@bench.example.com' });
  await em.flush();
  return { accounts: ids, fanoutTicketId: fanout.id, soloAccountId, soloTicketId: solo.id, agents: [`${seed.prefix}-agent`] };
}

async function seedQueue(em: EntityManager, seed: Extract<Seed, { kind: 'queue' }>): Promise<Omit<Ready, 'type' | 'port' | 'pid'>> {
  const brandId = `${seed.prefix}-brand`;
  em.create(Brand, { id: brandId, name: 'Bench queue brand' });
  const agents = Array.from({ length: seed.agents }, (_, i) => `${seed.prefix}-agent-${i}`);
  for (const id of agents) em.create(Agent, { id, displayName: id, email: `${id}@bench.example.com` });
  await em.flush();
  const language = SupportLanguage.ENGLISH;
  const productArea = ProductArea.XM_DIRECTORY;
  const start = Date.now() - seed.callers * 1000;
  const callerTickets: { ticketId: number; accountId: string }[] = [];
  const indexes = Array.from({ length: seed.callers }, (_, i) => i);
  await inBatches(indexes, 500, async (batch) => {
    const made = batch.map((i) => {
      const accountId = `${seed.prefix}-caller-${i}`;
      const caller = account(em, accountId, brandId, BrandRole.STANDARD);
      const at = new Date(start + i * 1000);
      const ticket = em.create(Ticket, { kind: TicketKind.PHONE, subject: `Callback ${i}`, productArea, supportLanguage: language, brand: em.getReference(Brand, brandId), submitter: caller, createdAt: at, lastActivityAt: at });
      em.create(TicketParticipant, { ticket, account: caller, role: ParticipantRole.SUBMITTER });
      em.create(CallbackRequest, { ticket, language, productArea, enqueuedAt: at });
      return { ticket, accountId };
    });
    await em.flush();
    for (const m of made) callerTickets.push({ ticketId: m.ticket.id, accountId: m.accountId });
    em.clear();
  });
  return { accounts: callerTickets.map((c) => c.accountId), callerTickets, agents, language, productArea };
}

async function main(): Promise<void> {
  const url = process.env.BENCH_RT_DATABASE_URL;
  const seed = JSON.parse(process.env.BENCH_RT_SEED ?? 'null') as Seed | null;
  if (!url || !seed) throw new Error('BENCH_RT_DATABASE_URL and BENCH_RT_SEED are required (started by bench/subscriptions.ts or bench/queue.ts)');
  const database = parseDatabaseUrl(url);
  const orm = await createOrm(database);
  const em = orm.em.fork();
  const seeded = seed.kind === 'subscriptions' ? await seedSubscriptions(em, seed) : await seedQueue(em, seed);
  const config: AppConfig = {
    port: 0,
    production: true,
    database,
    auth: { kind: 'secret', secret: new TextEncoder().encode(BENCH_JWT_SECRET), generated: false },
    seedDemoData: false,
    dataDir: process.env.TMPDIR ?? '/tmp',
    support: DEFAULT_SUPPORT_SETTINGS,
    http: { logLevel: 'silent' },
  };
  // BENCH_WS_SERVER=graphql-ws: graphql-ws's own server (makeServer on our ws glue) instead of the fork (bench/ws-servers.sh)
  const subscriptionServer = process.env.BENCH_WS_SERVER === 'graphql-ws' ? 'graphql-ws' : 'fork';
  const server = await startServer(config, { orm, preferenceJobIntervalMs: 0, subscriptionServer });
  const send = (message: Ready | Reply) => process.send?.(message);
  // BENCH_PROFILE=1: the parent profiles only the measured phase (not seeding or subscribing)
  const profiler = new Session();
  profiler.connect();
  process.on('message', (message: { cmd: string; gc?: boolean }) => {
    if (message.cmd === 'rss') {
      if (message.gc && typeof global.gc === 'function') {
        global.gc();
        global.gc();
      }
      const { heapUsed, heapTotal, external } = process.memoryUsage();
      // per V8 space (diagnostics: which part of the heap grew)
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { usedKb: Math.round(s.space_used_size / 1024), committedKb: Math.round(s.physical_space_size / 1024) }]));
      send({ type: 'rss', rssKb: rssKb(), heapUsedKb: Math.round(heapUsed / 1024), heapTotalKb: Math.round(heapTotal / 1024), externalKb: Math.round(external / 1024), spaces });
    } else if (message.cmd === 'profile-start') {
      // BENCH_PROFILE=heap: a sampling heap profile (what allocates) instead of a CPU profile
      if (process.env.BENCH_PROFILE === 'heap') {
        profiler.post('HeapProfiler.enable', () => profiler.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, () => send({ type: 'profile', file: '' } as never)));
      } else {
        profiler.post('Profiler.enable', () => profiler.post('Profiler.start', () => send({ type: 'profile', file: '' } as never)));
      }
    } else if (message.cmd === 'profile-stop') {
      const heap = process.env.BENCH_PROFILE === 'heap';
      const save = (error: Error | null, profile: unknown) => {
        const file = join(RESULTS_DIR, 'profiles', `${(message as { name?: string }).name ?? 'realtime'}-${Date.now()}.${heap ? 'heapprofile' : 'cpuprofile'}`);
        mkdirSync(dirname(file), { recursive: true });
        if (!error) writeFileSync(file, JSON.stringify(profile));
        send({ type: 'profile', file } as never);
      };
      if (heap) profiler.post('HeapProfiler.stopSampling', (error, result) => save(error, result?.profile));
      else profiler.post('Profiler.stop', (error, result) => save(error, result?.profile));
    } else if (message.cmd === 'heap') {
      // diagnostics: a heap snapshot for finding what a subscription holds
      send({ type: 'heap', file: writeHeapSnapshot() } as never);
    } else if (message.cmd === 'stats') {
      send({ type: 'stats', ...server.subscriptions.stats() });
    } else if (message.cmd === 'stop') {
      void server
        .close()
        .then(() => orm.close(true))
        .finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', port: server.port, pid: process.pid, ...seeded });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
