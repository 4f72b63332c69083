import 'reflect-metadata';
import { loadConfig } from './config';
import { createOrm } from './db/orm';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'migrate-only-no-tokens-are-verified-here' });
  const orm = await createOrm(config.database, { migrate: false });
  const applied = await orm.getMigrator().up();
  console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date.');
  await orm.close(true);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
