import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 (hex) of an operation's text, the key APQ and the manifest use. */
export function operationHash(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

/**
 * Reads a trusted-operations manifest: either `{ "<sha256>": "<query>", … }` or Apollo's persisted
 * query manifest (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 * Every hash must be the sha256 of its text, so a typo cannot register a different operation.
 */
export function loadTrustedOperations(file: string): Map<string, string> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const entries: [string, unknown][] =
    raw && typeof raw === 'object' && (raw as { format?: unknown }).format === 'apollo-persisted-query-manifest'
      ? ((raw as { operations?: { id?: unknown; body?: unknown }[] }).operations ?? []).map((op) => [String(op.id), op.body])
      : Object.entries(raw as Record<string, unknown>);
  const operations = new Map<string, string>();
  for (const [hash, query] of entries) {
    if (typeof query !== 'string' || operationHash(query) !== hash.toLowerCase()) {
      throw new Error(`${file}: entry ${hash} is not the sha256 of its operation text`);
    }
    operations.set(hash.toLowerCase(), query);
  }
  return operations;
}
