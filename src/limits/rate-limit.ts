import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/viewer';

/** Who a request is counted against: the account (or agent/integration), else the IP address. */
export function callerKey(viewer: Viewer, ip: string | undefined): { key: string; anonymous: boolean } {
  switch (viewer.kind) {
    case 'customer':
      return { key: `account:${viewer.accountId}`, anonymous: false };
    case 'agent':
      return { key: `agent:${viewer.agentId}`, anonymous: false };
    case 'integration':
      return { key: `integration:${viewer.subject}`, anonymous: false };
    default:
      return { key: `ip:${ip ?? 'unknown'}`, anonymous: true };
  }
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number; limit: number };

/**
 * Requests per minute per account and per IP address (anonymous callers), fixed one-minute windows
 * (rate-limiter-flexible). With Redis every instance counts into the same keys; while Redis cannot be
 * reached each instance falls back to counting in memory (the library's insurance limiter).
 */
export class RequestRateLimiter {
  private readonly perAccount?: RateLimiterAbstract;
  private readonly perIp?: RateLimiterAbstract;

  constructor(
    private readonly limits: { perAccountPerMinute: number; perIpPerMinute: number },
    store: { redis?: Redis; prefix: string },
  ) {
    const make = (points: number, name: string): RateLimiterAbstract | undefined => {
      if (points <= 0) return undefined;
      const keyPrefix = `${store.prefix}rate:${name}`;
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
      if (!store.redis) return memory;
      return new RateLimiterRedis({ storeClient: store.redis, keyPrefix, points, duration: 60, insuranceLimiter: memory }) as unknown as RateLimiterAbstract;
    };
    this.perAccount = make(limits.perAccountPerMinute, 'account');
    this.perIp = make(limits.perIpPerMinute, 'ip');
  }

  async admit(viewer: Viewer, ip: string | undefined): Promise<RateDecision> {
    const { key, anonymous } = callerKey(viewer, ip);
    const limiter = anonymous ? this.perIp : this.perAccount;
    if (!limiter) return { allowed: true };
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterMs: rejection.msBeforeNext, limit: anonymous ? this.limits.perIpPerMinute : this.limits.perAccountPerMinute };
      }
      return { allowed: true }; // the store failed and no insurance answered: do not refuse service over it
    }
  }
}
