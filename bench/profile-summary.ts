import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Summarizes the newest V8 CPU profile in a directory (written by `BENCH_PROFILE=1`): self time by
 * function and by package, to find what to fix. Usage: node dist/bench/profile-summary.js [dir|file]
 */
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
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
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
