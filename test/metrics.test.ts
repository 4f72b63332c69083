import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

/** Parses the Prometheus text format into `name{labels}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(DATABASE_TARGETS)('metrics ($name)', (target) => {
  let t: TestServer;
  let ws: WsClients;
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parseMetrics(await res.text());
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    ws = new WsClients(t.publicUrl);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('counts requests and latency per named operation, errors by code, with bounded labels', async () => {
    await t.gql('query StatusBoard { applicationStatus { name } }');
    await t.gql('query StatusBoard { applicationStatus { name } }');
    await t.gql('{ __typename }');
    await t.gql('query Me { viewer { username } }'); // anonymous caller: UNAUTHENTICATED
    await t.gql('{ notAField }');
    const m = await scrape();
    expect(m.get('hub_graphql_requests_total{schema="public",operation="StatusBoard",outcome="success"}')).toBe(2);
    expect(m.get('hub_graphql_requests_total{schema="public",operation="anonymous",outcome="success"}')).toBe(1);
    expect(m.get('hub_graphql_requests_total{schema="public",operation="Me",outcome="error"}')).toBe(1);
    expect(m.get('hub_graphql_requests_total{schema="public",operation="invalid",outcome="error"}')).toBe(1);
    expect(m.get('hub_graphql_request_duration_seconds_count{schema="public",operation="StatusBoard"}')).toBe(2);
    expect(m.get('hub_graphql_request_duration_seconds_bucket{le="+Inf",schema="public",operation="StatusBoard"}')).toBe(2);
    expect(m.get('hub_graphql_errors_total{schema="public",code="UNAUTHENTICATED"}')).toBe(1);
    expect(m.get('hub_graphql_errors_total{schema="public",code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    // the internal schema is counted separately (the fixtures' integration calls)
    await t.internal('query Brands { __typename }');
    expect((await scrape()).get('hub_graphql_requests_total{schema="internal",operation="Brands",outcome="success"}')).toBe(1);
  });

  it('operation names an attacker makes up do not grow the label set without bound', async () => {
    // names outside the shape never become labels; the 200-name cap is exercised in the unit test below
    await t.gql('query Über { __typename }');
    const m = await scrape();
    expect([...m.keys()].some((key) => key.includes('Über'))).toBe(false);
    expect(m.get('hub_graphql_requests_total{schema="public",operation="invalid",outcome="error"}')).toBeGreaterThanOrEqual(1);
  });

  it('reports open WebSocket connections, active subscriptions and the database pool', async () => {
    const client = ws.open();
    const live = new Live(client, 'subscription { applicationStatusChanged { name } }');
    await until(async () => (await scrape()).get('hub_subscriptions_active') === 1);
    let m = await scrape();
    expect(m.get('hub_websocket_connections')).toBe(1);
    live.dispose();
    await client.dispose();
    await until(async () => (await scrape()).get('hub_websocket_connections') === 0);
    m = await scrape();
    expect(m.get('hub_subscriptions_active')).toBe(0);
    expect(m.get('hub_db_pool_connections{state="max"}')).toBe(target.name === 'postgresql' ? 10 : 1);
    expect(m.get('hub_db_pool_connections{state="used"}')).toBe(0);
    expect(m.get('hub_db_pool_connections{state="pending"}')).toBe(0);
    expect(m.has('hub_process_cpu_seconds_total')).toBe(true);
  });
});

describe('metrics: unit', () => {
  it('caps distinct operation names at MAX_OPERATION_LABELS; the rest count as "other"', async () => {
    const { createMetrics, MAX_OPERATION_LABELS } = await import('../src/observability/metrics');
    const metrics = createMetrics();
    for (let i = 0; i < MAX_OPERATION_LABELS + 50; i++) {
      metrics.observe({ schema: 'public', operationName: `Op${i}`, resolved: true, seconds: 0.001, outcome: 'success', errorCodes: ['weird code'] });
    }
    const m = parseMetrics(await metrics.registry.metrics());
    const operations = new Set([...m.keys()].filter((k) => k.startsWith('hub_graphql_requests_total')).map((k) => /operation="([^"]*)"/.exec(k)?.[1]));
    expect(operations.size).toBe(MAX_OPERATION_LABELS + 1);
    expect(m.get('hub_graphql_requests_total{schema="public",operation="other",outcome="success"}')).toBe(50);
    expect(m.get('hub_graphql_errors_total{schema="public",code="OTHER"}')).toBe(MAX_OPERATION_LABELS + 50);
  });
});

describe('metrics: access', () => {
  const target = DATABASE_TARGETS[0];
  it('production without METRICS_TOKEN refuses /metrics; with it, a bearer token is required', async () => {
    const closed = await startTestServer(target, { production: true });
    try {
      expect((await fetch(`http://127.0.0.1:${closed.server.port}/metrics`)).status).toBe(403);
    } finally {
      await closed.close();
    }
    const guarded = await startTestServer(target, { production: true, http: { metricsToken: 'scrape-secret-123' } });
    try {
      const url = `http://127.0.0.1:${guarded.server.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('hub_graphql_requests_total');
    } finally {
      await guarded.close();
    }
  });
});
