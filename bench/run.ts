import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDataset } from './generate';
import { machineLine } from './lib/machine';
import { REPO_ROOT, RESULTS_DIR } from './lib/params';
import { readTable, runRead } from './read';
import { runStartup, startupTable } from './startup';
import { runWrite, writeTable } from './write';

/** One line of the summary: a figure, its target and whether the run met it. */
export interface TargetRow {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}

/**
 * Runs the bench parts written by other issues (compiled `dist/bench/<name>.js`) when present. They
 * print their own table and write `bench/results/<name>.json`; when that JSON has a `targets` array
 * of `{ figure, value, target, met }`, those rows join the summary.
 */
async function runExternal(name: string, log: (line: string) => void): Promise<{ rows: TargetRow[]; output: string } | null> {
  const script = resolve(REPO_ROOT, 'dist', 'bench', `${name}.js`);
  if (!existsSync(script)) {
    log(`(${name}: ${script} not built, skipped)`);
    return null;
  }
  log(`Running ${name}…`);
  let output = '';
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, [script], { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('exit', done);
  });
  const json = resolve(RESULTS_DIR, `${name}.json`);
  let rows: TargetRow[] = [];
  if (existsSync(json)) {
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { targets?: TargetRow[] };
    if (Array.isArray(parsed.targets)) rows = parsed.targets.map((row) => ({ figure: `${name}: ${row.figure}`, value: String(row.value), target: row.target, met: row.met }));
    else rows = knownTargets(name, parsed as Record<string, any>);
  }
  if (code !== 0) rows.push({ figure: `${name} bench`, value: `exited with ${code}`, target: 'completes', met: false });
  return { rows, output };
}

/** The issue's targets read from the figures the real-time benches write today (no `targets` array). */
function knownTargets(name: string, r: Record<string, any>): TargetRow[] {
  const rows: TargetRow[] = [];
  if (name === 'subscriptions') {
    const n = r.subscribers ?? '?';
    if (typeof r.rssPerSubscriptionKb === 'number') {
      rows.push({ figure: `subscriptions: RSS per idle subscription (${n} subscribers)`, value: `${r.rssPerSubscriptionKb} KB`, target: '≤ 20 KB (at 10,000)', met: r.rssPerSubscriptionKb <= 20 });
    }
    if (typeof r.single?.p99Ms === 'number') {
      rows.push({ figure: `subscriptions: status change delivered, p99 (${n} connected)`, value: `${r.single.p99Ms} ms`, target: '≤ 50 ms (at 10,000)', met: r.single.p99Ms <= 50 });
    }
    const rounds: number[] | undefined = r.fanout?.allDeliveredMs;
    if (Array.isArray(rounds) && rounds.length > 0) {
      // every round counts: the target is each status change, not a typical one
      const slowest = Math.max(...rounds);
      rows.push({ figure: `subscriptions: one status change fanned out to all ${n}, last delivered after (slowest of ${rounds.length} rounds)`, value: `${slowest} ms (rounds: ${rounds.join(', ')} ms)`, target: '≤ 1000 ms', met: slowest <= 1000 });
    }
  }
  if (name === 'queue' && typeof r.perWaiter?.p99Ms === 'number') {
    rows.push({ figure: `queue: new position per waiter, p99 (${r.callers ?? '?'} waiters)`, value: `${r.perWaiter.p99Ms} ms`, target: '≤ 500 ms', met: r.perWaiter.p99Ms <= 500 });
  }
  return rows;
}

const yes = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : '**no**');

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => console.log(line);
  const rows: TargetRow[] = [];
  const sections: string[] = [];

  const dataset = await ensureDataset(process.env, log);
  rows.push({
    figure: `data generation (${dataset.params.tickets.toLocaleString('en')} tickets, ${dataset.engine})`,
    value: dataset.generatedMs === null ? 'cached' : `${(dataset.generatedMs / 1000).toFixed(1)} s`,
    target: '—',
    met: null,
  });

  const read = await runRead(dataset, process.env, log);
  const [a, b] = read.cases;
  const pair = (c: typeof a) => `peer / baseline ${c.peerRatio.toFixed(2)}, API / peer ${c.apiPeerRatio.toFixed(2)} (peer ${c.peer.requestsPerSecond.toFixed(0)} req/s; CPU ms/request API ${c.cpuMs.graphql.toFixed(2)}, peer ${c.cpuMs.peer.toFixed(2)}, baseline ${c.cpuMs.baseline.toFixed(2)})`;
  rows.push({ figure: '(a) tickets(first: 50) throughput GraphQL / baseline', value: `${a.ratio.toFixed(2)} (${a.graphql.requestsPerSecond.toFixed(0)} / ${a.baseline.requestsPerSecond.toFixed(0)} req/s)`, target: '≥ 0.5', met: a.ratio >= 0.5 });
  rows.push({ figure: '(a) latency p50 / p99', value: `${a.graphql.p50Ms} / ${a.graphql.p99Ms} ms (baseline ${a.baseline.p50Ms} / ${a.baseline.p99Ms})`, target: '—', met: null });
  rows.push({ figure: '(b) ticket(id) throughput GraphQL / baseline', value: `${b.ratio.toFixed(2)} (${b.graphql.requestsPerSecond.toFixed(0)} / ${b.baseline.requestsPerSecond.toFixed(0)} req/s)`, target: '≥ 0.5', met: b.ratio >= 0.5 });
  rows.push({ figure: '(a) against the peer (Mercurius + graphql-jit)', value: pair(a), target: 'API / peer: aim 1.0', met: null });
  rows.push({ figure: '(b) against the peer (Mercurius + graphql-jit)', value: pair(b), target: 'API / peer: aim 1.0', met: null });
  rows.push({ figure: '(b) latency p50 / p99', value: `${b.graphql.p50Ms} / ${b.graphql.p99Ms} ms (baseline ${b.baseline.p50Ms} / ${b.baseline.p99Ms})`, target: '—', met: null });
  const sql = read.sqlPerRequest;
  rows.push({ figure: 'SQL statements per request, first: 10 vs first: 50', value: `${sql.graphqlFirst10} vs ${sql.graphqlFirst50}`, target: 'equal', met: sql.graphqlFirst10 === sql.graphqlFirst50 });
  rows.push({ figure: 'GraphQL and baseline answer the same JSON', value: read.cases.every((c) => c.sameJson) ? 'yes' : 'no', target: 'yes', met: read.cases.every((c) => c.sameJson) });
  sections.push(`### Read path (${read.engine}, autocannon ${read.connections} connections, ${read.rounds} rounds of ${read.durationSeconds} s per server and case)\n\n${readTable(read)}`);

  const write = await runWrite(dataset, process.env, log);
  if (write) {
    rows.push({
      figure: 'write: createEmailTicket GraphQL / baseline',
      value: `${write.ratio.toFixed(2)} (${write.graphql.requestsPerSecond.toFixed(0)} / ${write.baseline.requestsPerSecond.toFixed(0)} req/s); peer / baseline ${write.peerRatio.toFixed(2)}; CPU ms/request API ${write.cpuMs.graphql.toFixed(2)}, peer ${write.cpuMs.peer.toFixed(2)}, baseline ${write.cpuMs.baseline.toFixed(2)}`,
      target: '—',
      met: null,
    });
    sections.push(`### Write case (${write.engine}, autocannon ${write.connections} connections)\n\n${writeTable(write)}`);
  }

  const startup = await runStartup(process.env, log);
  rows.push({ figure: 'start-up to ready (embedded SQLite, existing database)', value: `${startup.readyMs.toFixed(0)} ms`, target: '≤ 2000 ms', met: startup.readyMs <= 2000 });
  rows.push({ figure: 'idle RSS', value: `${(startup.idleRssBytes / 2 ** 20).toFixed(1)} MB`, target: '≤ 150 MB', met: startup.idleRssBytes <= 150 * 2 ** 20 });
  sections.push(`### Start-up\n\n${startupTable(startup)}`);

  for (const name of ['subscriptions', 'queue']) {
    const external = await runExternal(name, log);
    if (!external) continue;
    rows.push(...external.rows);
    sections.push(`### ${name}\n\n${external.output.trim()}`);
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const summary = [
    `## Benchmark summary`,
    '',
    `Command: \`npm run bench\`${process.env.BENCH_SCALE ? ` with BENCH_SCALE=${process.env.BENCH_SCALE}` : ''}; ${new Date().toISOString()}; ${machineLine()}; total ${totalSeconds.toFixed(0)} s.`,
    '',
    '| figure | value | target | met? |',
    '|---|---|---|:-:|',
    ...rows.map((row) => `| ${row.figure} | ${row.value} | ${row.target} | ${yes(row.met)} |`),
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resolve(RESULTS_DIR, 'summary.md'), summary);
  console.log(`\n${summary}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
