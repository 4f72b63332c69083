import 'reflect-metadata';
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signLocalToken } from '../src/auth/token';
import { type Dataset, ensureDataset } from './generate';
import { openSqlite } from './lib/db';
import { BENCH_JWT_SECRET, RESULTS_DIR } from './lib/params';
import { apiEnv, startApi, startBaseline, startPeer } from './lib/proc';
import { call, firstDifference, type LoadFigures, load, loadRounds, serverCpuPerRequest, spread, summarizeRounds, type Target } from './read';

/** The write case: an e-mail ticket with an idempotency key, selecting what a client shows after it. */
export const CREATE_EMAIL_TICKET = `mutation CreateEmailTicket($input: CreateEmailTicketInput!) {
  createEmailTicket(input: $input) {
    ticket { id number type status subject }
    userErrors { message }
  }
}`;

export interface WriteResult {
  engine: string;
  durationSeconds: number;
  rounds: number;
  connections: number;
  /** Medians over the rounds (req/s, p50, p99); requests, non-2xx and errors summed. */
  graphql: LoadFigures;
  peer: LoadFigures;
  baseline: LoadFigures;
  ratio: number;
  roundRatios: number[];
  peerRatio: number;
  peerRoundRatios: number[];
  apiPeerRatio: number;
  apiPeerRoundRatios: number[];
  cpuMs: { graphql: number; peer: number; baseline: number };
  /** Rows each server wrote for one create (ticket, participant, message, outbox): must be equal. */
  rowsPerCreate: Record<'graphql' | 'peer' | 'baseline', Record<string, number>>;
}

const f1 = (n: number) => n.toFixed(1);

export function writeTable(r: WriteResult): string {
  const rows = (who: keyof WriteResult['rowsPerCreate']) => Object.values(r.rowsPerCreate[who]).join(' / ');
  return [
    `| write case | API req/s | peer req/s | baseline req/s | API / baseline | peer / baseline | API / peer | p50 / p99 ms API · peer · baseline | server CPU ms/request API / peer / baseline |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
    `| createEmailTicket, new idempotency key each | ${f1(r.graphql.requestsPerSecond)} | ${f1(r.peer.requestsPerSecond)} | ${f1(r.baseline.requestsPerSecond)} | ${spread(r.ratio, r.roundRatios)} | ${spread(r.peerRatio, r.peerRoundRatios)} | ${spread(r.apiPeerRatio, r.apiPeerRoundRatios)} | ${r.graphql.p50Ms} / ${r.graphql.p99Ms} · ${r.peer.p50Ms} / ${r.peer.p99Ms} · ${r.baseline.p50Ms} / ${r.baseline.p99Ms} | ${r.cpuMs.graphql.toFixed(2)} / ${r.cpuMs.peer.toFixed(2)} / ${r.cpuMs.baseline.toFixed(2)} |`,
    '',
    `Rows per create (ticket / participant / message / outbox): API ${rows('graphql')}, peer ${rows('peer')}, baseline ${rows('baseline')}. ${r.rounds} rounds of ${r.durationSeconds} s per server, order rotating, on a copy of the bench database.`,
  ].join('\n');
}

/** How many rows of each kind the ticket created with `key` has. */
function rowsOf(path: string, key: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const count = (sql: string) => Number((db.prepare(sql).get(key) as { n: number }).n);
    return {
      ticket: count('select count(*) as n from ticket where idempotency_key = ?'),
      participant: count(`select count(*) as n from ticket_participant where role = 'SUBMITTER' and ticket_id in (select id from ticket where idempotency_key = ?)`),
      message: count('select count(*) as n from message where ticket_id in (select id from ticket where idempotency_key = ?)'),
      outbox: count(`select count(*) as n from outbox where topic = 'TICKET_CONFIRMATION' and ticket_id in (select id from ticket where idempotency_key = ?)`),
    };
  } finally {
    db.close();
  }
}

/**
 * The write bench: `createEmailTicket` through the API, the peer (the same rows as the baseline,
 * behind Mercurius) and the baseline (bench/lib/email-ticket.ts: the replay look-up, then ticket,
 * participant, first message and confirmation outbox row in one transaction), every request with a
 * new idempotency key, loaded like the reads. It writes into a copy of the SQLite bench database,
 * so the cached data set — and the read figures — never change; on PostgreSQL it is skipped (it
 * would add rows to the shared bench database).
 */
export async function runWrite(dataset: Dataset, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<WriteResult | null> {
  if (dataset.engine !== 'sqlite') {
    log('(write case: SQLite only, skipped on PostgreSQL: it would add rows to the bench database)');
    return null;
  }
  const durationSeconds = Number(env.BENCH_DURATION ?? 5);
  const rounds = Math.max(1, Number(env.BENCH_WRITE_ROUNDS ?? 3));
  const connections = Number(env.BENCH_CONNECTIONS ?? 10);
  const workDir = join(tmpdir(), `hub-bench-write-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const copy = join(workDir, 'write.sqlite');
  log('Write case: copying the bench database…');
  const source = new Database(dataset.databaseUrl.slice('sqlite:'.length), { readonly: true });
  await source.backup(copy);
  source.close();
  // the same journal mode as the API sets (src/read/driver.ts) before the three open it
  const prepared = openSqlite(copy);
  await prepared.close();
  const databaseUrl = `sqlite:${copy}`;

  // the outbox is drained by the API's delivery worker apart from the request; idle here, the request's own work is measured
  const api = await startApi(apiEnv({ DATABASE_URL: databaseUrl, HUB_DATA_DIR: join(workDir, 'data'), DELIVERY_POLL_MS: '600000' }));
  const baseline = await startBaseline(databaseUrl);
  const peer = await startPeer(databaseUrl);
  try {
    const token = await signLocalToken(new TextEncoder().encode(BENCH_JWT_SECRET), dataset.adminAccountId, { expiresIn: '2h' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    let n = 0;
    const input = (key = `bench-write-${process.pid}-${++n}`) => ({ productArea: 'CX_DASHBOARDS', subject: 'Dashboard export fails', description: 'The export of the CX dashboard stops at 80 %.\nSince Monday.', idempotencyKey: key });
    const gql = (baseUrl: string, key?: string): Target => ({
      url: `${baseUrl}/graphql`,
      method: 'POST',
      headers,
      fresh: () => JSON.stringify({ query: CREATE_EMAIL_TICKET, variables: { input: input(key) } }),
    });
    const targets = {
      graphql: gql(api.baseUrl),
      peer: gql(peer.baseUrl),
      baseline: { url: `${baseline.baseUrl}/email-tickets`, method: 'POST', headers, fresh: () => JSON.stringify(input()) } as Target,
    };

    // the same work: the same answer (but the ticket's id) and the same rows, and a retry with the key replays
    const rowsPerCreate = {} as WriteResult['rowsPerCreate'];
    const answers: Record<string, unknown> = {};
    for (const server of ['graphql', 'peer', 'baseline'] as const) {
      const key = `bench-write-check-${server}-${process.pid}`;
      const once: Target = server === 'baseline' ? { ...targets.baseline, fresh: () => JSON.stringify(input(key)) } : gql(server === 'graphql' ? api.baseUrl : peer.baseUrl, key);
      const first = (await call(once)).json.data.createEmailTicket;
      const again = (await call(once)).json.data.createEmailTicket;
      if (!first.ticket || first.userErrors.length) throw new Error(`write case: ${server} refused the create: ${JSON.stringify(first)}`);
      if (again.ticket.id !== first.ticket.id) throw new Error(`write case: ${server} did not replay the idempotency key (${first.ticket.id}, then ${again.ticket.id})`);
      answers[server] = { ...first, ticket: { ...first.ticket, id: undefined, number: undefined } };
      rowsPerCreate[server] = rowsOf(copy, key);
    }
    for (const server of ['peer', 'baseline'] as const) {
      const difference = firstDifference(answers.graphql, answers[server]) ?? firstDifference(rowsPerCreate.graphql, rowsPerCreate[server], 'rows');
      if (difference) throw new Error(`write case: the API and the ${server} differ at ${difference}`);
    }

    log(`Loading the write case: ${rounds} rounds of baseline, GraphQL and peer, their order rotating (${durationSeconds} s each, ${connections} connections)…`);
    for (const server of ['baseline', 'graphql', 'peer'] as const) await load(targets[server], 3, connections);
    const loaded = await loadRounds(targets, rounds, durationSeconds, connections);
    log('Server CPU per request of the write case, requests one at a time…');
    const cpuMs = {
      graphql: await serverCpuPerRequest(api.child.pid!, targets.graphql),
      peer: await serverCpuPerRequest(peer.child.pid!, targets.peer),
      baseline: await serverCpuPerRequest(baseline.child.pid!, targets.baseline),
    };
    const result: WriteResult = {
      engine: dataset.engine,
      durationSeconds,
      rounds,
      connections,
      ...summarizeRounds(loaded),
      cpuMs,
      rowsPerCreate,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(resolve(RESULTS_DIR, 'write.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await Promise.all([api.stop(), baseline.stop(), peer.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  ensureDataset()
    .then((dataset) => runWrite(dataset))
    .then((result) => result && console.log(`\n${writeTable(result)}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
