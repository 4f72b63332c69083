import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
  dirs.push(dir);
  return dir;
}

const LONG_SECRET = 'x'.repeat(32);
const PG_URL = 'postgres://hub:hub@db.example:5432/hub';
/** The mail and link settings production requires (docs/mail-and-attachments.md). */
const PROD_MAIL = { PUBLIC_URL: 'https://hub.example.com', MANAGE_LINK_SECRET: 'm'.repeat(32), ATTACHMENT_URL_SECRET: 'a'.repeat(32) };

function expectConfigError(env: NodeJS.ProcessEnv, message: RegExp): void {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(message);
}

describe('loadConfig in production', () => {
  it('refuses to start without auth configuration and names the AUTH variables', () => {
    expectConfigError({ NODE_ENV: 'production', DATABASE_URL: PG_URL, HUB_DATA_DIR: tempDir() }, /AUTH/);
  });

  it('refuses a JWKS url without an issuer', () => {
    expectConfigError(
      { NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json', AUTH_AUDIENCE: 'hub' },
      /AUTH_ISSUER/,
    );
  });

  it('refuses to start without DATABASE_URL', () => {
    expectConfigError({ NODE_ENV: 'production', AUTH_JWT_SECRET: LONG_SECRET }, /DATABASE_URL/);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expectConfigError({ NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: 'x'.repeat(31) }, /AUTH_JWT_SECRET.*32/);
  });

  it('starts with DATABASE_URL and a 32-character secret, without demo data', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: LONG_SECRET, ...PROD_MAIL });
    expect(config.production).toBe(true);
    expect(config.seedDemoData).toBe(false);
    expect(config.database).toEqual({ kind: 'postgresql', url: PG_URL });
    expect(config.auth.kind).toBe('secret');
    if (config.auth.kind === 'secret') {
      expect(config.auth.generated).toBe(false);
      expect(new TextDecoder().decode(config.auth.secret)).toBe(LONG_SECRET);
    }
  });

  it('starts with a complete JWKS configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: PG_URL,
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'hub',
      ...PROD_MAIL,
    });
    expect(config.auth).toEqual({ kind: 'jwks', jwksUrl: 'https://idp.example/.well-known/jwks.json', issuer: 'https://idp.example/', audience: 'hub', maxTokenLifetimeSeconds: 86_400 });
  });

  it('caps token lifetimes at 24 hours unless AUTH_MAX_TOKEN_LIFETIME_SECONDS says otherwise (60 s to 30 days)', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: 'x'.repeat(40), ...PROD_MAIL };
    expect(loadConfig(env).auth.maxTokenLifetimeSeconds).toBe(86_400);
    expect(loadConfig({ ...env, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).auth.maxTokenLifetimeSeconds).toBe(3600);
    expect(() => loadConfig({ ...env, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '10' })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_SECONDS/);
    expect(() => loadConfig({ ...env, AUTH_MAX_TOKEN_LIFETIME_SECONDS: String(31 * 24 * 3600) })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_SECONDS/);
  });
});

describe('loadConfig: mail and link secrets', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: LONG_SECRET, ...PROD_MAIL };

  it('PREF-6, FUP-6: production refuses to start without its own manage-link and attachment-link secrets, or with short ones', () => {
    expectConfigError({ ...prod, MANAGE_LINK_SECRET: undefined }, /MANAGE_LINK_SECRET/);
    expectConfigError({ ...prod, ATTACHMENT_URL_SECRET: undefined }, /ATTACHMENT_URL_SECRET/);
    expectConfigError({ ...prod, MANAGE_LINK_SECRET: 'short' }, /MANAGE_LINK_SECRET.*32/);
    expectConfigError({ ...prod, INBOUND_MAIL_SECRET: 'short' }, /INBOUND_MAIL_SECRET.*32/);
    expectConfigError({ ...prod, PUBLIC_URL: undefined }, /PUBLIC_URL/);
  });

  it('PREF-6: the manage-link key is the configured secret, independent of how logins are verified (JWKS)', () => {
    const config = loadConfig({ ...prod, AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'hub' });
    expect(new TextDecoder().decode(config.mail!.manageLinkKey)).toBe(PROD_MAIL.MANAGE_LINK_SECRET);
    expect(new TextDecoder().decode(config.mail!.attachmentUrlKey)).toBe(PROD_MAIL.ATTACHMENT_URL_SECRET);
    expect(config.mail!.attachmentStorage).toBe('database');
    expect(config.mail!.smtpUrl).toBeUndefined();
  });

  it('CON-10: development defaults: .eml files under HUB_DATA_DIR/mail, generated link keys that differ per purpose, files on SQLite', () => {
    const dataDir = tempDir();
    const config = loadConfig({ HUB_DATA_DIR: dataDir });
    expect(config.mail!.mailDir).toBe(join(dataDir, 'mail'));
    expect(config.mail!.attachmentStorage).toBe('filesystem');
    expect(Buffer.from(config.mail!.manageLinkKey).equals(Buffer.from(config.mail!.attachmentUrlKey))).toBe(false);
    expect(Buffer.from(loadConfig({ HUB_DATA_DIR: dataDir }).mail!.manageLinkKey).equals(Buffer.from(config.mail!.manageLinkKey))).toBe(true);
  });

  it('refuses malformed mail settings with the variable named', () => {
    expectConfigError({ HUB_DATA_DIR: tempDir(), SMTP_URL: 'http://relay' }, /SMTP_URL/);
    expectConfigError({ HUB_DATA_DIR: tempDir(), MAIL_FROM: 'not an address' }, /MAIL_FROM/);
    expectConfigError({ HUB_DATA_DIR: tempDir(), INBOUND_SMTP_PORT: '70000' }, /INBOUND_SMTP_PORT/);
    expectConfigError({ HUB_DATA_DIR: tempDir(), ATTACHMENT_STORAGE: 's3' }, /ATTACHMENT_STORAGE/);
  });
});

describe('loadConfig in development', () => {
  it('generates a local secret under HUB_DATA_DIR and reuses the same bytes on the next load', () => {
    const dataDir = tempDir();
    const first = loadConfig({ HUB_DATA_DIR: dataDir });
    expect(first.production).toBe(false);
    expect(first.seedDemoData).toBe(true);
    expect(first.auth.kind).toBe('secret');
    if (first.auth.kind !== 'secret') return;
    expect(first.auth.generated).toBe(true);
    expect(first.auth.secret.length).toBeGreaterThanOrEqual(32);
    const onDisk = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    expect(new TextDecoder().decode(first.auth.secret)).toBe(onDisk);

    const second = loadConfig({ HUB_DATA_DIR: dataDir });
    if (second.auth.kind !== 'secret') throw new Error('expected a secret');
    expect(Buffer.from(second.auth.secret).equals(Buffer.from(first.auth.secret))).toBe(true);
  });

  it('different data dirs get different secrets', () => {
    const a = loadConfig({ HUB_DATA_DIR: tempDir() });
    const b = loadConfig({ HUB_DATA_DIR: tempDir() });
    if (a.auth.kind !== 'secret' || b.auth.kind !== 'secret') throw new Error('expected secrets');
    expect(Buffer.from(a.auth.secret).equals(Buffer.from(b.auth.secret))).toBe(false);
  });

  it('defaults to a SQLite file under HUB_DATA_DIR and port 4000', () => {
    const dataDir = tempDir();
    const config = loadConfig({ HUB_DATA_DIR: dataDir, AUTH_JWT_SECRET: 'short-is-fine-locally' });
    expect(config.database).toEqual({ kind: 'sqlite', path: join(dataDir, 'hub.sqlite') });
    expect(config.port).toBe(4000);
  });
});

describe('loadConfig validation', () => {
  it.each(['mysql://hub@db/hub', 'hub.sqlite', 'sqlite:'])('refuses DATABASE_URL %s', (url) => {
    expectConfigError({ DATABASE_URL: url, AUTH_JWT_SECRET: LONG_SECRET }, /DATABASE_URL/);
  });

  it.each(['abc', '-1', '65536', '80.5'])('refuses PORT %s', (port) => {
    expectConfigError({ PORT: port, AUTH_JWT_SECRET: LONG_SECRET, HUB_DATA_DIR: tempDir() }, /PORT/);
  });

  it('accepts a valid PORT', () => {
    expect(loadConfig({ PORT: '8080', AUTH_JWT_SECRET: LONG_SECRET, HUB_DATA_DIR: tempDir() }).port).toBe(8080);
  });

  it('refuses a REDIS_URL that is not redis://', () => {
    expectConfigError({ REDIS_URL: 'http://cache:6379', AUTH_JWT_SECRET: LONG_SECRET, HUB_DATA_DIR: tempDir() }, /REDIS_URL/);
  });
});

describe('support settings from the environment', () => {
  const base = { AUTH_JWT_SECRET: LONG_SECRET };

  it('defaults the Enterprise hand-over mailbox, the callback handle time and the XM Discover support site', () => {
    const config = loadConfig({ ...base, HUB_DATA_DIR: tempDir() });
    expect(config.support).toEqual({ enterpriseMailbox: 'enterprise-support@support.example.com', callbackDefaultHandleMinutes: 12, xmDiscoverSupportUrl: 'https://discover-support.example.com/' });
  });

  it('reads ENTERPRISE_SUPPORT_MAILBOX, CALLBACK_DEFAULT_HANDLE_MINUTES and XM_DISCOVER_SUPPORT_URL', () => {
    const config = loadConfig({ ...base, HUB_DATA_DIR: tempDir(), ENTERPRISE_SUPPORT_MAILBOX: 'ent@vendor.example', CALLBACK_DEFAULT_HANDLE_MINUTES: '7.5', XM_DISCOVER_SUPPORT_URL: 'https://discover.vendor.example/' });
    expect(config.support).toEqual({ enterpriseMailbox: 'ent@vendor.example', callbackDefaultHandleMinutes: 7.5, xmDiscoverSupportUrl: 'https://discover.vendor.example/' });
    expect(loadConfig({ ...base, HUB_DATA_DIR: tempDir() }).support.xmDiscoverSupportUrl).toBe('https://discover-support.example.com/');
  });

  it.each([
    ['ENTERPRISE_SUPPORT_MAILBOX', 'not-an-address'],
    ['CALLBACK_DEFAULT_HANDLE_MINUTES', 'soon'],
    ['CALLBACK_DEFAULT_HANDLE_MINUTES', '0'],
    ['CALLBACK_DEFAULT_HANDLE_MINUTES', '5000'],
    ['XM_DISCOVER_SUPPORT_URL', 'discover.example.com'],
    ['XM_DISCOVER_SUPPORT_URL', 'javascript:alert(1)'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ ...base, HUB_DATA_DIR: tempDir(), [name]: value })).toThrow(new RegExp(name));
  });
});

describe('observability and HTTP settings (LOG_LEVEL, CORS_ORIGINS, METRICS_TOKEN, SHUTDOWN_DELAY_MS, HUB_EXPLORER, STATUS_CACHE_MAX_AGE)', () => {
  const env = () => ({ AUTH_JWT_SECRET: LONG_SECRET, HUB_DATA_DIR: tempDir() });

  it('reads them, with defaults when unset', () => {
    expect(loadConfig(env()).http).toEqual({ logLevel: undefined, corsOrigins: undefined, metricsToken: undefined, shutdownDelayMs: 2000, explorer: true, statusMaxAgeSeconds: 10 });
    const config = loadConfig({ ...env(), LOG_LEVEL: 'debug', CORS_ORIGINS: 'https://hub.example.com, http://localhost:5173', METRICS_TOKEN: 'scrape', SHUTDOWN_DELAY_MS: '0', HUB_EXPLORER: 'false', STATUS_CACHE_MAX_AGE: '60' });
    expect(config.http).toEqual({ logLevel: 'debug', corsOrigins: ['https://hub.example.com', 'http://localhost:5173'], metricsToken: 'scrape', shutdownDelayMs: 0, explorer: false, statusMaxAgeSeconds: 60 });
  });

  it('the explorer is off in production unless HUB_EXPLORER turns it on', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: LONG_SECRET, ...PROD_MAIL };
    expect(loadConfig(production).http?.explorer).toBe(false);
    expect(loadConfig({ ...production, HUB_EXPLORER: 'true' }).http?.explorer).toBe(true);
  });

  it.each([
    ['LOG_LEVEL', 'loud'],
    ['CORS_ORIGINS', 'hub.example.com'],
    ['CORS_ORIGINS', 'https://hub.example.com/path'],
    ['SHUTDOWN_DELAY_MS', '20000'],
    ['SHUTDOWN_DELAY_MS', 'soon'],
    ['HUB_EXPLORER', 'maybe'],
    ['STATUS_CACHE_MAX_AGE', '-1'],
    ['STATUS_CACHE_MAX_AGE', '86400'],
  ])('refuses %s=%s', (name, value) => {
    expectConfigError({ ...env(), [name]: value }, new RegExp(name));
  });
});

describe('webhook settings (WEBHOOK_TIMEOUT_MS, WEBHOOK_ALLOW_PRIVATE_URLS)', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: PG_URL, AUTH_JWT_SECRET: LONG_SECRET, ...PROD_MAIL };

  it('private URLs are allowed in development and refused in production by default; the timeout defaults to 10 s', () => {
    expect(loadConfig({ HUB_DATA_DIR: tempDir() }).webhooks).toEqual({ timeoutMs: 10_000, allowPrivateUrls: true });
    expect(loadConfig(production).webhooks).toEqual({ timeoutMs: 10_000, allowPrivateUrls: false });
  });

  it('reads them; production accepts private URLs only when set explicitly', () => {
    expect(loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '2500' }).webhooks).toEqual({ timeoutMs: 2_500, allowPrivateUrls: true });
    expect(loadConfig({ HUB_DATA_DIR: tempDir(), WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }).webhooks?.allowPrivateUrls).toBe(false);
  });

  it('refuses a timeout outside 100–30000 ms (an attempt must end inside the outbox lease) and a non-boolean flag', () => {
    expectConfigError({ HUB_DATA_DIR: tempDir(), WEBHOOK_TIMEOUT_MS: '60000' }, /WEBHOOK_TIMEOUT_MS/);
    expectConfigError({ HUB_DATA_DIR: tempDir(), WEBHOOK_TIMEOUT_MS: '50' }, /WEBHOOK_TIMEOUT_MS/);
    expectConfigError({ HUB_DATA_DIR: tempDir(), WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' }, /WEBHOOK_ALLOW_PRIVATE_URLS/);
  });
});
