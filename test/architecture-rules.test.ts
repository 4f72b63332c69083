import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';

/**
 * The rules `npm run lint` enforces (docs/architecture.md, "Rules CI enforces") catch a deliberate
 * violation: dependency-cruiser runs with the project's own config over
 * test/fixtures/dependency-rules/ (one violation of each import rule beside allowed imports), and
 * ESLint with the project's own config lints code placed, by path, where the rules forbid it.
 */

const ROOT = join(__dirname, '..');
const FIXTURE = 'test/fixtures/dependency-rules/src';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function cruise(): Promise<Violation[]> {
  const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  // exit code = number of violations: read the report either way
  const run = promisify(execFile)(process.execPath, [bin, FIXTURE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const stdout = await run.then(
    (r) => r.stdout,
    (error: { stdout?: string }) => {
      if (!error.stdout) throw error;
      return error.stdout;
    },
  );
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

const short = (path: string) => path.replace(`${FIXTURE}/`, '').replace(/^node_modules\/((@types\/)?[^/]+)\/.*$/, '$1');

describe('import rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('flags each deliberate violation, and only those', async () => {
    const violations = (await cruise()).map((v) => [v.rule.name, short(v.from), short(v.to)]).sort();
    expect(violations).toEqual(
      [
        ['driver-only-in-read', 'observability/bad-pool.ts', 'knex'],
        ['driver-only-in-read', 'services/bad.service.ts', 'pg'],
        ['no-graphql-in-services', 'services/bad.service.ts', 'graphql'],
        ['no-resolvers-below-graphql', 'domain/bad-errors.ts', 'resolvers/user-error.ts'],
        ['no-resolvers-below-graphql', 'realtime/bad-delivery.ts', 'resolvers/ticket.resolver.ts'],
        ['no-resolvers-below-graphql', 'services/bad.service.ts', 'resolvers/user-error.ts'],
      ].sort(),
    );
  }, 60_000);
});

describe('lint rules (ESLint, eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
    return result.messages.map((m) => m.ruleId);
  };

  it('getKnex is refused outside src/read/ and allowed inside it', async () => {
    const code = `export function pool(em: { getConnection(): { getKnex(): unknown } }) {\n  return em.getConnection().getKnex();\n}\n`;
    expect(await lint(code, 'src/services/fixture-pool.ts')).toEqual(['no-restricted-syntax']);
    expect(await lint(code, 'src/read/fixture-pool.ts')).toEqual([]);
  });

  it('an unused import, variable or parameter is an error', async () => {
    const code = `import { join } from 'node:path';\nexport function f(a: number, b: number) {\n  const unused = 1;\n  return a;\n}\n`;
    expect(await lint(code, 'src/services/fixture-unused.ts')).toEqual(['@typescript-eslint/no-unused-vars', '@typescript-eslint/no-unused-vars', '@typescript-eslint/no-unused-vars']);
  });
});
