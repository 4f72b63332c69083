import { DefaultLogger, type LoggerOptions, MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config';
import { createLogger, type Logger } from '../observability/logger';
import { ALL_ENTITIES } from '../entities';
import { configureSqlite } from '../read/driver';
import { notifyQuery } from './query-log';
import { postgresqlMigrations } from '../../migrations/postgresql';
import { sqliteMigrations } from '../../migrations/sqlite';

export { onQuery } from './query-log';

class HubLogger extends DefaultLogger {
  override logQuery(context: { query: string } & Parameters<DefaultLogger['logQuery']>[0]): void {
    notifyQuery(context.query);
    super.logQuery(context);
  }
}

export type Orm = MikroORM;

/**
 * Where the driver's own messages go: knex prints `Connection Error: …` with console.log when a pooled
 * connection dies (every PostgreSQL restart), and MikroORM writes its notices the same way. Both
 * are routed to a JSON logger (`component: "db-driver"`) — the process default until the server
 * hands over its own (`routeDriverLogs`) — so no plain text line reaches a log collector.
 */
interface DriverLogRelay {
  logger?: Logger;
}
const relays = new WeakMap<MikroORM, DriverLogRelay>();
let defaultDriverLogger: Logger | undefined;

function relayed(relay: DriverLogRelay, level: 'debug' | 'info' | 'warn' | 'error') {
  return (message: unknown) => {
    const logger = relay.logger ?? (defaultDriverLogger ??= createLogger());
    logger[level]({ component: 'db-driver' }, typeof message === 'string' ? message : String(message));
  };
}

/** From now on the driver messages of `orm` are written by `logger`. */
export function routeDriverLogs(orm: Orm, logger: Logger): void {
  const relay = relays.get(orm);
  if (relay) relay.logger = logger;
}

/**
 * The driver of the configured database only: each one pulls in its own client library and dialect
 * code, and loading both cost start-up time on the embedded SQLite default (docs/performance.md).
 */
function loadDriver(kind: DatabaseConfig['kind']): Options['driver'] {
  if (kind === 'postgresql') return (require('@mikro-orm/postgresql') as typeof import('@mikro-orm/postgresql')).PostgreSqlDriver;
  return (require('@mikro-orm/better-sqlite') as typeof import('@mikro-orm/better-sqlite')).BetterSqliteDriver;
}

/** ORM options for a database; migrations are listed explicitly so the same code runs from ts and js. */
export function ormOptions(database: DatabaseConfig, relay: DriverLogRelay = {}): Options {
  // knex's logger: its warnings are `Connection Error: …` when a pooled connection is lost
  const driverLog = { debug: relayed(relay, 'debug'), warn: relayed(relay, 'warn'), error: relayed(relay, 'error'), deprecate: relayed(relay, 'warn') };
  const common: Options = {
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    loggerFactory: (options: LoggerOptions) => new HubLogger(options),
    logger: relayed(relay, 'info'),
    // relations are loaded through per-request loaders; never lazily behind a property access
    forceUndefined: false,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    ignoreUndefinedInQuery: true,
    // inverse one-to-ones (ticket → escalation) are read through loaders, not joined into every ticket query
    autoJoinOneToOneOwner: false,
  };
  if (database.kind === 'postgresql') {
    return {
      ...common,
      driver: loadDriver('postgresql'),
      clientUrl: database.url,
      // fail fast while PostgreSQL is down (DATABASE_UNAVAILABLE within seconds, docs/observability.md):
      // a refused connection fails the waiting request at once, a silent network at the timeouts below;
      // dead idle connections are dropped by knex and replaced on the next acquire once it is back
      pool: { min: 0, max: 10, acquireTimeoutMillis: 5_000, createTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 },
      driverOptions: { connection: { connectionTimeoutMillis: 3_000, keepAlive: true }, log: driverLog },
      migrations: { migrationsList: postgresqlMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    } as Options;
  }
  return {
    ...common,
    driver: loadDriver('sqlite'),
    dbName: database.path,
    driverOptions: { log: driverLog },
    migrations: { migrationsList: sqliteMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  } as Options;
}

/** Connects and (optionally) applies pending migrations. */
export async function createOrm(database: DatabaseConfig, opts: { migrate?: boolean } = {}): Promise<Orm> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  const relay: DriverLogRelay = {};
  const orm = await MikroORM.init(ormOptions(database, relay));
  relays.set(orm, relay);
  if (database.kind === 'sqlite') {
    await configureSqlite(orm);
  }
  if (opts.migrate ?? true) {
    await orm.getMigrator().up();
  }
  return orm;
}
