import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { signLocalToken } from './auth/token';
import { createOrm } from './db/orm';
import { DEMO_IDENTITIES, seedDemoData } from './db/demo-seed';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await createOrm(config.database);
  if (config.seedDemoData) {
    const seeded = await seedDemoData(orm.em.fork());
    if (seeded) console.log('Seeded demo data into an empty database.');
  }
  const server = await startServer(config, { orm });
  console.log(`Customer Success Hub API ready at ${server.url} (internal: http://localhost:${server.port}/internal/graphql)`);
  if (config.auth.kind === 'secret' && config.seedDemoData && !config.production) {
    console.log('Demo bearer tokens (valid 30 days):');
    for (const identity of DEMO_IDENTITIES) {
      const token = await signLocalToken(config.auth.secret, identity.subject, {
        scopes: identity.scopes,
        issuer: config.auth.issuer,
        audience: config.auth.audience,
      });
      const endpoint = identity.scopes.length ? '/internal/graphql' : '/graphql';
      console.log(`  ${identity.label.padEnd(22)} ${endpoint.padEnd(18)} ${token}`);
    }
  }
  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await server.close();
    await orm.close(true);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
