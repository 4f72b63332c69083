import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';

/** SHOULDs the server does not meet, each with its reason in docs/observability.md (Conformance). */
const DOCUMENTED_SHOULD_FAILURES = ['572B', 'FDE2', '7B9B'];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(DATABASE_TARGETS[0]);
});
afterAll(async () => {
  await t?.close();
});

describe('GraphQL over HTTP conformance (graphql-http serverAudits against /graphql)', () => {
  const audits = serverAudits({ url: () => t.publicUrl, fetchFn: fetch });
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      const reason = result.status === 'ok' ? '' : result.reason;
      if (result.status !== 'ok') console.log(`${audit.id} ${result.status}: ${audit.name} — ${reason}`);
      // MUSTs fail the suite; SHOULDs that do not pass are listed in docs/observability.md
      if (audit.name.startsWith('MUST')) expect(result.status, reason).toBe('ok');
      else if (audit.name.startsWith('SHOULD') && result.status !== 'ok') expect(DOCUMENTED_SHOULD_FAILURES, `${audit.id} fails: list it in docs/observability.md with the reason`).toContain(audit.id);
    });
  }
});
