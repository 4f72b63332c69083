import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_DELIVERY, DEFAULT_SUPPORT_SETTINGS, defaultMailSettings, type AppConfig, type DatabaseConfig, type MailSettings } from '../../src/config';
import { derivePreferenceLinkKey } from '../../src/services/email-preferences.service';
import { signLocalToken } from '../../src/auth/token';
import { createOrm, type Orm } from '../../src/db/orm';
import { startServer, type RunningServer } from '../../src/server';
import type { Logger } from '../../src/observability';

export const TEST_SECRET = new TextEncoder().encode('test-secret-that-is-long-enough-for-hs256-0123456789');

/** A database a suite runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export interface DatabaseTarget {
  name: 'sqlite' | 'postgresql';
  /** Creates a fresh, empty database; returns its config and the teardown that drops it. */
  create(): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }>;
}

const sqliteTarget: DatabaseTarget = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'hub-test-'));
    return { database: { kind: 'sqlite', path: join(dir, 'hub.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgresTarget(adminUrl: string): DatabaseTarget {
  return {
    name: 'postgresql',
    async create() {
      const name = `hub_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        database: { kind: 'postgresql', url: url.toString() },
        drop: async () => {
          const client = new Client({ connectionString: adminUrl });
          await client.connect();
          await client.query(`drop database if exists ${name} with (force)`);
          await client.end();
        },
      };
    },
  };
}

/**
 * A database that already exists and outlives the servers started on it (several instances on one
 * database, or one the test itself starts and stops): the target never drops it.
 */
export function existingDatabase(database: DatabaseConfig): DatabaseTarget {
  return { name: database.kind, create: async () => ({ database, drop: async () => {} }) };
}

/** SQLite, plus PostgreSQL when TEST_DATABASE_URL is set (CI sets it). */
export const DATABASE_TARGETS: DatabaseTarget[] = [sqliteTarget, ...(process.env.TEST_DATABASE_URL ? [postgresTarget(process.env.TEST_DATABASE_URL)] : [])];

if (!process.env.TEST_DATABASE_URL) {
  console.log('TEST_DATABASE_URL not set: integration suites run on SQLite only');
} else {
  console.log('TEST_DATABASE_URL set: integration suites also run against PostgreSQL');
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestServer {
  server: RunningServer;
  orm: Orm;
  publicUrl: string;
  internalUrl: string;
  /** The clock the server's rules see; tests may move it. */
  clock: { now: Date };
  token(subject: string, scopes?: string[]): Promise<string>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  internal<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export function testConfig(database: DatabaseConfig, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    production: false,
    database,
    auth: { kind: 'secret', secret: TEST_SECRET, generated: false },
    seedDemoData: false,
    dataDir: tmpdir(),
    support: DEFAULT_SUPPORT_SETTINGS,
    // `.eml` files under the temporary directory; manage links keyed as test/profile.test.ts signs them
    // the outbox worker runs on commits only (a 10-minute poll): its polls would count in the statement-count tests
    mail: { ...defaultMailSettings(tmpdir(), database), mailDir: join(tmpdir(), 'hub-test-mail'), manageLinkKey: derivePreferenceLinkKey(TEST_SECRET), delivery: { ...DEFAULT_DELIVERY, pollIntervalMs: 600_000 } },
    ...overrides,
  };
}

async function post(url: string, query: string, variables: Record<string, unknown> | undefined, token: string | undefined): Promise<GraphQLResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: res.status, ...body };
}

/** Starts the real HTTP server on a fresh database built by running the migrations. */
export async function startTestServer(target: DatabaseTarget, overrides: Partial<AppConfig> & { mailPatch?: Partial<MailSettings> } = {}, opts: { logger?: Logger } = {}): Promise<TestServer> {
  const { database, drop } = await target.create();
  const orm = await createOrm(database);
  const clock = { now: new Date('2026-11-02T15:00:00.000Z') };
  const { mailPatch, ...rest } = overrides;
  const config = testConfig(database, rest);
  if (mailPatch) config.mail = { ...config.mail!, ...mailPatch };
  // the minutely job (preference changes, upload sweep, purges) is off: tests call its parts directly, and
  // its statements would otherwise land in a statement count that runs a minute into a file
  const server = await startServer(config, { orm, now: () => clock.now, logger: opts.logger, preferenceJobIntervalMs: 0 });
  const base = `http://127.0.0.1:${server.port}`;
  const token = (subject: string, scopes: string[] = []) => signLocalToken(TEST_SECRET, subject, { scopes, expiresIn: '1h' });
  const integrationToken = await token('integration-test', ['hub:integration']);
  return {
    server,
    orm,
    clock,
    publicUrl: `${base}/graphql`,
    internalUrl: `${base}/internal/graphql`,
    token,
    gql: (query, variables, tok) => post(`${base}/graphql`, query, variables, tok),
    internal: (query, variables, tok) => post(`${base}/internal/graphql`, query, variables, tok ?? integrationToken),
    async close() {
      await server.close();
      await orm.close(true);
      await drop();
    },
  };
}

/** Throws with the errors when a response has any; returns data. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}
