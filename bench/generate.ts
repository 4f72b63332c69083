import 'reflect-metadata';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDatabaseUrl } from '../src/config';
import { createOrm } from '../src/db/orm';
import { type BenchDb, openDatabase } from './lib/db';
import { DATA_DIR, datasetKey, datasetParams, type DatasetParams } from './lib/params';

/** What the read bench needs to know about a generated database. */
export interface Dataset {
  databaseUrl: string;
  engine: 'sqlite' | 'postgresql';
  key: string;
  params: DatasetParams;
  adminAccountId: string;
  adminBrandId: string;
  /** An e-mail ticket of the admin brand with several messages (bench (b)). */
  sampleTicketId: number;
  /** Generation time in ms, or null when a cached database was reused. */
  generatedMs: number | null;
  rows: Record<string, number>;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const KINDS = ['EMAIL', 'PHONE', 'CHAT', 'CONFERENCE'] as const;
const PRODUCT_AREAS = ['SURVEY_PLATFORM', 'CX_DASHBOARDS', 'EMPLOYEE_ENGAGEMENT', 'XM_DIRECTORY', 'INTEGRATIONS_API', 'SSO_SETUP', 'WEBSITE_APP_FEEDBACK'] as const;
const ESCALATION_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'ENGINEERING_IN_PROGRESS', 'VERIFYING_RESOLUTION', 'RESOLVED'] as const;
const FIRST = ['Sam', 'Alex', 'Maria', 'Jon', 'Priya', 'Lena', 'Kenji', 'Ana', 'Tom', 'Fatima', 'Luca', 'Chloe'];
const LAST = ['Rivera', 'Morgan', 'Schmidt', 'Okafor', 'Tanaka', 'Dubois', 'Rossi', 'Silva', 'Nguyen', 'Berg'];
const SUBJECTS = [
  'Survey link returns 404 after publishing',
  'Dashboard widget shows no data for last week',
  'Contact import stuck at 99%',
  'SSO login loops back to the sign-in page',
  'Scheduled distribution sent twice',
  'Export to XLSX misses embedded data columns',
  'API token rejected with 401',
  'Response counts differ between report and dashboard',
  'Translation missing in the survey footer',
  'Cannot add a user to the directory',
];
const BODY = '<p>Hello,</p><p>we noticed the problem this morning and it affects several of our projects. Steps: open the project, publish, then follow the link. Could you take a look?</p><p>Thanks</p>';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIRST_TICKET_AT = Date.UTC(2020, 0, 1);
const LAST_TICKET_AT = Date.UTC(2026, 10, 1);

function brandId(b: number): string {
  return b === 0 ? 'brand-bench-admin' : `brand-${pad(b, 4)}`;
}
function accountId(a: number): string {
  return `acc-${pad(a, 6)}`;
}

/**
 * Writes the dataset with plain bulk inserts into a schema created by the project's own migrations.
 * Every random choice comes from seeded streams, so the same parameters give the same rows.
 */
export async function fill(db: BenchDb, p: DatasetParams): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  const perBrand = Math.floor(p.accounts / p.brands);
  const brandOfAccount = (a: number) => Math.min(p.brands - 1, Math.floor(a / perBrand));
  const firstAccountOf = (b: number) => b * perBrand;
  const accountsOf = (b: number) => (b === p.brands - 1 ? p.accounts - b * perBrand : perBrand);
  const created = Date.UTC(2019, 0, 1);

  rows.brand = await db.insertMany(
    'brand',
    ['id', 'name', 'fedramp', 'success_package', 'billing_contact_editing', 'created_at', 'updated_at'],
    (function* () {
      for (let b = 0; b < p.brands; b++) {
        yield [brandId(b), b === 0 ? 'Bench Admin Brand' : `Brand ${b}`, b !== 0 && b % 20 === 0, b % 3 === 0, false, new Date(created), new Date(created)];
      }
    })(),
  );

  const accountRnd = prng(p.seed ^ 0xacc);
  rows.account = await db.insertMany(
    'account',
    ['id', 'brand_id', 'username', 'email', 'first_name', 'last_name', 'language', 'account_type', 'role', 'support_access_granted', 'enterprise_seat', 'created_at', 'updated_at'],
    (function* () {
      for (let a = 0; a < p.accounts; a++) {
        const b = brandOfAccount(a);
        const admin = a === firstAccountOf(b);
        yield [
          accountId(a), brandId(b), `user${pad(a, 6)}`, `user${pad(a, 6)}@example.com`, pick(accountRnd, FIRST), pick(accountRnd, LAST), 'en',
          accountRnd() < 0.2 ? 'ENTERPRISE' : 'SELF_SERVICE', admin ? 'BRAND_ADMIN' : 'STANDARD', false, false, new Date(created), new Date(created),
        ];
      }
    })(),
  );

  rows.agent = await db.insertMany(
    'agent',
    ['id', 'display_name', 'email', 'created_at'],
    (function* () {
      for (let g = 0; g < p.agents; g++) yield [`agent-${pad(g, 3)}`, `Agent ${FIRST[g % FIRST.length]} ${g}`, `agent${g}@vendor.example`, new Date(created)];
    })(),
  );

  // per-ticket facts the dependent tables need
  const n = p.tickets;
  const ticketBrand = new Int32Array(n);
  const ticketSubmitter = new Int32Array(n);
  const ticketCreated = new Float64Array(n);
  const ticketKind = new Uint8Array(n);
  const escalated = new Uint8Array(n);
  const layoutRnd = prng(p.seed ^ 0x71c);
  for (let i = 0; i < n; i++) ticketBrand[i] = i < p.adminBrandTickets ? 0 : 1 + Math.floor(layoutRnd() * (p.brands - 1));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(layoutRnd() * (i + 1));
    [ticketBrand[i], ticketBrand[j]] = [ticketBrand[j], ticketBrand[i]];
  }
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(layoutRnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let k = 0; k < p.escalations; k++) escalated[order[k]] = 1;
  // the admin brand's newest ticket is escalated, so every page of bench (a) touches the timeline
  // loader and the statement count compares like with like (the total stays exact: one is moved)
  let newestAdmin = n - 1;
  while (ticketBrand[newestAdmin] !== 0) newestAdmin--;
  if (!escalated[newestAdmin] && p.escalations > 0) {
    let other = 0;
    while (!escalated[other] || ticketBrand[other] === 0) other++;
    escalated[other] = 0;
    escalated[newestAdmin] = 1;
  }
  const span = (LAST_TICKET_AT - FIRST_TICKET_AT) / n;
  for (let i = 0; i < n; i++) {
    const b = ticketBrand[i];
    ticketSubmitter[i] = firstAccountOf(b) + Math.floor(layoutRnd() * accountsOf(b));
    ticketCreated[i] = Math.floor(FIRST_TICKET_AT + i * span + layoutRnd() * span * 0.9);
    const r = layoutRnd();
    ticketKind[i] = r < 0.7 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3;
  }

  const ticketRnd = prng(p.seed ^ 0x7e7);
  rows.ticket = await db.insertMany(
    'ticket',
    [
      'id', 'kind', 'status', 'subject', 'description', 'description_language', 'support_language', 'product_area', 'brand_id', 'submitter_id', 'assignee_id',
      'enterprise', 'awaiting_verification', 'phone_number', 'phone_country', 'phone_confirmation_email', 'phone_recording_consent',
      'conference_scheduled_at', 'conference_call_status', 'conference_screen_share', 'created_at', 'last_activity_at', 'closed_at',
    ],
    (function* () {
      for (let i = 0; i < n; i++) {
        const kind = KINDS[ticketKind[i]];
        const status = escalated[i] ? 'ESCALATED' : ticketRnd() < 0.7 ? 'CLOSED' : 'OPEN';
        const createdAt = ticketCreated[i];
        const lastActivity = createdAt + Math.floor(ticketRnd() * 10 * DAY);
        const submitter = ticketSubmitter[i];
        yield [
          i + 1, kind, status, `${pick(ticketRnd, SUBJECTS)} (${i + 1})`, 'Details of the problem as the customer described it, with the steps that reproduce it.', 'en', 'ENGLISH',
          pick(ticketRnd, PRODUCT_AREAS), brandId(ticketBrand[i]), accountId(submitter), ticketRnd() < 0.9 ? `agent-${pad(Math.floor(ticketRnd() * p.agents), 3)}` : null,
          false, false,
          kind === 'PHONE' ? `+1801555${pad(i % 10_000, 4)}` : null, kind === 'PHONE' ? 'US' : null, kind === 'PHONE' ? `user${pad(submitter, 6)}@example.com` : null, true,
          kind === 'CONFERENCE' ? new Date(createdAt + 2 * DAY) : null, 'PENDING', false,
          new Date(createdAt), new Date(lastActivity), status === 'CLOSED' ? new Date(lastActivity) : null,
        ];
      }
    })(),
  );

  const participantRnd = prng(p.seed ^ 0x9a7);
  rows.ticket_participant = await db.insertMany(
    'ticket_participant',
    ['id', 'ticket_id', 'account_id', 'role', 'added_at'],
    (function* () {
      let id = 0;
      for (let i = 0; i < n; i++) {
        const submitter = ticketSubmitter[i];
        yield [++id, i + 1, accountId(submitter), 'SUBMITTER', new Date(ticketCreated[i])];
        const r = participantRnd();
        const extra = r < 0.5 ? 0 : r < 0.85 ? 1 : 2;
        const b = ticketBrand[i];
        const seen = new Set([submitter]);
        for (let k = 0; k < extra; k++) {
          const other = firstAccountOf(b) + Math.floor(participantRnd() * accountsOf(b));
          if (seen.has(other)) continue;
          seen.add(other);
          yield [++id, i + 1, accountId(other), 'ASSOCIATED', new Date(ticketCreated[i] + (k + 1) * HOUR)];
        }
      }
    })(),
  );

  const messageRnd = prng(p.seed ^ 0x3e5);
  rows.message = await db.insertMany(
    'message',
    ['id', 'ticket_id', 'author_kind', 'author_account_id', 'author_agent_id', 'subject', 'body_html', 'recipients', 'created_at'],
    (function* () {
      let id = 0;
      for (let i = 0; i < n; i++) {
        const count = ticketKind[i] === 0 ? 1 + Math.floor(messageRnd() * 4) : messageRnd() < 0.3 ? 1 : 0;
        const submitter = accountId(ticketSubmitter[i]);
        for (let m = 0; m < count; m++) {
          const fromCustomer = m % 2 === 0;
          yield [
            ++id, i + 1, fromCustomer ? 'CUSTOMER' : 'AGENT', fromCustomer ? submitter : null, fromCustomer ? null : `agent-${pad(m % p.agents, 3)}`,
            `Ticket ${i + 1}`, BODY, JSON.stringify(['support@vendor.example', `user${pad(ticketSubmitter[i], 6)}@example.com`]), new Date(ticketCreated[i] + m * 5 * HOUR),
          ];
        }
      }
    })(),
  );

  const escalationRnd = prng(p.seed ^ 0xe5c);
  const escalationStatus: number[] = [];
  rows.escalation = await db.insertMany(
    'escalation',
    ['id', 'ticket_id', 'reference', 'problem_description', 'product_area', 'status', 'estimated_resolution_at', 'submitted_at', 'resolved_at'],
    (function* () {
      let id = 0;
      for (let i = 0; i < n; i++) {
        if (!escalated[i]) continue;
        const status = Math.floor(escalationRnd() * ESCALATION_STATUSES.length);
        escalationStatus.push(status);
        const submittedAt = ticketCreated[i] + DAY;
        const resolved = status === ESCALATED_RESOLVED;
        yield [
          ++id, i + 1, `CP-${100_000 + id}`, 'Engineering is looking into the behaviour reported on the ticket.', pick(escalationRnd, PRODUCT_AREAS), ESCALATION_STATUSES[status],
          !resolved && escalationRnd() < 0.5 ? new Date(submittedAt + 30 * DAY) : null, new Date(submittedAt), resolved ? new Date(submittedAt + status * 3 * DAY) : null,
        ];
      }
    })(),
  );
  rows.escalation_timeline_entry = await db.insertMany(
    'escalation_timeline_entry',
    ['id', 'escalation_id', 'status', 'reached_at'],
    (function* () {
      let id = 0;
      let e = 0;
      for (let i = 0; i < n; i++) {
        if (!escalated[i]) continue;
        const submittedAt = ticketCreated[i] + DAY;
        for (let s = 0; s <= escalationStatus[e]; s++) yield [++id, e + 1, ESCALATION_STATUSES[s], new Date(submittedAt + s * 3 * DAY)];
        e++;
      }
    })(),
  );
  if (db.kind === 'postgresql') {
    // the rows carry their ids: later inserts (the write case, tests) continue after them
    for (const table of ['ticket', 'ticket_participant', 'message', 'escalation', 'escalation_timeline_entry']) {
      await db.exec(`select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 1) from "${table}"))`);
    }
  }
  return rows;
}

const ESCALATED_RESOLVED = ESCALATION_STATUSES.indexOf('RESOLVED');

/** The e-mail ticket of the admin brand with the most messages (first such by id). */
export async function sampleTicket(db: BenchDb, adminBrandId: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `select t.id as id from ticket t join message m on m.ticket_id = t.id where t.brand_id = ? and t.kind = 'EMAIL' group by t.id order by count(*) desc, t.id asc limit 1`,
    [adminBrandId],
  );
  return Number(row.id);
}

async function migrate(databaseUrl: string): Promise<void> {
  const orm = await createOrm(parseDatabaseUrl(databaseUrl), { migrate: true });
  await orm.close(true);
}

/**
 * Returns the bench database for the current parameters, generating it when no database with the
 * same key exists. SQLite files live in bench/.data; on PostgreSQL (`DATABASE_URL`) a `bench_dataset`
 * row marks what the database holds, and a database that is neither empty nor a bench database is
 * refused unless BENCH_RESET=1.
 */
export async function ensureDataset(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<Dataset> {
  const params = datasetParams(env);
  const pgUrl = env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL) ? env.DATABASE_URL : undefined;
  const engine = pgUrl ? 'postgresql' : 'sqlite';
  const key = datasetKey(params, engine);
  const adminBrandId = brandId(0);
  const base = { engine, key, params, adminAccountId: accountId(0), adminBrandId } as const;

  if (engine === 'sqlite') {
    mkdirSync(DATA_DIR, { recursive: true });
    const file = resolve(DATA_DIR, `hub-${key}.sqlite`);
    const databaseUrl = `sqlite:${file}`;
    if (existsSync(file) && env.BENCH_REGENERATE !== '1') {
      const db = openDatabase(databaseUrl);
      try {
        log(`Reusing generated database ${file}`);
        return { ...base, databaseUrl, sampleTicketId: await sampleTicket(db, adminBrandId), generatedMs: null, rows: await countRows(db) };
      } finally {
        await db.close();
      }
    }
    const partial = `${file}.partial`;
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    const started = performance.now();
    await migrate(`sqlite:${partial}`);
    const db = openDatabase(`sqlite:${partial}`, { bulk: true });
    let rows: Record<string, number>;
    let sampleTicketId: number;
    try {
      rows = await fill(db, params);
      await db.exec('analyze');
      await db.exec('pragma journal_mode = WAL');
      sampleTicketId = await sampleTicket(db, adminBrandId);
    } finally {
      await db.close();
    }
    renameSync(partial, file);
    const generatedMs = performance.now() - started;
    log(`Generated ${file} in ${(generatedMs / 1000).toFixed(1)} s`);
    return { ...base, databaseUrl, sampleTicketId, generatedMs, rows };
  }

  const databaseUrl = pgUrl!;
  const db = openDatabase(databaseUrl);
  try {
    const marker = await db.query<{ key: string }>(`select key from bench_dataset`).catch(() => null);
    if (marker?.[0]?.key === key && env.BENCH_REGENERATE !== '1') {
      log(`Reusing generated PostgreSQL database (dataset ${key})`);
      return { ...base, databaseUrl, sampleTicketId: await sampleTicket(db, adminBrandId), generatedMs: null, rows: await countRows(db) };
    }
    const tables = await db.query<{ n: string }>(`select count(*) as n from information_schema.tables where table_schema = 'public'`);
    if (!marker && Number(tables[0].n) > 0 && env.BENCH_RESET !== '1') {
      throw new Error('DATABASE_URL points at a database that is not empty and not a bench database; the generator replaces its contents. Set BENCH_RESET=1 to allow that.');
    }
    const started = performance.now();
    await db.exec('drop schema public cascade; create schema public;');
    await migrate(databaseUrl);
    const rows = await fill(db, params);
    await db.exec('analyze');
    await db.exec(`create table bench_dataset (key text not null); insert into bench_dataset values ('${key}')`);
    const generatedMs = performance.now() - started;
    log(`Generated PostgreSQL dataset ${key} in ${(generatedMs / 1000).toFixed(1)} s`);
    return { ...base, databaseUrl, sampleTicketId: await sampleTicket(db, adminBrandId), generatedMs, rows };
  } finally {
    await db.close();
  }
}

async function countRows(db: BenchDb): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of ['brand', 'account', 'agent', 'ticket', 'ticket_participant', 'message', 'escalation', 'escalation_timeline_entry']) {
    const [row] = await db.query<{ n: number | string }>(`select count(*) as n from "${table}"`);
    rows[table] = Number(row.n);
  }
  return rows;
}

if (require.main === module) {
  ensureDataset()
    .then((dataset) => {
      console.log(JSON.stringify(dataset, null, 2));
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

