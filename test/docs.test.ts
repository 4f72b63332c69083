import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks } from '../scripts/doc-links';
import { OPEN_RULES, README_END, README_START, readRules, renderRuleTable, ruleRows, type RuleRow } from '../scripts/rule-table';

const ROOT = join(__dirname, '..');
const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8');
let rowsOnce: RuleRow[] | undefined;
/** The rule rows, computed once for the file (parsing src/ and test/ takes about a second). */
const rows = () => (rowsOnce ??= ruleRows(ROOT));

/** The environment variables a file reads as `env.NAME`, `const { NAME } = env` or a helper's `(env, 'NAME'`. */
function envVariablesReadBy(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const names = new Set([...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
  for (const passed of source.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)) names.add(passed[1]);
  for (const destructured of source.matchAll(/const \{([^}]+)\} = env\b/g)) {
    for (const name of destructured[1].split(',')) names.add(name.trim());
  }
  return [...names].sort();
}

/** The backticked names in the first column of the README's configuration table. */
function configurationTableVariables(markdown: string): string[] {
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1] ?? '';
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
  return [...new Set(names)].sort();
}

describe('documentation', () => {
  it('the README rule table is what npm run docs:rules generates', () => {
    const text = readme();
    const table = text.slice(text.indexOf(README_START), text.indexOf(README_END) + README_END.length);
    expect(table, 'README.md rule table is stale: run npm run docs:rules').toBe(renderRuleTable(rows()));
  });

  it('the table has a row for every rule of docs/rules.md', () => {
    const rules = readRules(ROOT).map((rule) => rule.id);
    expect(rules.length).toBeGreaterThan(70);
    expect(new Set(rules).size, 'a rule id is used twice in docs/rules.md').toBe(rules.length);
    for (const id of rules) expect(readme(), id).toContain(`| [${id}](docs/rules.md#`);
  });

  it('every rule is named by a test, or listed as open with the issue that brings it', () => {
    const ids = new Set(rows().map((row) => row.id));
    const untested = rows().filter((row) => row.tests.length === 0 && !OPEN_RULES[row.id]).map((row) => row.id);
    expect(untested, 'rules no test names (name the id in a test title: it(\'ID: …\'))').toEqual([]);
    const openButTested = rows().filter((row) => row.tests.length > 0 && OPEN_RULES[row.id]).map((row) => row.id);
    expect(openButTested, 'rules a test names now: remove them from OPEN_RULES in scripts/rule-table.ts').toEqual([]);
    expect(Object.keys(OPEN_RULES).filter((id) => !ids.has(id)), 'OPEN_RULES names ids docs/rules.md does not have').toEqual([]);
  });

  it('every tested rule names its implementing code in a TSDoc', () => {
    const missing = rows().filter((row) => row.tests.length > 0 && row.code.length === 0).map((row) => row.id);
    expect(missing, 'add the rule id to the TSDoc of the function that implements it').toEqual([]);
  });

  it('the README stays a README: at most 300 lines', () => {
    expect(readme().split('\n').length).toBeLessThanOrEqual(300);
  });

  it('the configuration table lists exactly the variables src/config.ts reads', () => {
    expect(configurationTableVariables(readme()), 'README configuration table against src/config.ts').toEqual(envVariablesReadBy('src/config.ts'));
  });

  it('.env.example shows every variable src/config.ts reads', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const shown = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(envVariablesReadBy('src/config.ts').filter((name) => !shown.has(name)), '.env.example lacks').toEqual([]);
  });

  it('every relative link of README.md and docs/*.md resolves, anchors included', () => {
    expect(brokenLinks(ROOT)).toEqual([]);
  });
});
