import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import Redis from 'ioredis';
import { ErrorCode } from '../auth/errors';
import { ANONYMOUS, type Viewer } from '../auth/viewer';
import type { Context } from '../context';
import { MemoryBudgetStore, RedisBudgetStore, type BudgetStore, type ThrottleStatus } from './budget';
import { operationCost } from './cost';
import { LimitCode, LimitError, tooManyRequests } from './errors';
import { callerKey, RequestRateLimiter } from './rate-limit';
import { coerceVariables } from '../edge/input';
import { limitRules } from './rules';
import type { LimitsSettings } from './settings';
import { loadTrustedOperations } from './trusted-operations';

export { withLimitCodes } from './errors';
export { DEFAULT_LIMITS, STATIC_ONLY_LIMITS, type LimitsSettings } from './settings';

/** `extensions.cost` of a response (GitHub/Shopify style). */
export interface CostExtension {
  /** Calculated cost of the operation; null when it was not parsed and validated. */
  requestedQueryCost: number | null;
  /** Points taken from the caller's budget for this response (0 when refused). */
  actualQueryCost: number;
  /** The caller's budget after this request; absent when budgets are off. */
  throttleStatus?: ThrottleStatus;
}

export interface Limits {
  /** Depth, alias and directive rules for Apollo's `validationRules`. */
  validationRules: ValidationRule[];
  /** Apollo `parseOptions`: the token limit. */
  parseOptions: { maxTokens: number };
  /** Cost, budget, `extensions.cost`, suggestion masking and trusted-only mode for one schema. */
  plugin(): ApolloServerPlugin<Context>;
  /**
   * Builds the request's context and counts the request against its caller's rate limit
   * (RATE_LIMITED, HTTP 429, when over). A request refused as UNAUTHENTICATED counts against its IP
   * address, so guessing tokens is limited like any anonymous traffic.
   */
  admit(req: Request, build: () => Promise<Context>): Promise<Context>;
  /** graphql-ws `parse`/`validate`: the token, depth, alias and directive limits for subscriptions on the WebSocket. */
  subscriptions: { parse: typeof parse; validate: typeof validate };
  /** Resolves once the shared store is connected (or has failed to; memory then stands in). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface LimitsOptions {
  /** Share budgets and rate limits through this Redis (REDIS_URL). */
  redisUrl?: string;
  /** Key prefix in Redis (REDIS_NAMESPACE). */
  namespace?: string;
  /** Clock of the budget refill (milliseconds); injectable for tests. */
  now?: () => number;
}

/**
 * `operationCost`, remembered per parsed document (Apollo keeps one object per distinct query text
 * in its document store) and per operation name and variables: the same page of the same screen
 * is asked for all day, and walking the document with type information cost a measurable share of
 * each request (docs/performance.md). Variables of more than 1 KB as JSON are not remembered, and
 * a document keeps at most 64 variants.
 */
function costCache(): typeof operationCost {
  const byDocument = new WeakMap<DocumentNode, Map<string, number>>();
  return (schema, document, operationName, variables) => {
    const key = JSON.stringify([operationName ?? null, variables ?? {}]);
    if (key.length > 1024) return operationCost(schema, document, operationName, variables);
    let costs = byDocument.get(document);
    if (!costs) byDocument.set(document, (costs = new Map()));
    const known = costs.get(key);
    if (known !== undefined) return known;
    const cost = operationCost(schema, document, operationName, variables);
    if (costs.size >= 64) costs.clear();
    costs.set(key, cost);
    return cost;
  };
}

/** Builds the limits of both endpoints from the settings (docs/limits.md). */
export function createLimits(settings: LimitsSettings, opts: LimitsOptions = {}): Limits {
  const now = opts.now ?? Date.now;
  const prefix = `${opts.namespace ?? 'hub'}:limits:`;
  const shared = settings.budget.maximumAvailable > 0 || settings.rateLimit.perAccountPerMinute > 0 || settings.rateLimit.perIpPerMinute > 0;
  const redis = opts.redisUrl && shared ? limitsRedis(opts.redisUrl) : undefined;
  const ready = redis
    ? new Promise<void>((resolve) => {
        const done = () => resolve();
        redis.once('ready', done);
        redis.once('error', done);
        redis.once('end', done);
        setTimeout(done, 2_000).unref();
      })
    : Promise.resolve();

  const { maximumAvailable, restoreRate } = settings.budget;
  const memoryBudget = new MemoryBudgetStore(maximumAvailable, restoreRate);
  const budget: BudgetStore | undefined =
    maximumAvailable > 0 ? (redis ? new RedisBudgetStore(redis, `${prefix}budget:`, maximumAvailable, restoreRate, memoryBudget) : memoryBudget) : undefined;
  const rateLimiter = new RequestRateLimiter(settings.rateLimit, { redis, prefix });
  const trusted = settings.trustedOperationsFile ? loadTrustedOperations(settings.trustedOperationsFile) : undefined;
  const rules = limitRules(settings);
  /** Client IP per request context (anonymous callers are counted by IP). */
  const ips = new WeakMap<Context, string | undefined>();

  const throttleStatus = (available: number): ThrottleStatus => ({ maximumAvailable, currentlyAvailable: available, restoreRate });

  function plugin(): ApolloServerPlugin<Context> {
    const costOf = costCache();
    return {
      async requestDidStart({ request, contextValue }) {
        const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
        // trusted-only: a registered operation may be sent by its hash alone, even before any APQ registration
        if (trusted && !request.query && typeof hash === 'string' && trusted.has(hash)) request.query = trusted.get(hash);
        const { key } = callerKey(contextValue.viewer, ips.get(contextValue));
        const cost: CostExtension = { requestedQueryCost: null, actualQueryCost: 0 };
        return {
          async didResolveOperation({ document, operation, operationName, queryHash, schema }) {
            if (trusted && !trusted.has(queryHash)) {
              throw new LimitError(LimitCode.OPERATION_NOT_TRUSTED, 'Only registered operations are accepted here; send the sha256 of a registered operation as extensions.persistedQuery.sha256Hash.');
            }
            // refused at the edge (src/edge: a subscription over HTTP, variables that do not fit): nothing to charge
            if (operation?.operation === 'subscription' || coerceVariables(schema, document, operationName, request.variables).errors.length) return;
            const requested = costOf(schema, document, operationName ?? undefined, request.variables);
            cost.requestedQueryCost = requested;
            if (requested > settings.maxCost) {
              throw new LimitError(LimitCode.MAX_COST_EXCEEDED, `Query cost limit of ${settings.maxCost} exceeded, found ${requested}. Ask for fewer items (first/last) or fewer fields.`, { limit: settings.maxCost, found: requested });
            }
            if (!budget) {
              cost.actualQueryCost = requested;
              return;
            }
            const taken = await budget.take(key, requested, now());
            cost.throttleStatus = throttleStatus(taken.available);
            if (!taken.granted) {
              throw tooManyRequests(LimitCode.THROTTLED, `Cost budget exhausted: this operation costs ${requested} and ${taken.available} of ${maximumAvailable} points are available (restored at ${restoreRate} per second).`, taken.retryAfterMs, { cost: { ...cost } });
            }
            cost.actualQueryCost = requested;
          },
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            if (budget && !cost.throttleStatus) cost.throttleStatus = throttleStatus((await budget.take(key, 0, now())).available);
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, cost };
          },
        };
      },
    };
  }

  return {
    validationRules: rules,
    parseOptions: { maxTokens: settings.maxTokens },
    plugin,
    async admit(req, build) {
      const refuse = async (viewer: Viewer) => {
        const decision = await rateLimiter.admit(viewer, req.ip);
        if (decision.allowed) return;
        const who = viewer.kind === 'anonymous' ? 'this IP address' : 'this account';
        throw tooManyRequests(LimitCode.RATE_LIMITED, `Rate limit of ${decision.limit} requests per minute for ${who} reached; retry later.`, decision.retryAfterMs, { limit: decision.limit });
      };
      let context: Context;
      try {
        context = await build();
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions?.code === ErrorCode.UNAUTHENTICATED) await refuse(ANONYMOUS);
        throw error;
      }
      ips.set(context, req.ip);
      await refuse(context.viewer);
      return context;
    },
    subscriptions: {
      parse: (source) => parse(source, { maxTokens: settings.maxTokens }),
      validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
        // graphql-ws validates before it has the variables, so the cost (which depends on them) is not
        // calculated here: subscription payloads hold no connections, depth and aliases bound them
        return validate(schema, document, [...specifiedRules, ...rules]).map(withoutHttp);
      },
    },
    ready,
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The limits' Redis client: commands fail at once while Redis is unreachable (no offline queue), so memory stands in. */
export function limitsRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // outages are handled per call
  return redis;
}

/** WebSocket errors carry no HTTP status. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions ?? {};
  return new GraphQLError(error.message, { nodes: error.nodes, extensions });
}
