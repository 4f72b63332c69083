import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from './observability/logger';
import { DEFAULT_LIMITS, type LimitsSettings } from './limits/settings';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './auth/token';

/** How tokens are verified: a shared HS256 secret (local use, tests) or a JWKS (production). */
export type AuthConfig = (
  | { kind: 'secret'; secret: Uint8Array; issuer?: string; audience?: string; generated: boolean }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string }
) & {
  /** `AUTH_MAX_TOKEN_LIFETIME_SECONDS`: the longest lifetime a token may have; unset: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS (24 h). */
  maxTokenLifetimeSeconds?: number;
};

/** Where the data lives. */
export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgresql'; url: string };

/** Operational settings of the support flow. */
export interface SupportSettings {
  /** Where ENT-4 hand-overs of requests raised outside Enterprise hours are sent. */
  enterpriseMailbox: string;
  /** PHN-2: handle time assumed for a callback queue with no finished calls yet, in minutes. */
  callbackDefaultHandleMinutes: number;
}

export const DEFAULT_SUPPORT_SETTINGS: SupportSettings = {
  enterpriseMailbox: 'enterprise-support@support.example.com',
  callbackDefaultHandleMinutes: 12,
};

/** The whole validated configuration, read once at start-up. */
export interface AppConfig {
  port: number;
  production: boolean;
  database: DatabaseConfig;
  redisUrl?: string;
  /** RT-4: prefix of this deployment's Redis channels (`REDIS_NAMESPACE`, default `hub`). */
  redisNamespace?: string;
  auth: AuthConfig;
  seedDemoData: boolean;
  dataDir: string;
  support: SupportSettings;
  /** Observability and HTTP hardening (`docs/observability.md`, `docs/security.md`); all optional. */
  http?: HttpSettings;
  /** Abuse limits (`docs/limits.md`); unset: per-operation limits only, no budgets or rate limits. */
  limits?: LimitsSettings;
}

/** `LOG_LEVEL`, `CORS_ORIGINS`, `METRICS_TOKEN`, `SHUTDOWN_DELAY_MS`, `HUB_EXPLORER`, `STATUS_CACHE_MAX_AGE`. */
export interface HttpSettings {
  /** pino level; unset: `info` (silent under vitest). */
  logLevel?: LogLevel;
  /** Origins allowed to call the API from a browser; `['*']` allows any. Unset: any in development, none in production. */
  corsOrigins?: string[];
  /** Bearer token `/metrics` requires; unset: open in development, refused in production. */
  metricsToken?: string;
  /** SIGTERM: how long /readyz answers 503 while requests are still served, before the server closes. */
  shutdownDelayMs?: number;
  /** `HUB_EXPLORER`: GraphiQL at `GET /graphql` for browsers. Unset: on in development, off in production. */
  explorer?: boolean;
  /** `STATUS_CACHE_MAX_AGE`: seconds shared caches may keep an anonymous `applicationStatus` answer. */
  statusMaxAgeSeconds?: number;
}

function readHttp(env: NodeJS.ProcessEnv, production: boolean): HttpSettings {
  const level = env.LOG_LEVEL || undefined;
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  const origins = env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins ?? []) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS must be a comma-separated list of origins like https://hub.example.com (or *), got "${origin}"`);
    }
  }
  const delay = env.SHUTDOWN_DELAY_MS ? Number(env.SHUTDOWN_DELAY_MS) : 2_000;
  if (!Number.isInteger(delay) || delay < 0 || delay > 8_000) {
    throw new ConfigError(`SHUTDOWN_DELAY_MS must be milliseconds from 0 to 8000, got "${env.SHUTDOWN_DELAY_MS}"`);
  }
  return {
    logLevel: level as LogLevel | undefined,
    corsOrigins: origins,
    metricsToken: env.METRICS_TOKEN || undefined,
    shutdownDelayMs: delay,
    explorer: parseBoolean('HUB_EXPLORER', env.HUB_EXPLORER, !production),
    statusMaxAgeSeconds: parseInteger('STATUS_CACHE_MAX_AGE', env.STATUS_CACHE_MAX_AGE, 10, 0, 3600),
  };
}

/** A whole number from `min` to `max`, or the fallback when unset. */
function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** The abuse limits (docs/limits.md); every variable is optional and defaults to DEFAULT_LIMITS. */
function readLimits(env: NodeJS.ProcessEnv): LimitsSettings {
  const d = DEFAULT_LIMITS;
  const maximumAvailable = parseInteger('GRAPHQL_COST_BUDGET', env.GRAPHQL_COST_BUDGET, d.budget.maximumAvailable, 0, 100_000_000);
  const restoreRate = parseInteger('GRAPHQL_COST_RESTORE_RATE', env.GRAPHQL_COST_RESTORE_RATE, d.budget.restoreRate, maximumAvailable > 0 ? 1 : 0, 100_000_000);
  const maxCost = parseInteger('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, d.maxCost, 1, 100_000_000);
  if (maximumAvailable > 0 && maxCost > maximumAvailable) {
    throw new ConfigError(`GRAPHQL_MAX_COST (${maxCost}) must not exceed GRAPHQL_COST_BUDGET (${maximumAvailable}): such a query could never be paid for`);
  }
  const trustedOperationsFile = env.TRUSTED_OPERATIONS_FILE || undefined;
  if (trustedOperationsFile && !existsSync(trustedOperationsFile)) throw new ConfigError(`TRUSTED_OPERATIONS_FILE does not exist: "${trustedOperationsFile}"`);
  return {
    maxDepth: parseInteger('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, d.maxDepth, 1, 100),
    maxAliases: parseInteger('GRAPHQL_MAX_ALIASES', env.GRAPHQL_MAX_ALIASES, d.maxAliases, 0, 10_000),
    maxDirectives: parseInteger('GRAPHQL_MAX_DIRECTIVES', env.GRAPHQL_MAX_DIRECTIVES, d.maxDirectives, 0, 10_000),
    maxTokens: parseInteger('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, d.maxTokens, 100, 1_000_000),
    maxCost,
    budget: { maximumAvailable, restoreRate },
    rateLimit: {
      perAccountPerMinute: parseInteger('RATE_LIMIT_PER_ACCOUNT', env.RATE_LIMIT_PER_ACCOUNT, d.rateLimit.perAccountPerMinute, 0, 1_000_000),
      perIpPerMinute: parseInteger('RATE_LIMIT_PER_IP', env.RATE_LIMIT_PER_IP, d.rateLimit.perIpPerMinute, 0, 1_000_000),
    },
    trustProxyHops: parseInteger('TRUST_PROXY_HOPS', env.TRUST_PROXY_HOPS, d.trustProxyHops, 0, 10),
    trustedOperationsFile,
  };
}

/** Raised when the environment cannot start the service; the message says what to set. */
export class ConfigError extends Error {}


function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function readSupport(env: NodeJS.ProcessEnv): SupportSettings {
  const mailbox = env.ENTERPRISE_SUPPORT_MAILBOX || DEFAULT_SUPPORT_SETTINGS.enterpriseMailbox;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(mailbox)) {
    throw new ConfigError(`ENTERPRISE_SUPPORT_MAILBOX must be an e-mail address, got "${mailbox}"`);
  }
  const raw = env.CALLBACK_DEFAULT_HANDLE_MINUTES;
  const minutes = raw === undefined || raw === '' ? DEFAULT_SUPPORT_SETTINGS.callbackDefaultHandleMinutes : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
    throw new ConfigError(`CALLBACK_DEFAULT_HANDLE_MINUTES must be a number of minutes from 1 to 1440, got "${raw}"`);
  }
  return { enterpriseMailbox: mailbox, callbackDefaultHandleMinutes: minutes };
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** Parses `DATABASE_URL`: `postgres://…`/`postgresql://…` or `sqlite:<path>` (`:memory:` allowed). */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgresql', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new ConfigError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/hub.sqlite');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  throw new ConfigError(`DATABASE_URL must start with postgres://, postgresql:// or sqlite:, got "${url}"`);
}

/** Reads the generated local secret, creating it on first start (development only). */
function localSecret(dataDir: string): Uint8Array {
  const file = resolve(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

function readAuth(env: NodeJS.ProcessEnv, production: boolean, dataDir: string): AuthConfig {
  const maxTokenLifetimeSeconds = parseInteger('AUTH_MAX_TOKEN_LIFETIME_SECONDS', env.AUTH_MAX_TOKEN_LIFETIME_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, 60, 30 * 24 * 60 * 60);
  return { ...readAuthMode(env, production, dataDir), maxTokenLifetimeSeconds };
}

function readAuthMode(env: NodeJS.ProcessEnv, production: boolean, dataDir: string): AuthConfig {
  const { AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWT_SECRET } = env;
  if (AUTH_JWKS_URL) {
    if (!AUTH_ISSUER || !AUTH_AUDIENCE) {
      throw new ConfigError('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
    }
    return { kind: 'jwks', jwksUrl: AUTH_JWKS_URL, issuer: AUTH_ISSUER, audience: AUTH_AUDIENCE };
  }
  if (AUTH_JWT_SECRET) {
    if (production && AUTH_JWT_SECRET.length < 32) {
      throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters in production');
    }
    return {
      kind: 'secret',
      secret: new TextEncoder().encode(AUTH_JWT_SECRET),
      issuer: AUTH_ISSUER || undefined,
      audience: AUTH_AUDIENCE || undefined,
      generated: false,
    };
  }
  if (production) {
    throw new ConfigError(
      'NODE_ENV=production needs explicit auth configuration: AUTH_JWKS_URL + AUTH_ISSUER + AUTH_AUDIENCE, or AUTH_JWT_SECRET',
    );
  }
  return { kind: 'secret', secret: localSecret(dataDir), generated: true };
}

/**
 * Reads and validates the environment once. Production (`NODE_ENV=production`) refuses development
 * defaults: no generated secret, no demo data unless asked for, no implicit SQLite file.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.HUB_DATA_DIR || './data');
  if (production && !env.DATABASE_URL) {
    throw new ConfigError('NODE_ENV=production needs DATABASE_URL');
  }
  const database = parseDatabaseUrl(env.DATABASE_URL || `sqlite:${resolve(dataDir, 'hub.sqlite')}`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  return {
    port: parsePort(env.PORT),
    production,
    database,
    redisUrl,
    redisNamespace: env.REDIS_NAMESPACE || 'hub',
    auth: readAuth(env, production, dataDir),
    seedDemoData: parseBoolean('SEED_DEMO_DATA', env.SEED_DEMO_DATA, !production),
    dataDir,
    support: readSupport(env),
    http: readHttp(env, production),
    limits: readLimits(env),
  };
}
