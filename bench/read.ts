import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { signLocalToken } from '../src/auth/token';
import { loadConfig } from '../src/config';
import { onQuery } from '../src/db/orm';
import { startServer } from '../src/server';
import { type Dataset, ensureDataset } from './generate';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './lib/params';
import { apiEnv, cpuMsOf, startApi, startBaseline } from './lib/proc';

/** (a) the brand admin's organization list, with the relations a ticket list screen shows. */
export const ORGANIZATION_TICKETS = `query OrganizationTickets($first: Int!) {
  tickets(first: $first, scope: ORGANIZATION) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id number type status subject createdAt
        submitter { username displayName }
        participants { username displayName role }
        assignee { name }
        escalation { reference status timeline { status reachedAt } }
      }
    }
  }
}`;

/** (b) one ticket with its e-mail thread. */
export const ONE_TICKET = `query OneTicket($id: ID!) {
  ticket(id: $id) {
    id number type status subject createdAt
    messages { authorKind subject bodyHtml recipients createdAt }
  }
}`;

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface CaseResult {
  name: string;
  /** Medians over the rounds (req/s, p50, p99); requests, non-2xx and errors summed. */
  graphql: LoadFigures;
  baseline: LoadFigures;
  /** GraphQL throughput / baseline throughput: the median of the rounds' ratios. */
  ratio: number;
  /** Each round's ratio (the round's GraphQL req/s over the baseline's, measured back to back). */
  roundRatios: number[];
  /** Server CPU per request (ms), requests sent one at a time: GraphQL and baseline. */
  cpuMs: { graphql: number; baseline: number };
  /** The two answered the same JSON `data`. */
  sameJson: boolean;
}

export interface ReadResult {
  engine: string;
  /** Seconds of each server's load per round, and how many rounds per case. */
  durationSeconds: number;
  rounds: number;
  connections: number;
  cases: CaseResult[];
  sqlPerRequest: { graphqlFirst10: number; graphqlFirst50: number; baselineFirst10: number; baselineFirst50: number; graphqlTicket: number; baselineTicket: number };
  profileDir?: string;
}

interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

async function load(target: Target, durationSeconds: number, connections: number): Promise<LoadFigures> {
  const result = await autocannon({ ...target, connections, duration: durationSeconds });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function call(target: Target): Promise<{ json: any; sql?: number }> {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body });
  const json = (await res.json()) as any;
  if (res.status !== 200 || json.errors) throw new Error(`${target.url} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  const sql = res.headers.get('x-sql-statements');
  return { json, sql: sql === null ? undefined : Number(sql) };
}

/** Where two JSON values first differ, for the report when the baseline and the API disagree. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const diff = firstDifference((a as any)[key], (b as any)[key], `${path}.${key}`);
      if (diff) return diff;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Counts the SQL statements of one request against an in-process server on the same database. */
async function countGraphqlStatements(dataset: Dataset, token: string, dataDir: string): Promise<{ first10: number; first50: number; ticket: number }> {
  const config = loadConfig(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  const server = await startServer(config, { preferenceJobIntervalMs: 0 });
  try {
    const count = async (query: string, variables: Record<string, unknown>) => {
      const statements: string[] = [];
      const stop = onQuery((sql) => statements.push(sql));
      try {
        await call({ url: server.url, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      } finally {
        stop();
      }
      return statements.length;
    };
    return {
      first10: await count(ORGANIZATION_TICKETS, { first: 10 }),
      first50: await count(ORGANIZATION_TICKETS, { first: 50 }),
      ticket: await count(ONE_TICKET, { id: Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url') }),
    };
  } finally {
    await server.close();
  }
}

const f1 = (n: number) => n.toFixed(1);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Several rounds of one server's load as one figure: medians of the rates and latencies, sums of the counts. */
function combine(rounds: readonly LoadFigures[]): LoadFigures {
  return {
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

/**
 * The server's CPU time per request, requests sent one at a time by this process: the process
 * serving them is measured, not the client, and a busy machine disturbs it far less than req/s.
 * Median of `rounds` rounds of `perRound` requests.
 */
async function serverCpuPerRequest(pid: number, target: Target, rounds = 5, perRound = 60): Promise<number> {
  for (let i = 0; i < 20; i++) await call(target);
  const figures: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = cpuMsOf(pid);
    for (let i = 0; i < perRound; i++) await call(target);
    figures.push((cpuMsOf(pid) - before) / perRound);
  }
  return figures.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

export function readTable(result: ReadResult): string {
  const lines = [
    `| read case | GraphQL req/s | baseline req/s | ratio (median; each round) | GraphQL p50 / p99 ms | baseline p50 / p99 ms | server CPU ms/request GraphQL / baseline | same JSON |`,
    `|---|---:|---:|---:|---:|---:|---:|:-:|`,
    ...result.cases.map(
      (c) =>
        `| ${c.name} | ${f1(c.graphql.requestsPerSecond)} | ${f1(c.baseline.requestsPerSecond)} | ${c.ratio.toFixed(2)} (${c.roundRatios.map((r) => r.toFixed(2)).join(', ')}) | ${c.graphql.p50Ms} / ${c.graphql.p99Ms} | ${c.baseline.p50Ms} / ${c.baseline.p99Ms} | ${c.cpuMs.graphql.toFixed(2)} / ${c.cpuMs.baseline.toFixed(2)} | ${c.sameJson ? 'yes' : 'NO'} |`,
    ),
    '',
    `| SQL statements per request | GraphQL | baseline |`,
    `|---|---:|---:|`,
    `| tickets(first: 10) | ${result.sqlPerRequest.graphqlFirst10} | ${result.sqlPerRequest.baselineFirst10} |`,
    `| tickets(first: 50) | ${result.sqlPerRequest.graphqlFirst50} | ${result.sqlPerRequest.baselineFirst50} |`,
    `| ticket(id) with messages | ${result.sqlPerRequest.graphqlTicket} | ${result.sqlPerRequest.baselineTicket} |`,
  ];
  return lines.join('\n');
}

/**
 * The read-path bench: the real server (child process) and the hand-written baseline (child
 * process) on the same database, loaded with the same autocannon settings in `BENCH_ROUNDS` (3)
 * rounds of `BENCH_DURATION` (5) seconds each, back to back and alternating which goes first; the
 * ratio is the median of the rounds' ratios (on this shared 2-core VM one 10 s run of each moved the
 * baseline between 460 and 770 req/s from one run to the next while the API stayed near 190).
 */
export async function runRead(dataset: Dataset, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<ReadResult> {
  const durationSeconds = Number(env.BENCH_DURATION ?? 5);
  const rounds = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
  const connections = Number(env.BENCH_CONNECTIONS ?? 10);
  const warmupSeconds = 3;
  const dataDir = join(tmpdir(), `hub-bench-read-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const profileDir = env.BENCH_PROFILE === '1' ? resolve(RESULTS_DIR, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '2h' });
  const ticketId = Buffer.from(`Ticket:${dataset.sampleTicketId}`).toString('base64url');

  log('Counting SQL statements per request…');
  const graphqlSql = await countGraphqlStatements(dataset, token, dataDir);

  const api = await startApi(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir }), {
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  const baseline = await startBaseline(dataset.databaseUrl);
  try {
    const gql = (query: string, variables: Record<string, unknown>): Target => ({
      url: `${api.baseUrl}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const base = (path: string): Target => ({ url: `${baseline.baseUrl}${path}`, method: 'GET', headers: { authorization: `Bearer ${token}` } });

    const cases = [
      { name: '(a) tickets(first: 50), brand admin, ORGANIZATION', graphql: gql(ORGANIZATION_TICKETS, { first: 50 }), baseline: base('/tickets?first=50') },
      { name: '(b) ticket(id) with messages', graphql: gql(ONE_TICKET, { id: ticketId }), baseline: base(`/ticket?id=${ticketId}`) },
    ];
    const baselineSql = {
      first10: (await call(base('/tickets?first=10'))).sql!,
      first50: (await call(base('/tickets?first=50'))).sql!,
      ticket: (await call(base(`/ticket?id=${ticketId}`))).sql!,
    };

    const results: CaseResult[] = [];
    for (const c of cases) {
      const [g, b] = [await call(c.graphql), await call(c.baseline)];
      const difference = firstDifference(g.json.data, b.json.data);
      if (difference) log(`WARNING ${c.name}: GraphQL and baseline answers differ at ${difference}`);
      log(`Loading ${c.name}: ${rounds} rounds of baseline and GraphQL back to back, alternating which goes first (${durationSeconds} s each, ${connections} connections)…`);
      await load(c.baseline, warmupSeconds, connections);
      await load(c.graphql, warmupSeconds, connections);
      // the machine's speed drifts (other work, CPU steal): each round compares the two under the same conditions
      const baselineRounds: LoadFigures[] = [];
      const graphqlRounds: LoadFigures[] = [];
      for (let r = 0; r < rounds; r++) {
        if (r % 2 === 0) {
          baselineRounds.push(await load(c.baseline, durationSeconds, connections));
          graphqlRounds.push(await load(c.graphql, durationSeconds, connections));
        } else {
          graphqlRounds.push(await load(c.graphql, durationSeconds, connections));
          baselineRounds.push(await load(c.baseline, durationSeconds, connections));
        }
      }
      const roundRatios = graphqlRounds.map((g, r) => g.requestsPerSecond / baselineRounds[r].requestsPerSecond);
      log(`Server CPU per request of ${c.name}, requests one at a time…`);
      const cpuMs = { graphql: await serverCpuPerRequest(api.child.pid!, c.graphql), baseline: await serverCpuPerRequest(baseline.child.pid!, c.baseline) };
      results.push({
        cpuMs,
        name: c.name,
        graphql: combine(graphqlRounds),
        baseline: combine(baselineRounds),
        ratio: median(roundRatios),
        roundRatios,
        sameJson: difference === null,
      });
    }
    const result: ReadResult = {
      engine: dataset.engine,
      durationSeconds,
      rounds,
      connections,
      cases: results,
      sqlPerRequest: {
        graphqlFirst10: graphqlSql.first10,
        graphqlFirst50: graphqlSql.first50,
        baselineFirst10: baselineSql.first10,
        baselineFirst50: baselineSql.first50,
        graphqlTicket: graphqlSql.ticket,
        baselineTicket: baselineSql.ticket,
      },
      profileDir,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(resolve(RESULTS_DIR, 'read.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await Promise.all([api.stop(), baseline.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  ensureDataset()
    .then((dataset) => runRead(dataset))
    .then((result) => console.log(`\n${readTable(result)}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
