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
import { apiEnv, cpuMsOf, startApi, startBaseline, startPeer } from './lib/proc';

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
  /** The Mercurius + graphql-jit peer (bench/peer-server.ts), loaded in the same rounds. */
  peer: LoadFigures;
  /** GraphQL throughput / baseline throughput: the median of the rounds' ratios. */
  ratio: number;
  /** Each round's ratio (the round's GraphQL req/s over the baseline's, measured back to back). */
  roundRatios: number[];
  /** Peer / baseline and API / peer, the same way (median of the rounds; each round's). */
  peerRatio: number;
  peerRoundRatios: number[];
  apiPeerRatio: number;
  apiPeerRoundRatios: number[];
  /** Server CPU per request (ms), requests sent one at a time: GraphQL, baseline and peer. */
  cpuMs: { graphql: number; baseline: number; peer: number };
  /** The API and the baseline answered the same JSON `data` (the peer must, or the bench stops). */
  sameJson: boolean;
}

export interface ReadResult {
  engine: string;
  /** Seconds of each server's load per round, and how many rounds per case. */
  durationSeconds: number;
  rounds: number;
  connections: number;
  cases: CaseResult[];
  sqlPerRequest: {
    graphqlFirst10: number;
    graphqlFirst50: number;
    baselineFirst10: number;
    baselineFirst50: number;
    graphqlTicket: number;
    baselineTicket: number;
    peerFirst10: number;
    peerFirst50: number;
    peerTicket: number;
  };
  profileDir?: string;
}

export interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** A new body for every request (the write case: a fresh idempotency key each time). */
  fresh?: () => string;
}

export async function load(target: Target, durationSeconds: number, connections: number): Promise<LoadFigures> {
  const { fresh, ...options } = target;
  const requests = fresh ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: fresh() }) }] : undefined;
  const result = await autocannon({ ...options, requests, connections, duration: durationSeconds });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function call(target: Target): Promise<{ json: any; sql?: number }> {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.fresh ? target.fresh() : target.body });
  const json = (await res.json()) as any;
  if (res.status !== 200 || json.errors) throw new Error(`${target.url} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  const sql = res.headers.get('x-sql-statements');
  return { json, sql: sql === null ? undefined : Number(sql) };
}

/** Where two JSON values first differ, for the report when the baseline and the API disagree. */
export function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
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
export async function countGraphqlStatements(dataset: Dataset, token: string, dataDir: string): Promise<{ first10: number; first50: number; ticket: number }> {
  const config = loadConfig(apiEnv({ DATABASE_URL: dataset.databaseUrl, HUB_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  // no background reads of the event log or the outbox while statements are counted (they are not the request's)
  const server = await startServer({ ...config, eventLog: { ...config.eventLog!, pollMs: 0 } }, { preferenceJobIntervalMs: 0 });
  try {
    const send = (query: string, variables: Record<string, unknown>) =>
      call({ url: server.url, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const count = async (query: string, variables: Record<string, unknown>) => {
      const statements: string[] = [];
      const stop = onQuery((sql) => statements.push(sql));
      try {
        await send(query, variables);
      } finally {
        stop();
      }
      if (process.env.BENCH_PRINT_SQL) console.log(statements.join('\n'));
      return statements.length;
    };
    // the first request of a server also verifies the token and reads the viewer (remembered afterwards, D6),
    // and start-up's own reads (outbox, event log) may still be running: counted is a request like the others
    await send(ORGANIZATION_TICKETS, { first: 10 });
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
export async function serverCpuPerRequest(pid: number, target: Target, rounds = 5, perRound = 60): Promise<number> {
  for (let i = 0; i < 20; i++) await call(target);
  const figures: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = cpuMsOf(pid);
    for (let i = 0; i < perRound; i++) await call(target);
    figures.push((cpuMsOf(pid) - before) / perRound);
  }
  return figures.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

/** Each round's throughput of `of` over that of `to` in the same round. */
const ratios = (of: readonly LoadFigures[], to: readonly LoadFigures[]) => of.map((x, r) => x.requestsPerSecond / to[r].requestsPerSecond);

/** Loads the three servers in `rounds` rounds, back to back, their order rotating (ORDERS). */
export async function loadRounds(targets: Record<Server, Target>, rounds: number, durationSeconds: number, connections: number): Promise<Record<Server, LoadFigures[]>> {
  const loaded: Record<Server, LoadFigures[]> = { baseline: [], graphql: [], peer: [] };
  for (let r = 0; r < rounds; r++) {
    for (const server of ORDERS[r % ORDERS.length]) loaded[server].push(await load(targets[server], durationSeconds, connections));
  }
  return loaded;
}

/** The three servers' rounds as figures and ratios (each ratio the median of the rounds', with the rounds'). */
export function summarizeRounds(loaded: Record<Server, LoadFigures[]>) {
  const roundRatios = ratios(loaded.graphql, loaded.baseline);
  const peerRoundRatios = ratios(loaded.peer, loaded.baseline);
  const apiPeerRoundRatios = ratios(loaded.graphql, loaded.peer);
  return {
    graphql: combine(loaded.graphql),
    baseline: combine(loaded.baseline),
    peer: combine(loaded.peer),
    ratio: median(roundRatios),
    roundRatios,
    peerRatio: median(peerRoundRatios),
    peerRoundRatios,
    apiPeerRatio: median(apiPeerRoundRatios),
    apiPeerRoundRatios,
  };
}

/** `median [min–max]` of a case's round ratios. */
export function spread(median: number, rounds: readonly number[]): string {
  return `${median.toFixed(2)} [${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}]`;
}

export function readTable(result: ReadResult): string {
  const lines = [
    `| read case | API req/s | peer req/s | baseline req/s | API / baseline | peer / baseline | API / peer | p50 / p99 ms API · peer · baseline | server CPU ms/request API / peer / baseline | same JSON |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|`,
    ...result.cases.map(
      (c) =>
        `| ${c.name} | ${f1(c.graphql.requestsPerSecond)} | ${f1(c.peer.requestsPerSecond)} | ${f1(c.baseline.requestsPerSecond)} | ${spread(c.ratio, c.roundRatios)} | ${spread(c.peerRatio, c.peerRoundRatios)} | ${spread(c.apiPeerRatio, c.apiPeerRoundRatios)} | ${c.graphql.p50Ms} / ${c.graphql.p99Ms} · ${c.peer.p50Ms} / ${c.peer.p99Ms} · ${c.baseline.p50Ms} / ${c.baseline.p99Ms} | ${c.cpuMs.graphql.toFixed(2)} / ${c.cpuMs.peer.toFixed(2)} / ${c.cpuMs.baseline.toFixed(2)} | ${c.sameJson ? 'yes' : 'NO'} |`,
    ),
    '',
    `Ratios: median [min–max] of ${result.rounds} rounds of ${result.durationSeconds} s per server, the three servers back to back in each round, their order rotating from round to round.`,
    '',
    `| SQL statements per request | API | peer | baseline |`,
    `|---|---:|---:|---:|`,
    `| tickets(first: 10) | ${result.sqlPerRequest.graphqlFirst10} | ${result.sqlPerRequest.peerFirst10} | ${result.sqlPerRequest.baselineFirst10} |`,
    `| tickets(first: 50) | ${result.sqlPerRequest.graphqlFirst50} | ${result.sqlPerRequest.peerFirst50} | ${result.sqlPerRequest.baselineFirst50} |`,
    `| ticket(id) with messages | ${result.sqlPerRequest.graphqlTicket} | ${result.sqlPerRequest.peerTicket} | ${result.sqlPerRequest.baselineTicket} |`,
  ];
  return lines.join('\n');
}

type Server = 'baseline' | 'graphql' | 'peer';

/** The six orders of the three servers: over six rounds each runs first, second and third twice. */
const ORDERS: readonly (readonly Server[])[] = [
  ['baseline', 'graphql', 'peer'],
  ['peer', 'graphql', 'baseline'],
  ['graphql', 'peer', 'baseline'],
  ['baseline', 'peer', 'graphql'],
  ['peer', 'baseline', 'graphql'],
  ['graphql', 'baseline', 'peer'],
];

/**
 * The read-path bench: the real server, the hand-written baseline and the Mercurius + graphql-jit
 * peer (three child processes) on the same database, loaded with the same autocannon settings in
 * `BENCH_ROUNDS` (5) rounds of `BENCH_DURATION` (5) seconds each, the three back to back in each
 * round and their order rotating; each ratio is the median of the rounds' ratios (on this shared
 * 2-core VM one 10 s run of each moved the baseline between 460 and 770 req/s from one run to the
 * next while the API stayed near 190).
 */
export async function runRead(dataset: Dataset, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<ReadResult> {
  const durationSeconds = Number(env.BENCH_DURATION ?? 5);
  const rounds = Math.max(1, Number(env.BENCH_ROUNDS ?? 5));
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
  const peer = await startPeer(dataset.databaseUrl);
  try {
    const gql = (query: string, variables: Record<string, unknown>, baseUrl = api.baseUrl): Target => ({
      url: `${baseUrl}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const base = (path: string): Target => ({ url: `${baseline.baseUrl}${path}`, method: 'GET', headers: { authorization: `Bearer ${token}` } });

    const cases = [
      {
        name: '(a) tickets(first: 50), brand admin, ORGANIZATION',
        graphql: gql(ORGANIZATION_TICKETS, { first: 50 }),
        peer: gql(ORGANIZATION_TICKETS, { first: 50 }, peer.baseUrl),
        baseline: base('/tickets?first=50'),
      },
      { name: '(b) ticket(id) with messages', graphql: gql(ONE_TICKET, { id: ticketId }), peer: gql(ONE_TICKET, { id: ticketId }, peer.baseUrl), baseline: base(`/ticket?id=${ticketId}`) },
    ];
    const baselineSql = {
      first10: (await call(base('/tickets?first=10'))).sql!,
      first50: (await call(base('/tickets?first=50'))).sql!,
      ticket: (await call(base(`/ticket?id=${ticketId}`))).sql!,
    };
    const peerSql = {
      first10: (await call(gql(ORGANIZATION_TICKETS, { first: 10 }, peer.baseUrl))).sql!,
      first50: (await call(cases[0].peer)).sql!,
      ticket: (await call(cases[1].peer)).sql!,
    };

    const results: CaseResult[] = [];
    for (const c of cases) {
      const [g, b, p] = [await call(c.graphql), await call(c.baseline), await call(c.peer)];
      const difference = firstDifference(g.json.data, b.json.data);
      if (difference) log(`WARNING ${c.name}: GraphQL and baseline answers differ at ${difference}`);
      // the peer is only a reference if it does the same work: a different answer stops the bench
      const peerDifference = firstDifference(g.json.data, p.json.data);
      if (peerDifference) throw new Error(`${c.name}: the API and the peer answer different JSON at ${peerDifference}`);
      log(`Loading ${c.name}: ${rounds} rounds of baseline, GraphQL and peer back to back, their order rotating (${durationSeconds} s each, ${connections} connections)…`);
      for (const server of ['baseline', 'graphql', 'peer'] as const) await load(c[server], warmupSeconds, connections);
      // the machine's speed drifts (other work, CPU steal): each round compares the three under the same conditions
      const loaded = await loadRounds(c, rounds, durationSeconds, connections);
      log(`Server CPU per request of ${c.name}, requests one at a time…`);
      const cpuMs = {
        graphql: await serverCpuPerRequest(api.child.pid!, c.graphql),
        baseline: await serverCpuPerRequest(baseline.child.pid!, c.baseline),
        peer: await serverCpuPerRequest(peer.child.pid!, c.peer),
      };
      results.push({ name: c.name, ...summarizeRounds(loaded), cpuMs, sameJson: difference === null });
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
        peerFirst10: peerSql.first10,
        peerFirst50: peerSql.first50,
        peerTicket: peerSql.ticket,
      },
      profileDir,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(resolve(RESULTS_DIR, 'read.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await Promise.all([api.stop(), baseline.stop(), peer.stop()]);
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
