import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { anchorOf } from './rule-table';

/**
 * `npm run docs:check` (with the rule table's check): every relative link of README.md and docs/*.md
 * points at a file of the repository, and a `#anchor` into a markdown file at one of its headings.
 * Links to other sites are not fetched.
 */

/**
 * Docs other issues are writing at the same time: linked already, checked once they exist.
 * Drop an entry when its file has landed.
 */
export const PENDING_DOCS: Readonly<Record<string, string>> = {
};

/** The markdown files checked: README.md and every docs/*.md. */
export function markdownFiles(root: string): string[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`) : [];
  return ['README.md', ...docs];
}

/** The text without fenced code blocks, where `#` lines are not headings. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text without code (fenced or inline), where brackets are not links. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a markdown file's headings (repeated headings get -1, -2, …). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = anchorOf(match[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

/** `file: target (why)` for every link that does not resolve. */
export function brokenLinks(root: string): string[] {
  const broken: string[] = [];
  for (const file of markdownFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [pathPart, anchor] = target.split('#', 2);
      const resolved = pathPart === '' ? file : normalize(join(dirname(file), decodeURIComponent(pathPart)));
      if (relative(root, join(root, resolved)).startsWith('..')) {
        broken.push(`${file}: ${target} (outside the repository)`);
        continue;
      }
      if (!existsSync(join(root, resolved))) {
        if (PENDING_DOCS[resolved]) continue;
        broken.push(`${file}: ${target} (no such file)`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && statSync(join(root, resolved)).isFile()) {
        if (!anchorsOf(readFileSync(join(root, resolved), 'utf8')).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor})`);
      }
    }
  }
  return broken;
}

function main(): void {
  const broken = brokenLinks(process.cwd());
  for (const line of broken) console.error(line);
  if (broken.length > 0) process.exit(1);
  console.log(`links of ${markdownFiles(process.cwd()).length} markdown files resolve`);
}

if (require.main === module) main();
