import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { LoadWindow } from './profile-read';

/**
 * Summarizes the newest V8 CPU profile in a directory (written by `BENCH_PROFILE=1`): self time by
 * function and by package, to find what to fix. Usage: node dist/bench/profile-summary.js [dir|file]
 * For a profile written by `profile-read.js` it also prints the server's CPU per request under load
 * split into the parts of a request (the budget table of docs/performance.md).
 */
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function newest(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path).filter((f) => f.endsWith('.cpuprofile')).map((f) => resolve(path, f));
  if (!files.length) throw new Error(`no .cpuprofile in ${path}`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/src/')) return 'app (dist/src)';
  if (url.startsWith('node:') || !url) return url || '(native/gc/idle)';
  return url;
}

const file = newest(process.argv[2] ?? resolve(__dirname, '..', '..', 'bench', 'results', 'profiles'));
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + hits);
}
// inclusive time: every function on a sample's stack counts once for that sample
const inclusive = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber + 1}`;
function walk(node: ProfileNode, onStack: Set<string>): number {
  const key = label(node);
  const fresh = !onStack.has(key);
  if (fresh) onStack.add(key);
  let hits = node.hitCount ?? 0;
  for (const child of node.children ?? []) hits += walk(nodes.get(child)!, onStack);
  if (fresh) {
    onStack.delete(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
  }
  return hits;
}
walk(profile.nodes[0], new Set());
const top = (map: Map<string, number>, n: number) =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
const filter = process.argv[3] ? new RegExp(process.argv[3]) : /dist\/src|mikro-orm|graphql|apollo|express|knex|dataloader/;
const inclusiveTop = new Map([...inclusive.entries()].filter(([k]) => filter.test(k)));
console.log(`${file}\n\nSelf time by package:\n${top(byPackage, 15)}\n\nSelf time by function:\n${top(byFunction, 30)}\n\nInclusive time (matching ${filter}):\n${top(inclusiveTop, 60)}`);

/**
 * The parts of a request, in priority order: a sample belongs to the first part that has a frame
 * anywhere on the sample's stack. So a statement a resolver runs is SQL, not execution; the answer's
 * serialization is JSON although Apollo called it; and so on. What matches nothing (promise
 * machinery, continuations after an `await`) is "other".
 */
const PARTS: { name: string; matches: (frame: ProfileNode['callFrame']) => boolean }[] = [
  {
    name: 'SQL statements (driver, statement cache, pool)',
    matches: (f) => (f.functionName === 'run' && f.url.endsWith('/dist/src/read/driver.js')) || (f.functionName === 'query' && f.url.endsWith('/dist/bench/lib/db.js')) || /node_modules\/(better-sqlite3|pg|tarn)\//.test(f.url),
  },
  { name: "the answer's JSON", matches: (f) => f.functionName === 'prettyJSONStringify' || f.functionName === 'answerJson' },
  { name: 'garbage collection', matches: (f) => f.functionName === '(garbage collector)' },
  { name: 'writing the answer to the socket (node:http, node:net)', matches: (f) => /^node:(_http_outgoing|net|internal\/stream_base_commons)$/.test(f.url) },
  { name: 'GraphQL execution with the resolvers (graphql-js, type-graphql, app code they call)', matches: (f) => /node_modules\/graphql\/execution\//.test(f.url) },
  {
    name: 'request set-up (token, viewer, limits, context, loaders)',
    matches: (f) => /\/dist\/src\/(context|limits\/|auth\/viewer|auth\/token|loaders\/)/.test(f.url) || (f.functionName === 'viewerFrom' && f.url.endsWith('/dist/src/server.js')) || /node_modules\/jose\//.test(f.url),
  },
  { name: "the baseline's handler (viewer, rules, building the answer)", matches: (f) => f.url.endsWith('/dist/bench/baseline-server.js') },
  { name: 'Apollo request pipeline (parse/validate caches, plugins)', matches: (f) => /node_modules\/@apollo\//.test(f.url) },
  { name: 'Express and middleware (router, helmet, CORS, body parser, logs)', matches: (f) => /node_modules\/(express|router|body-parser|raw-body|helmet|cors|type-is|on-finished|pino|pino-http)\//.test(f.url) },
  { name: 'reading the request (node:http parser, streams)', matches: (f) => /^node:(_http_common|_http_server|_http_incoming|internal\/streams\/readable)$/.test(f.url) },
];

function loadWindowOf(profileFile: string): LoadWindow | undefined {
  const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(basename(profileFile))?.[1];
  const path = pid && resolve(dirname(profileFile), `load-window.${pid}.json`);
  return path && existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LoadWindow) : undefined;
}

const window = loadWindowOf(file);
if (window) {
  // half a second off each end: warm-up and the last requests in flight
  const from = (window.fromMs + 500) * 1_000;
  const to = (window.toMs - 500) * 1_000;
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const partOfNode = new Map<number, number>();
  const partOf = (id: number): number => {
    let part = partOfNode.get(id);
    if (part === undefined) {
      const stack: ProfileNode['callFrame'][] = [];
      for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(nodes.get(at)!.callFrame);
      part = PARTS.findIndex((p) => stack.some(p.matches));
      if (part < 0) part = PARTS.length; // other
      partOfNode.set(id, part);
    }
    return part;
  };
  const busyUs = new Array<number>(PARTS.length + 1).fill(0);
  let idleUs = 0;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    clock += profile.timeDeltas[i];
    if (clock < from || clock >= to) return;
    const interval = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
    if (nodes.get(id)!.callFrame.functionName === '(idle)') idleUs += interval;
    else busyUs[partOf(id)] += interval;
  });
  const requests = (window.requests * (to - from)) / ((window.toMs - window.fromMs) * 1_000);
  const busy = busyUs.reduce((a, b) => a + b, 0);
  const rows = [...PARTS.map((p) => p.name), 'other (promise machinery, timers, continuations)'].map(
    (name, i) => `| ${name} | ${(busyUs[i] / 1_000 / requests).toFixed(2)} | ${((100 * busyUs[i]) / busy).toFixed(1)} % |`,
  );
  console.log(
    `\nMain thread per request under load, ${window.server ?? 'api'}, case (${window.case}), ${((to - from) / 1e6).toFixed(1)} s of the load, ≈ ${Math.round(requests)} requests, idle ${((100 * idleUs) / (busy + idleUs)).toFixed(1)} %:\n\n| part | ms per request | share |\n|---|---:|---:|\n${rows.join('\n')}\n| total | ${(busy / 1_000 / requests).toFixed(2)} | |`,
  );
}
