import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { demoTokens, demoTokenValidity } from './auth/demo-tokens';
import { createOrm } from './db/orm';
import { seedDemoData } from './db/demo-seed';
import { createLogger } from './observability';
import { startServer } from './server';

/** After SIGTERM the process exits within this, whatever is still running (orchestrators wait 10 s+). */
const SHUTDOWN_DEADLINE_MS = 9_500;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.http?.logLevel);
  const orm = await createOrm(config.database);
  if (config.seedDemoData) {
    const seeded = await seedDemoData(orm.em.fork());
    if (seeded) logger.info('seeded demo data into an empty database');
  }
  const server = await startServer(config, { orm, logger });
  logger.info({ url: server.url, internalUrl: `http://localhost:${server.port}/internal/graphql` }, 'Customer Success Hub API ready');
  // docs/mail-and-attachments.md: where the mails go, and where replies come in
  logger.info(
    { outgoing: config.mail?.smtpUrl ? 'SMTP_URL' : config.mail?.mailDir, inboundSmtpPort: server.inboundSmtpPort ?? null, inboundWebhook: Boolean(config.mail?.inboundSecret) },
    config.mail?.smtpUrl ? 'mail is sent through SMTP_URL' : 'mail is written as .eml files (set SMTP_URL to send it)',
  );
  if (config.auth.kind === 'secret' && config.seedDemoData && !config.production) {
    // for people, not log collectors: plain lines, written at once so log lines cannot interleave
    const lines = [`GraphQL: ${server.url} (HTTP and WebSocket)`, `Demo bearer tokens (valid ${demoTokenValidity(config.auth)}):`];
    for (const { label, endpoint, token } of await demoTokens(config.auth)) lines.push(`  ${label.padEnd(22)} ${endpoint.padEnd(18)} ${token}`);
    console.log(lines.join('\n'));
  }

  /**
   * Graceful shutdown: /readyz turns 503 at once so load balancers stop sending traffic, requests keep
   * being served for SHUTDOWN_DELAY_MS, then the server closes: WebSockets get 1001 after in-flight
   * deliveries, in-flight HTTP requests finish (at most 5 s), the pool closes, exit 0. Past the
   * deadline the process exits 1 whatever is still running.
   */
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    // npm forwards the signal the terminal already sent to the whole group: repeats are expected, the deadline bounds them
    if (shuttingDown) return;
    shuttingDown = true;
    setTimeout(() => {
      logger.error('shutdown deadline passed: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    logger.info({ signal, delayMs: config.http?.shutdownDelayMs }, 'shutting down: readiness off');
    server.drain();
    await new Promise((resolve) => setTimeout(resolve, config.http?.shutdownDelayMs ?? 0));
    await server.close();
    await orm.close(true);
    logger.info('shut down');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
