import type Redis from 'ioredis';

/** What `extensions.cost.throttleStatus` reports (Shopify's names). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BudgetResult {
  /** The cost was taken from the bucket. */
  granted: boolean;
  /** Points in the bucket after this request. */
  available: number;
  /** When refused: how long until the bucket holds the cost. */
  retryAfterMs: number;
}

/** Bucket state: points and the instant (ms) they were counted at. */
interface Bucket {
  points: number;
  at: number;
}

/**
 * Token bucket arithmetic, shared by both stores: the bucket refills continuously at `restoreRate`
 * points per second up to `maximumAvailable`; a request is served only when the bucket holds its whole
 * cost, and then pays it. A cost above the bucket size can never be paid (MAX_COST keeps it below).
 */
export function takeFromBucket(bucket: Bucket | undefined, cost: number, now: number, max: number, restoreRate: number): { bucket: Bucket; result: BudgetResult } {
  const elapsed = bucket ? Math.max(0, now - bucket.at) / 1000 : 0;
  const points = bucket ? Math.min(max, bucket.points + elapsed * restoreRate) : max;
  if (points >= cost) return { bucket: { points: points - cost, at: now }, result: { granted: true, available: Math.floor(points - cost), retryAfterMs: 0 } };
  const retryAfterMs = restoreRate > 0 ? Math.ceil(((cost - points) / restoreRate) * 1000) : Number.POSITIVE_INFINITY;
  return { bucket: { points, at: now }, result: { granted: false, available: Math.floor(points), retryAfterMs } };
}

export interface BudgetStore {
  take(key: string, cost: number, now: number): Promise<BudgetResult>;
}

/** One process: buckets in a Map (idle full buckets are dropped so the map stays small). */
export class MemoryBudgetStore implements BudgetStore {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly max: number, private readonly restoreRate: number) {}

  async take(key: string, cost: number, now: number): Promise<BudgetResult> {
    const { bucket, result } = takeFromBucket(this.buckets.get(key), cost, now, this.max, this.restoreRate);
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    return result;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.points + ((now - bucket.at) / 1000) * this.restoreRate >= this.max) this.buckets.delete(key);
    }
  }
}

/**
 * The same bucket in Redis, read and written atomically by one Lua script so every instance shares it.
 * The caller's clock is passed in (tests inject one); the key expires once a full refill has passed.
 */
const TAKE_SCRIPT = `
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'points', 'at')
local points = max
if state[1] then
  local elapsed = math.max(0, now - tonumber(state[2])) / 1000
  points = math.min(max, tonumber(state[1]) + elapsed * rate)
end
local granted = 0
if points >= cost then
  points = points - cost
  granted = 1
end
redis.call('HSET', KEYS[1], 'points', tostring(points), 'at', tostring(now))
local ttl = 60000
if rate > 0 then ttl = math.ceil(max / rate * 1000) + 1000 end
redis.call('PEXPIRE', KEYS[1], ttl)
return { granted, tostring(points) }
`;

export class RedisBudgetStore implements BudgetStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
    private readonly restoreRate: number,
    /** Used while Redis cannot be reached, so an outage neither blocks nor unlimits callers. */
    private readonly fallback: BudgetStore,
  ) {
    this.redis.defineCommand('hubTakeBudget', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, cost: number, now: number): Promise<BudgetResult> {
    try {
      const [granted, points] = (await (this.redis as unknown as { hubTakeBudget(...args: (string | number)[]): Promise<[number, string]> }).hubTakeBudget(
        `${this.prefix}${key}`, this.max, this.restoreRate, now, cost,
      ));
      const available = Number(points);
      if (granted === 1) return { granted: true, available: Math.floor(available), retryAfterMs: 0 };
      const retryAfterMs = this.restoreRate > 0 ? Math.ceil(((cost - available) / this.restoreRate) * 1000) : Number.POSITIVE_INFINITY;
      return { granted: false, available: Math.floor(available), retryAfterMs };
    } catch {
      return this.fallback.take(key, cost, now);
    }
  }
}
