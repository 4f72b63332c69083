/**
 * Abuse limits of both GraphQL endpoints (docs/limits.md). Read from the environment by
 * `loadConfig` (src/config.ts); tests pass their own through `startTestServer(target, { limits })`.
 */
export interface LimitsSettings {
  /** Deepest selection nesting an operation may have (`GRAPHQL_MAX_DEPTH`). */
  maxDepth: number;
  /** Aliases per operation, fragments included (`GRAPHQL_MAX_ALIASES`). */
  maxAliases: number;
  /** Directives per operation (`GRAPHQL_MAX_DIRECTIVES`). */
  maxDirectives: number;
  /** Lexical tokens per document; parsing stops beyond it (`GRAPHQL_MAX_TOKENS`). */
  maxTokens: number;
  /** Highest calculated cost one request may have (`GRAPHQL_MAX_COST`). */
  maxCost: number;
  /** Cost budget per caller: bucket size and points restored per second; 0 turns the budget off. */
  budget: { maximumAvailable: number; restoreRate: number };
  /** Requests per minute per account, and per IP address for anonymous callers; 0 turns that limit off. */
  rateLimit: { perAccountPerMinute: number; perIpPerMinute: number };
  /** Express `trust proxy`: how many proxy hops in front of the API set X-Forwarded-For (`TRUST_PROXY_HOPS`). */
  trustProxyHops: number;
  /** `TRUSTED_OPERATIONS_FILE`: when set, only the operations of this manifest are executed. */
  trustedOperationsFile?: string;
}

/** Production defaults; each can be changed through its environment variable. */
export const DEFAULT_LIMITS: LimitsSettings = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 10_000,
  maxCost: 10_000,
  budget: { maximumAvailable: 50_000, restoreRate: 500 },
  rateLimit: { perAccountPerMinute: 600, perIpPerMinute: 120 },
  trustProxyHops: 0,
};

/**
 * Settings for a server started without `limits` in its configuration (programmatic use, most test
 * suites): the per-operation limits apply, the per-caller budget and rate limits do not.
 * `loadConfig` always sets `limits`, so a deployed server always has all of them.
 */
export const STATIC_ONLY_LIMITS: LimitsSettings = {
  ...DEFAULT_LIMITS,
  budget: { maximumAvailable: 0, restoreRate: 0 },
  rateLimit: { perAccountPerMinute: 0, perIpPerMinute: 0 },
};
