import 'reflect-metadata';
import { loadConfig } from './config';
import { createOrm } from './db/orm';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  // only the database is used: placeholders for the secrets production otherwise requires
  const unused = 'migrate-only-nothing-is-signed-or-verified-here';
  const config = loadConfig({
    ...process.env,
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? unused,
    MANAGE_LINK_SECRET: process.env.MANAGE_LINK_SECRET ?? unused,
    ATTACHMENT_URL_SECRET: process.env.ATTACHMENT_URL_SECRET ?? unused,
    PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost',
  });
  const orm = await createOrm(config.database, { migrate: false });
  const applied = await orm.getMigrator().up();
  console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date.');
  await orm.close(true);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
