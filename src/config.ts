import { createHmac, randomBytes } from 'node:crypto';
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
  /** CON-3: where XM Discover / Social Connect requests go instead (that team's support site). */
  xmDiscoverSupportUrl: string;
}

export const DEFAULT_SUPPORT_SETTINGS: SupportSettings = {
  enterpriseMailbox: 'enterprise-support@support.example.com',
  callbackDefaultHandleMinutes: 12,
  xmDiscoverSupportUrl: 'https://discover-support.example.com/',
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
  /** The durable event log behind real time (docs/realtime.md, *The event log*). */
  eventLog?: EventLogSettings;
  /** E-mail out and in, attachment links (`docs/mail-and-attachments.md`); unset: `defaultMailSettings`. */
  mail?: MailSettings;
  /** `GRAPHQL_EXECUTOR`: graphql-js (default) or graphql-jit for queries over HTTP (docs/performance.md, D14). */
  graphqlExecutor?: GraphqlExecutor;
  /** Webhook deliveries (`docs/webhooks.md`); unset: `defaultWebhookSettings(production)`. */
  webhooks?: WebhookSettings;
}

/** `WEBHOOK_TIMEOUT_MS`, `WEBHOOK_ALLOW_PRIVATE_URLS`. */
export interface WebhookSettings {
  /** One delivery attempt, connect to last byte, well inside the outbox lease (60 s). */
  timeoutMs: number;
  /**
   * Off (production default): only `https` URLs whose every address is public, checked at
   * registration and on each attempt. On (development and tests): `http` and loopback/private
   * addresses are allowed too.
   */
  allowPrivateUrls: boolean;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Webhook settings when none are configured: private URLs only outside production. */
export function defaultWebhookSettings(production: boolean): WebhookSettings {
  return { timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS, allowPrivateUrls: !production };
}

function readWebhooks(env: NodeJS.ProcessEnv, production: boolean): WebhookSettings {
  return {
    timeoutMs: parseInteger('WEBHOOK_TIMEOUT_MS', env.WEBHOOK_TIMEOUT_MS, DEFAULT_WEBHOOK_TIMEOUT_MS, 100, 30_000),
    // production accepts `true` only when set explicitly (a hub whose integrations sit on a private network); the server logs a warning
    allowPrivateUrls: parseBoolean('WEBHOOK_ALLOW_PRIVATE_URLS', env.WEBHOOK_ALLOW_PRIVATE_URLS, !production),
  };
}

export const GRAPHQL_EXECUTORS = ['jit', 'graphql-js'] as const;
export type GraphqlExecutor = (typeof GRAPHQL_EXECUTORS)[number];

function readExecutor(value: string | undefined): GraphqlExecutor {
  if (!value) return 'graphql-js';
  if (!(GRAPHQL_EXECUTORS as readonly string[]).includes(value)) throw new ConfigError(`GRAPHQL_EXECUTOR must be one of ${GRAPHQL_EXECUTORS.join(', ')}, got "${value}"`);
  return value as GraphqlExecutor;
}

/** `SMTP_URL`, `MAIL_FROM`, `PUBLIC_URL`, the inbound mail and link secrets, storage of attachment bytes. */
export interface MailSettings {
  /** `smtp://` / `smtps://` URL of the outgoing relay; unset: each mail is written as an `.eml` file under `mailDir`. */
  smtpUrl?: string;
  /** Where `.eml` files go without SMTP_URL (`HUB_DATA_DIR/mail`). */
  mailDir: string;
  /** `From:` (and `Reply-To:`) of every mail: replies come back to this address. */
  from: string;
  /** Domain of the hub's `Message-ID`s, taken from `from`. */
  domain: string;
  /** Base URL of the hub as customers reach it, for links in mails and attachment URLs. */
  publicUrl: string;
  /** PUBLIC_URL was not set: the server uses `http://localhost:<the port it listens on>` (development). */
  publicUrlFromPort?: boolean;
  /** INBOUND_SMTP_PORT: the port of the inbound SMTP listener; unset: no listener. */
  inboundSmtpPort?: number;
  /** INBOUND_MAIL_SECRET: bearer secret of `POST /inbound/mail`; unset: the webhook is off. */
  inboundSecret?: string;
  /** PREF-6: key of the manage-preferences links (MANAGE_LINK_SECRET), independent of how logins are verified. */
  manageLinkKey: Uint8Array;
  /** FUP-6: key of the signed attachment links (ATTACHMENT_URL_SECRET). */
  attachmentUrlKey: Uint8Array;
  /** FUP-6: how long an attachment link works (ATTACHMENT_URL_TTL_SECONDS). */
  attachmentUrlTtlSeconds: number;
  /** Where attachment bytes live: the database (default on PostgreSQL) or files under HUB_DATA_DIR (default on SQLite). */
  attachmentStorage: 'database' | 'filesystem';
  /** The delivery worker: how often it looks for due entries, and the retry schedule. */
  delivery: DeliverySettings;
}

export interface EventLogSettings {
  /** How often each instance reads the log when nothing woke it (Redis down or absent): the most an event waits then. */
  pollMs: number;
  /** How long events stay in the log: a subscriber can resume across a gap this long. */
  retentionHours: number;
}

export const DEFAULT_EVENT_LOG: EventLogSettings = { pollMs: 1_000, retentionHours: 24 };

export interface DeliverySettings {
  /** Poll interval in ms (the worker is also woken after each commit that wrote outbox entries). */
  pollIntervalMs: number;
  /** Delays before attempts 2, 3, …; the entry fails after `retryDelaysMs.length + 1` attempts. */
  retryDelaysMs: number[];
  /** How long a claimed entry belongs to its instance before another may retry it. */
  leaseMs: number;
  /** Entries claimed per round. */
  batchSize: number;
}

/** 30 s, 2 min, 10 min, 1 h, 6 h: six attempts over about 7 h 12 min, then FAILED. */
export const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];

export const DEFAULT_DELIVERY: DeliverySettings = { pollIntervalMs: 2_000, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, leaseMs: 60_000, batchSize: 20 };

const derive = (secret: Uint8Array, label: string) => new Uint8Array(createHmac('sha256', secret).update(label).digest());

/** The development keys of links: derived from a generated local secret, one per purpose. */
function developmentKey(dataDir: string, label: string): Uint8Array {
  return derive(localSecret(dataDir, 'link-secret'), label);
}

function productionSecret(env: NodeJS.ProcessEnv, name: string, production: boolean, dataDir: string, label: string): Uint8Array {
  const value = env[name];
  if (value) {
    if (production && value.length < 32) throw new ConfigError(`${name} must be at least 32 characters in production`);
    return new TextEncoder().encode(value);
  }
  if (production) throw new ConfigError(`NODE_ENV=production needs ${name} (at least 32 random characters): the development default is generated on this machine`);
  return developmentKey(dataDir, label);
}

function emailDomain(from: string): string | null {
  const address = /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  const match = /^[^@\s<>]+@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+|localhost)$/.exec(address);
  return match ? match[1].toLowerCase() : null;
}

/** The mail settings (docs/mail-and-attachments.md); production refuses the generated link secrets. */
export function readMail(env: NodeJS.ProcessEnv, opts: { production: boolean; dataDir: string; port: number; database: DatabaseConfig }): MailSettings {
  const { production, dataDir } = opts;
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${smtpUrl}"`);
  const from = env.MAIL_FROM || 'Customer Success Hub <support@hub.localhost>';
  const domain = emailDomain(from);
  if (!domain) throw new ConfigError(`MAIL_FROM must be an address like support@hub.example.com or "Hub <support@hub.example.com>", got "${from}"`);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${opts.port || 4000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) throw new ConfigError(`PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  if (production && !env.PUBLIC_URL) throw new ConfigError('NODE_ENV=production needs PUBLIC_URL (the address customers reach the hub at, used in e-mail links)');
  const inboundSecret = env.INBOUND_MAIL_SECRET || undefined;
  if (inboundSecret && production && inboundSecret.length < 32) throw new ConfigError('INBOUND_MAIL_SECRET must be at least 32 characters in production');
  const inboundPort = env.INBOUND_SMTP_PORT ? parseInteger('INBOUND_SMTP_PORT', env.INBOUND_SMTP_PORT, 0, 0, 65535) : undefined;
  const storage = env.ATTACHMENT_STORAGE || (opts.database.kind === 'postgresql' ? 'database' : 'filesystem');
  if (storage !== 'database' && storage !== 'filesystem') throw new ConfigError(`ATTACHMENT_STORAGE must be database or filesystem, got "${storage}"`);
  return {
    smtpUrl,
    mailDir: resolve(dataDir, 'mail'),
    from,
    domain,
    publicUrl,
    publicUrlFromPort: !env.PUBLIC_URL,
    inboundSmtpPort: inboundPort,
    inboundSecret,
    manageLinkKey: productionSecret(env, 'MANAGE_LINK_SECRET', production, dataDir, 'hub/email-preferences-link/v1'),
    attachmentUrlKey: productionSecret(env, 'ATTACHMENT_URL_SECRET', production, dataDir, 'hub/attachment-url/v1'),
    attachmentUrlTtlSeconds: parseInteger('ATTACHMENT_URL_TTL_SECONDS', env.ATTACHMENT_URL_TTL_SECONDS, 300, 10, 86_400),
    attachmentStorage: storage,
    delivery: {
      ...DEFAULT_DELIVERY,
      pollIntervalMs: parseInteger('DELIVERY_POLL_MS', env.DELIVERY_POLL_MS, DEFAULT_DELIVERY.pollIntervalMs, 10, 600_000),
    },
  };
}

/** Mail settings for a server started without them (tests): `.eml` files, development keys. */
export function defaultMailSettings(dataDir: string, database: DatabaseConfig, port = 4000): MailSettings {
  return readMail({}, { production: false, dataDir, port, database });
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
  const discover = env.XM_DISCOVER_SUPPORT_URL || DEFAULT_SUPPORT_SETTINGS.xmDiscoverSupportUrl;
  if (!URL.canParse(discover) || !/^https?:$/.test(new URL(discover).protocol)) {
    throw new ConfigError(`XM_DISCOVER_SUPPORT_URL must be an http(s) URL, got "${discover}"`);
  }
  return { enterpriseMailbox: mailbox, callbackDefaultHandleMinutes: minutes, xmDiscoverSupportUrl: discover };
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

/** Reads a generated local secret, creating it on first start (development only). */
function localSecret(dataDir: string, name = 'jwt-secret'): Uint8Array {
  const file = resolve(dataDir, name);
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
  const port = parsePort(env.PORT);
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  return {
    port,
    production,
    database,
    redisUrl,
    redisNamespace: env.REDIS_NAMESPACE || 'hub',
    eventLog: {
      pollMs: parseInteger('EVENT_LOG_POLL_MS', env.EVENT_LOG_POLL_MS, DEFAULT_EVENT_LOG.pollMs, 50, 600_000),
      retentionHours: parseInteger('EVENT_LOG_RETENTION_HOURS', env.EVENT_LOG_RETENTION_HOURS, DEFAULT_EVENT_LOG.retentionHours, 1, 24 * 90),
    },
    auth: readAuth(env, production, dataDir),
    seedDemoData: parseBoolean('SEED_DEMO_DATA', env.SEED_DEMO_DATA, !production),
    dataDir,
    support: readSupport(env),
    http: readHttp(env, production),
    limits: readLimits(env),
    mail: readMail(env, { production, dataDir, port, database }),
    graphqlExecutor: readExecutor(env.GRAPHQL_EXECUTOR),
    webhooks: readWebhooks(env, production),
  };
}
