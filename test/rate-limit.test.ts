import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type LimitsSettings } from '../src/limits';
import { MemoryBudgetStore, RedisBudgetStore, takeFromBucket } from '../src/limits/budget';
import { limitsRedis } from '../src/limits';
import { RequestRateLimiter } from '../src/limits/rate-limit';
import { DATABASE_TARGETS, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

/** Budgets and rate limits in memory, and shared through Redis when TEST_REDIS_URL is set (CI). */
const STORES: { name: 'memory' | 'redis'; redisUrl?: string }[] = [
  { name: 'memory' },
  ...(process.env.TEST_REDIS_URL ? [{ name: 'redis' as const, redisUrl: process.env.TEST_REDIS_URL }] : []),
];

const limits = (overrides: Partial<LimitsSettings>): LimitsSettings => ({ ...DEFAULT_LIMITS, ...overrides });
const cost = (res: GraphQLResponse) => (res as GraphQLResponse & { extensions?: { cost?: any } }).extensions?.cost;

/** POST with the raw response, to read the status and Retry-After. */
async function raw(url: string, query: string, token?: string): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('token bucket arithmetic', () => {
  it('refills at the restore rate up to the maximum and serves only a cost it can pay in full', () => {
    const start = takeFromBucket(undefined, 30, 0, 100, 10);
    expect(start.result).toEqual({ granted: true, available: 70, retryAfterMs: 0 });
    const refused = takeFromBucket({ points: 5, at: 0 }, 30, 0, 100, 10);
    expect(refused.result).toEqual({ granted: false, available: 5, retryAfterMs: 2_500 });
    expect(refused.bucket.points).toBe(5); // a refusal costs nothing
    expect(takeFromBucket({ points: 5, at: 0 }, 30, 2_500, 100, 10).result).toEqual({ granted: true, available: 0, retryAfterMs: 0 });
    expect(takeFromBucket({ points: 0, at: 0 }, 0, 3_600_000, 100, 10).result.available).toBe(100);
  });
});

describe('budgets and rate limits while Redis cannot be reached', () => {
  const redis = limitsRedis('redis://127.0.0.1:1'); // nothing listens there
  afterAll(() => redis.disconnect());

  it('each instance falls back to counting in memory: requests are served and still limited', async () => {
    const viewer = { kind: 'integration', subject: 'outage-caller' } as const;
    const rate = new RequestRateLimiter({ perAccountPerMinute: 2, perIpPerMinute: 0 }, { redis, prefix: 'outage:' });
    expect(await rate.admit(viewer, '10.0.0.1')).toEqual({ allowed: true });
    expect(await rate.admit(viewer, '10.0.0.1')).toEqual({ allowed: true });
    expect(await rate.admit(viewer, '10.0.0.1')).toMatchObject({ allowed: false, limit: 2 });

    const budget = new RedisBudgetStore(redis, 'outage:budget:', 50, 10, new MemoryBudgetStore(50, 10));
    expect(await budget.take('integration:outage-caller', 20, 0)).toEqual({ granted: true, available: 30, retryAfterMs: 0 });
    expect(await budget.take('integration:outage-caller', 40, 0)).toEqual({ granted: false, available: 30, retryAfterMs: 1_000 });
  });
});

describe.each(STORES)('budgets and rate limits through the real server ($name)', ({ name, redisUrl }) => {
  // a namespace of its own per run, so parallel runs and other suites never share counters
  const namespace = `test-limits-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const servers: TestServer[] = [];
  /** Each test's servers count under a namespace of their own (`shared` puts several under one). */
  const start = async (settings: LimitsSettings, shared = Math.random().toString(36).slice(2, 8)) => {
    const t = await startTestServer(DATABASE_TARGETS[0], { limits: settings, ...(redisUrl ? { redisUrl, redisNamespace: `${namespace}:${shared}` } : {}) });
    servers.push(t);
    return t;
  };
  /** Integration callers need no database rows; each subject is an account of its own for the limits. */
  const caller = (t: TestServer, subject: string) => t.token(subject, ['hub:integration']);

  afterAll(async () => {
    await Promise.all(servers.map((t) => t.close()));
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('the cost budget runs out (THROTTLED, HTTP 429, Retry-After) and refills at the restore rate', async () => {
    const t = await start(limits({ maxCost: 50, budget: { maximumAvailable: 50, restoreRate: 10 }, rateLimit: { perAccountPerMinute: 0, perIpPerMinute: 0 } }));
    const token = await caller(t, 'budget-a');
    const query = '{ applicationStatus { name } }'; // a list: 20 assumed items × 1
    const first = await t.gql(query, undefined, token);
    expect(first.errors).toBeUndefined();
    expect(cost(first)).toEqual({ requestedQueryCost: 20, actualQueryCost: 20, throttleStatus: { maximumAvailable: 50, currentlyAvailable: 30, restoreRate: 10 } });
    expect(cost(await t.gql(query, undefined, token)).throttleStatus.currentlyAvailable).toBe(10);

    const refused = await raw(t.publicUrl, query, token);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('1'); // 10 points missing at 10 per second
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'THROTTLED', retryAfter: 1 });
    expect(refused.body.extensions.cost).toEqual({ requestedQueryCost: 20, actualQueryCost: 0, throttleStatus: { maximumAvailable: 50, currentlyAvailable: 10, restoreRate: 10 } });

    // another account has its own bucket
    expect((await t.gql(query, undefined, await caller(t, 'budget-b'))).errors).toBeUndefined();

    // one second later the bucket holds 20 again; a minute later it is full, never more
    t.clock.now = new Date(t.clock.now.getTime() + 1_000);
    const refilled = await t.gql(query, undefined, token);
    expect(refilled.errors).toBeUndefined();
    expect(cost(refilled).throttleStatus.currentlyAvailable).toBe(0);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect(cost(await t.gql('{ __typename }', undefined, token)).throttleStatus.currentlyAvailable).toBe(50);
  });

  it('the internal schema draws on the same per-caller budget', async () => {
    const t = await start(limits({ maxCost: 5, budget: { maximumAvailable: 5, restoreRate: 1 }, rateLimit: { perAccountPerMinute: 0, perIpPerMinute: 0 } }));
    const token = await caller(t, 'budget-internal');
    const query = '{ ticket(id: "VGlja2V0OjE=") { id } }'; // cost 1
    for (let i = 0; i < 5; i++) expect((await t.internal(query, undefined, token)).errors?.[0]?.extensions?.code).not.toBe('THROTTLED');
    const refused = await t.internal(query, undefined, token);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions?.code).toBe('THROTTLED');
  });

  it('requests per account are rate limited (RATE_LIMITED, HTTP 429, Retry-After); other accounts are not affected', async () => {
    const t = await start(limits({ rateLimit: { perAccountPerMinute: 3, perIpPerMinute: 100 } }));
    const token = await caller(t, 'rate-a');
    for (let i = 0; i < 3; i++) expect((await t.gql('{ __typename }', undefined, token)).status).toBe(200);
    const refused = await raw(t.publicUrl, '{ __typename }', token);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3 });
    const retryAfter = refused.body.errors[0].extensions.retryAfter;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.retryAfter).toBe(String(retryAfter));
    // the internal endpoint counts against the same account
    expect((await t.internal('{ __typename }', undefined, token)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    // another account, and anonymous callers, still get through
    expect((await t.gql('{ __typename }', undefined, await caller(t, 'rate-b'))).status).toBe(200);
    expect((await t.gql('{ __typename }')).status).toBe(200);
  });

  it('anonymous requests are rate limited per IP address; signed-in callers from that address are counted per account', async () => {
    const t = await start(limits({ rateLimit: { perAccountPerMinute: 100, perIpPerMinute: 2 } }));
    expect((await t.gql('{ __typename }')).status).toBe(200);
    expect((await t.gql('{ __typename }')).status).toBe(200);
    const refused = await raw(t.publicUrl, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 2 });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await t.gql('{ __typename }', undefined, await caller(t, 'rate-signed-in'))).status).toBe(200);
    // a request with a bad token is anonymous traffic too: guessing tokens is limited per IP address
    const guessed = await raw(t.publicUrl, '{ __typename }', 'not-a-token');
    expect(guessed.status).toBe(429);
    expect(guessed.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await raw(t.internalUrl, '{ __typename }', 'not-a-token')).body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  // only defined for the Redis store (no skipped tests on a run without Redis)
  const sharedOnly = name === 'redis' ? it : undefined;
  sharedOnly?.('with Redis, every instance shares the same budget and rate limit counters', async () => {
    const settings = limits({ maxCost: 50, budget: { maximumAvailable: 50, restoreRate: 10 }, rateLimit: { perAccountPerMinute: 4, perIpPerMinute: 100 } });
    const [a, b] = [await start(settings, 'pair'), await start(settings, 'pair')];
    const token = await caller(a, 'shared-caller');
    const query = '{ applicationStatus { name } }';
    expect(cost(await a.gql(query, undefined, token)).throttleStatus.currentlyAvailable).toBe(30);
    expect(cost(await b.gql(query, undefined, token)).throttleStatus.currentlyAvailable).toBe(10);
    expect((await a.gql(query, undefined, token)).errors?.[0].extensions?.code).toBe('THROTTLED');
    expect((await b.gql('{ __typename }', undefined, token)).status).toBe(200);
    // four requests were counted across both instances: the fifth is refused on either
    expect((await a.gql('{ __typename }', undefined, token)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((await b.gql('{ __typename }', undefined, token)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });
});
