import { DefaultLogger, type LoggerOptions, MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config';
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
 * The driver of the configured database only: each one pulls in its own client library and dialect
 * code, and loading both cost start-up time on the embedded SQLite default (docs/performance.md).
 */
function loadDriver(kind: DatabaseConfig['kind']): Options['driver'] {
  if (kind === 'postgresql') return (require('@mikro-orm/postgresql') as typeof import('@mikro-orm/postgresql')).PostgreSqlDriver;
  return (require('@mikro-orm/better-sqlite') as typeof import('@mikro-orm/better-sqlite')).BetterSqliteDriver;
}

/** ORM options for a database; migrations are listed explicitly so the same code runs from ts and js. */
export function ormOptions(database: DatabaseConfig): Options {
  const common: Options = {
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    loggerFactory: (options: LoggerOptions) => new HubLogger(options),
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
      driverOptions: { connection: { connectionTimeoutMillis: 3_000, keepAlive: true } },
      migrations: { migrationsList: postgresqlMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    } as Options;
  }
  return {
    ...common,
    driver: loadDriver('sqlite'),
    dbName: database.path,
    migrations: { migrationsList: sqliteMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  } as Options;
}

/** Connects and (optionally) applies pending migrations. */
export async function createOrm(database: DatabaseConfig, opts: { migrate?: boolean } = {}): Promise<Orm> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  const orm = await MikroORM.init(ormOptions(database));
  if (database.kind === 'sqlite') {
    await configureSqlite(orm);
  }
  if (opts.migrate ?? true) {
    await orm.getMigrator().up();
  }
  return orm;
}
