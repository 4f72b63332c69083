import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../src/auth/token';
import { createOrm, type Orm } from '../../src/db/orm';
import { seedDemoData } from '../../src/db/demo-seed';
import { startServer, type RunningServer } from '../../src/server';
import { DATABASE_TARGETS, TEST_SECRET, testConfig } from '../utils/harness';
import { sparePort } from '../utils/net';

/** Screenshots kept for people to look at (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SET_STATUS = `mutation($input: SetApplicationStatusInput!) { setApplicationStatus(input: $input) { userErrors { code } } }`;

describe('the pages in headless Chromium (sqlite)', () => {
  let orm: Orm;
  let drop: () => Promise<void>;
  let port: number;
  let server: RunningServer;
  let origin: string;
  let integration: string;
  let profile: string;
  let browser: BrowserContext;
  /** Requests the pages made to anywhere but the API (there must be none: no CDN, no network). */
  const outside: string[] = [];
  /** Console errors of the pages (CSP violations among them). */
  const consoleErrors: string[] = [];

  let database: Parameters<typeof testConfig>[0];
  const start = async () => {
    server = await startServer(testConfig(database, { port, seedDemoData: true }), { orm, preferenceJobIntervalMs: 0 });
  };
  const setStatus = async (component: string, status: string, message: string) => {
    const res = await fetch(`${origin}/internal/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${integration}` },
      body: JSON.stringify({ query: SET_STATUS, variables: { input: { component, status, message } } }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.setApplicationStatus.userErrors).toEqual([]);
  };
  const openPage = async (path: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${origin}${path}`);
    return page;
  };

  beforeAll(async () => {
    const created = await DATABASE_TARGETS[0].create();
    drop = created.drop;
    database = created.database;
    orm = await createOrm(created.database);
    await seedDemoData(orm.em.fork());
    port = await sparePort();
    origin = `http://127.0.0.1:${port}`;
    await start();
    integration = await signLocalToken(TEST_SECRET, 'integration-test', { scopes: ['hub:integration'], expiresIn: '1h' });
    profile = mkdtempSync(join(tmpdir(), 'hub-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    // the API's origin only: anything else (a CDN, fonts, telemetry) is refused and recorded
    await browser.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith(origin.replace('http', 'ws'))) return route.continue();
      outside.push(url);
      return route.abort();
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterEach(() => {
    expect(outside).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await orm?.close(true);
    await drop?.();
  });

  it('GraphiQL loads from the API alone (no network), queries with a demo token and runs a subscription', async () => {
    const page = await openPage('/graphql');
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
    // the schema was introspected: the documentation explorer opens on the Query type
    await page.waitForSelector('.graphiql-execute-button');
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-offline.png'), fullPage: true });

    const setQuery = (text: string) => page.evaluate((q) => ((globalThis as any).document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue(q), text);
    const response = () => page.evaluate(() => ((globalThis as any).document.querySelector('.graphiql-response .CodeMirror') as any)?.CodeMirror.getValue() as string);

    // a demo token picked from the list signs the explorer in
    await page.selectOption('select[aria-label="Sign in as"]', { label: 'brand admin' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await setQuery('{ viewer { username role } }');
    await page.click('.graphiql-execute-button');
    await expect.poll(response, { timeout: 15_000 }).toContain('BRAND_ADMIN');

    // a subscription over the WebSocket, live in the response pane
    await setQuery('subscription { applicationStatusChanged { component status message } }');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => server.subscriptions.stats().subscriptions, { timeout: 15_000 }).toBeGreaterThan(0);
    await setStatus('REPORTING', 'PARTIAL_OUTAGE', 'Seen in GraphiQL');
    await expect.poll(response, { timeout: 15_000 }).toContain('Seen in GraphiQL');
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-subscription.png'), fullPage: true });
    await page.close();
  });

  it('STAT-1, STAT-2: /status shows every component and changes live; it reconnects after a restart', async () => {
    const page = await openPage('/status');
    await page.waitForSelector('#connection[data-state="live"]');
    expect(await page.locator('#components li').count()).toBe(16);
    await setStatus('DATA_INGESTION', 'MAJOR_OUTAGE', 'Imports are failing');
    const row = page.locator('li[data-component="DATA_INGESTION"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('MAJOR_OUTAGE');
    expect(await row.locator('[data-field="message"]').textContent()).toBe('Imports are failing');
    await page.screenshot({ path: join(ARTIFACTS, 'status-live.png'), fullPage: true });

    // a restart: the stream ends, the page says so, reconnects to the new process and catches up
    await server.close();
    await page.waitForSelector('#connection[data-state="reconnecting"]');
    await start();
    // a change made before the page is back: it must show after the reconnect (the page reads everything again)
    await setStatus('DATA_INGESTION', 'OPERATIONAL', 'Recovered');
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('OPERATIONAL');
    // and it is live again on the new process
    await setStatus('LOGINS', 'MAINTENANCE', 'Planned');
    await expect.poll(() => page.locator('li[data-component="LOGINS"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('MAINTENANCE');
    await page.close();
  });
});
