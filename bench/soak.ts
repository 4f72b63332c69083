import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrm } from '../src/db/orm';
import { Account, Agent, Brand, BrandRole } from '../src/entities';
import { fromGlobalId } from '../src/resolvers/types/node';
import { openPostgres } from './lib/db';
import { PgCluster, RedisServer } from './lib/faults';
import { machineLine } from './lib/machine';
import { RESULTS_DIR, REPO_ROOT } from './lib/params';
import { apiEnv, rssOf, startApi, type ApiProcess } from './lib/proc';
import { agentToken, customerToken, percentile, round, sleep } from './lib/realtime-harness';
import { gql, SoakSubscriber, type Sample } from './lib/soak-clients';

/**
 * Issue 19 point 4: a soak under faults. Its own PostgreSQL cluster and Redis on spare ports, two
 * API instances (`dist/src/main.js`, production mode) sharing them, a mixed load spread over both
 * (ticket lists and details, `createEmailTicket` with idempotency keys retried with the same key
 * until acknowledged, agent replies), and SOAK_SUBSCRIBERS graphql-ws subscribers on the tickets
 * the replies change, half on each instance. PostgreSQL is stopped (`pg_ctl stop -m fast`) for
 * SOAK_OUTAGE_S and started again; later Redis is killed for as long and started again.
 *
 * Afterwards, from the database: every acknowledged write is looked up (lost writes), tickets per
 * idempotency key and replies per body counted (duplicates); every subscriber's MESSAGE events are
 * counted against the replies that committed on its ticket (missed events). docs/soak.md explains
 * each figure. Writes bench/results/soak.json and prints the table.
 *
 *   npm run bench:soak        (SOAK_DURATION_S=180 SOAK_OUTAGE_S=20 SOAK_SUBSCRIBERS=1000 …)
 */

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const DURATION_S = intEnv('SOAK_DURATION_S', 180);
const OUTAGE_S = intEnv('SOAK_OUTAGE_S', 20);
const SUBSCRIBERS = intEnv('SOAK_SUBSCRIBERS', 1_000);
const HOT_TICKETS = Math.max(1, intEnv('SOAK_HOT_TICKETS', 50));
const READERS = intEnv('SOAK_READERS', 4);
const CREATORS = intEnv('SOAK_CREATORS', 2);
const REPLIERS = intEnv('SOAK_REPLIERS', 2);
/** Pause of each write loop between two operations (ms); the readers pause a fifth of it. */
const PACE_MS = intEnv('SOAK_PACE_MS', 250);
const RSS_EVERY_MS = 5_000;
const CUSTOMERS = 20;

const LIST = 'query SoakList { tickets(first: 20) { edges { node { id subject status } } } }';
const DETAIL = 'query SoakDetail($id: ID!) { ticket(id: $id) { id subject status messages { subject } } }';
const CREATE = 'mutation SoakCreate($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id } userErrors { code } } }';
const REPLY = 'mutation SoakReply($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code } } }';

interface Phase {
  name: string;
  from: number;
  to: number;
}

interface Instance {
  api: ApiProcess;
  publicUrl: string;
  internalUrl: string;
  wsUrl: string;
  rss: { at: number; kb: number }[];
}

const ISO = (at: number) => new Date(at).toISOString();

/** Introspection: does a type's field or input take an argument / field of this name? */
async function hasArgument(url: string, token: string, type: string, field: string, arg: string): Promise<boolean> {
  const answer = await gql(url, `{ __type(name: "${type}") { fields { name args { name } } } }`, {}, token);
  const fields = (answer.data?.__type?.fields ?? []) as { name: string; args: { name: string }[] }[];
  return fields.some((f) => f.name === field && f.args.some((a) => a.name === arg));
}

async function hasInputField(url: string, token: string, type: string, name: string): Promise<boolean> {
  const answer = await gql(url, `{ __type(name: "${type}") { inputFields { name } } }`, {}, token);
  return ((answer.data?.__type?.inputFields ?? []) as { name: string }[]).some((f) => f.name === name);
}

/** Least-squares slope of RSS over time, kB per minute. */
function slopeKbPerMin(samples: { at: number; kb: number }[]): number {
  if (samples.length < 2) return 0;
  const t0 = samples[0].at;
  const xs = samples.map((s) => (s.at - t0) / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = samples.reduce((a, s) => a + s.kb, 0) / samples.length;
  let num = 0;
  let den = 0;
  samples.forEach((s, i) => {
    num += (xs[i] - mx) * (s.kb - my);
    den += (xs[i] - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (OUTAGE_S * 2 + 40 > DURATION_S) throw new Error(`SOAK_DURATION_S (${DURATION_S}) must leave room for two outages of SOAK_OUTAGE_S (${OUTAGE_S}) and 40 s of load around them`);
  const runId = Date.now().toString(36);
  console.log(`soak ${runId}: ${DURATION_S} s, outages of ${OUTAGE_S} s, ${SUBSCRIBERS} subscribers, ${READERS} readers, ${CREATORS} creators, ${REPLIERS} repliers; starting PostgreSQL and Redis…`);
  const pg = await PgCluster.create();
  const redis = await RedisServer.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-soak-data-'));
  const instances: Instance[] = [];
  const subscribers: SoakSubscriber[] = [];
  const verifyDb = openPostgres(pg.url, { max: 2 });
  try {
    const env = (n: number) =>
      apiEnv({ DATABASE_URL: pg.url, REDIS_URL: redis.url, REDIS_NAMESPACE: `soak-${runId}`, HUB_DATA_DIR: join(dataDir, `api-${n}`), METRICS_TOKEN: 'soak-metrics', PORT: undefined });
    // one after the other: the first applies the migrations
    for (const n of [0, 1]) {
      const log = join(dataDir, `api-${n}.log`);
      const fd = openSync(log, 'w');
      const api = await startApi(env(n), { stdoutFd: fd }).catch((error: Error) => {
        throw new Error(`${error.message}\nits log:\n${readFileSync(log, 'utf8').slice(-3_000)}`, { cause: error });
      }).finally(() => closeSync(fd));
      instances.push({ api, publicUrl: `${api.baseUrl}/graphql`, internalUrl: `${api.baseUrl}/internal/graphql`, wsUrl: `ws://127.0.0.1:${api.port}/graphql`, rss: [] });
    }
    console.log(`instances ready on ports ${instances.map((i) => i.api.port).join(', ')} (pids ${instances.map((i) => i.api.child.pid).join(', ')})`);

    // the soak's brand: customers who open tickets, brand admins who subscribe, one agent who replies
    const orm = await createOrm({ kind: 'postgresql', url: pg.url }, { migrate: false });
    const em = orm.em.fork();
    const brandId = `soak-${runId}`;
    em.create(Brand, { id: brandId, name: 'Soak brand' });
    const person = (id: string, role: BrandRole) => em.create(Account, { id, brand: em.getReference(Brand, brandId), username: id, email: `${id}@soak.example.com`, firstName: 'Soak', lastName: id, role });
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => person(`${brandId}-c${i}`, BrandRole.STANDARD).id);
    const admins = Array.from({ length: Math.min(SUBSCRIBERS, 200) }, (_, i) => person(`${brandId}-a${i}`, BrandRole.BRAND_ADMIN).id);
    const agentId = `${brandId}-agent`;
    em.create(Agent, { id: agentId, displayName: 'Soak agent', email: 'agent@soak.example.com' });
    await em.flush();
    await orm.close(true);
    const customerTokens = await Promise.all(customers.map((id) => customerToken(id)));
    const adminTokens = await Promise.all(admins.map((id) => customerToken(id)));
    const agent = await agentToken(agentId);

    const resume = await hasArgument(instances[0].publicUrl, customerTokens[0], 'Subscription', 'ticketUpdated', 'after');
    const replyKeys = await hasInputField(instances[0].internalUrl, agent, 'PostAgentReplyInput', 'idempotencyKey');
    console.log(`ticketUpdated(after:) ${resume ? 'present: subscribers resume from their last event id' : 'absent: subscribers cannot resume'}; postAgentReply idempotencyKey ${replyKeys ? 'present' : 'absent'}`);

    // the tickets the replies change, and the subscribers on them (half on each instance)
    const hot: string[] = [];
    for (let i = 0; i < HOT_TICKETS; i++) {
      const answer = await gql(instances[i % 2].publicUrl, CREATE, { input: { idempotencyKey: `${runId}-hot-${i}`, productArea: 'SURVEY_PLATFORM', subject: `Soak hot ${i}`, description: 'A ticket the soak keeps replying to.' } }, customerTokens[i % CUSTOMERS]);
      if (!answer.ok || !answer.data.createEmailTicket.ticket) throw new Error(`could not create hot ticket ${i}: ${answer.code ?? JSON.stringify(answer.data)}`);
      hot.push(answer.data.createEmailTicket.ticket.id);
    }
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const instance = i % 2;
      subscribers.push(new SoakSubscriber(instance, instances[instance].wsUrl, adminTokens[i % adminTokens.length], hot[i % HOT_TICKETS], resume));
    }
    for (let i = 0; i < subscribers.length; i += 100) {
      for (const s of subscribers.slice(i, i + 100)) s.subscribe();
      await sleep(100);
    }
    const activeSubscriptions = async () => {
      let total = 0;
      for (const instance of instances) {
        const text = await (await fetch(`${instance.api.baseUrl}/metrics`, { headers: { authorization: 'Bearer soak-metrics' } })).text();
        total += Number(/^hub_subscriptions_active (\S+)$/m.exec(text)?.[1] ?? 0);
      }
      return total;
    };
    const opening = Date.now();
    // on a loaded machine a few subscribe calls fail and are made again: the soak starts once all are
    // active, or after 120 s with those there are (the others count as missing their events)
    let active = 0;
    while ((active = await activeSubscriptions()) < SUBSCRIBERS && Date.now() - opening < 120_000) await sleep(250);
    console.log(`${active} of ${SUBSCRIBERS} subscriptions active after ${round((Date.now() - opening) / 1000)} s`);

    // the load
    const samples: Sample[] = [];
    const acknowledgedTickets: { key: string; id: string }[] = [];
    const unacknowledgedTickets: string[] = [];
    const acknowledgedReplies: string[] = [];
    const unacknowledgedReplies: string[] = [];
    const knownTickets: string[] = [...hot];
    let running = true;
    let turn = 0;
    const next = () => instances[turn++ % instances.length];
    const attempt = async (op: Sample['op'], url: string, query: string, variables: Record<string, unknown>, token: string) => {
      const at = Date.now();
      const answer = await gql(url, query, variables, token);
      const payload = answer.data && (Object.values(answer.data)[0] as { userErrors?: { code: string }[] } | null);
      const userError = answer.ok && payload?.userErrors?.length ? payload.userErrors[0].code : undefined;
      samples.push({ at, op, ok: answer.ok && !userError, code: answer.ok ? (userError ? `USER_ERROR ${userError}` : undefined) : answer.code, ms: Date.now() - at });
      return { ...answer, ok: answer.ok && !userError };
    };
    /** A write retried with the same input (the same idempotency key) until acknowledged, as a client does. */
    const retried = async (op: Sample['op'], input: () => { url: string; query: string; variables: Record<string, unknown>; token: string }) => {
      const giveUp = Date.now() + 60_000;
      for (;;) {
        const { url, query, variables, token } = input();
        const answer = await attempt(op, url, query, variables, token);
        if (answer.ok) return answer;
        if (Date.now() > giveUp) return undefined;
        await sleep(200);
      }
    };
    const reader = async (r: number) => {
      for (let n = 0; running; n++) {
        const token = customerTokens[(r + n) % CUSTOMERS];
        if (n % 2 === 0) await attempt('list', next().publicUrl, LIST, {}, token);
        else await attempt('detail', next().internalUrl, DETAIL, { id: knownTickets[(r * 7919 + n) % knownTickets.length] }, agent);
        await sleep(PACE_MS / 5);
      }
    };
    const creator = async (c: number) => {
      for (let n = 0; running; n++) {
        const key = `${runId}-c${c}-${n}`;
        const token = customerTokens[(c + n) % CUSTOMERS];
        const answer = await retried('create', () => ({ url: next().publicUrl, query: CREATE, variables: { input: { idempotencyKey: key, productArea: 'SURVEY_PLATFORM', subject: `Soak ${key}`, description: `Soak ticket ${key}.` } }, token }));
        if (answer) {
          acknowledgedTickets.push({ key, id: answer.data.createEmailTicket.ticket.id });
          knownTickets.push(answer.data.createEmailTicket.ticket.id);
        } else unacknowledgedTickets.push(key);
        await sleep(PACE_MS);
      }
    };
    const replier = async (r: number) => {
      for (let n = 0; running; n++) {
        const body = `<p>soak ${runId} r${r}-${n}</p>`;
        const ticketId = hot[(r * 31 + n) % HOT_TICKETS];
        const input = { ticketId, bodyHtml: body, ...(replyKeys ? { idempotencyKey: `${runId}-r${r}-${n}` } : {}) };
        const answer = await retried('reply', () => ({ url: next().internalUrl, query: REPLY, variables: { input }, token: agent }));
        (answer ? acknowledgedReplies : unacknowledgedReplies).push(body);
        await sleep(PACE_MS);
      }
    };
    const sampleRss = () => {
      const at = Date.now();
      for (const instance of instances) instance.rss.push({ at, kb: Math.round(rssOf(instance.api.child.pid!) / 1024) });
    };
    sampleRss();
    const rssTimer = setInterval(sampleRss, RSS_EVERY_MS);
    const loadStart = Date.now();
    const loops = [...Array.from({ length: READERS }, (_, i) => reader(i)), ...Array.from({ length: CREATORS }, (_, i) => creator(i)), ...Array.from({ length: REPLIERS }, (_, i) => replier(i))];
    const at = (seconds: number) => sleep(Math.max(0, loadStart + seconds * 1000 - Date.now()));
    const firstSuccessAfter = async (since: number, ms = 60_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = samples.find((s) => s.at >= since && s.ok && (s.op === 'create' || s.op === 'reply'));
        if (found) return found.at + found.ms;
        if (Date.now() > deadline) return undefined;
        await sleep(50);
      }
    };

    // PostgreSQL: stopped after a sixth of the soak, for SOAK_OUTAGE_S
    const pgAt = Math.round(DURATION_S / 6);
    await at(pgAt);
    console.log(`${round((Date.now() - loadStart) / 1000)} s: stopping PostgreSQL for ${OUTAGE_S} s`);
    const pgStop = Date.now();
    await pg.stop();
    await at(pgAt + OUTAGE_S);
    const pgStartCalled = Date.now();
    await pg.start();
    const pgStarted = Date.now();
    const pgRecovered = (await firstSuccessAfter(pgStarted)) ?? Date.now();
    console.log(`${round((Date.now() - loadStart) / 1000)} s: PostgreSQL back (pg_ctl start took ${pgStarted - pgStartCalled} ms); first acknowledged write ${pgRecovered - pgStarted} ms later`);

    // Redis: killed at the middle of the soak, for SOAK_OUTAGE_S
    const redisAt = Math.round(DURATION_S / 2);
    await at(redisAt);
    console.log(`${round((Date.now() - loadStart) / 1000)} s: killing Redis for ${OUTAGE_S} s`);
    const redisStop = Date.now();
    await redis.stop();
    await at(redisAt + OUTAGE_S);
    await redis.start();
    const redisStarted = Date.now();
    // back when every subscriber that was told of the interruption has been told it resumed
    const interruptedSubscribers = () => subscribers.filter((s) => s.notices.some((n) => n.at >= redisStop && n.code === 'EVENTS_INTERRUPTED'));
    const resumedAt = (s: SoakSubscriber) => s.notices.find((n) => n.at >= redisStarted && n.code === 'EVENTS_RESUMED')?.at;
    const waitResumed = Date.now() + 60_000;
    while (interruptedSubscribers().some((s) => resumedAt(s) === undefined) && Date.now() < waitResumed) await sleep(100);
    const redisRecovered = Math.max(redisStarted, ...interruptedSubscribers().map((s) => resumedAt(s) ?? Date.now()));
    console.log(`${round((Date.now() - loadStart) / 1000)} s: Redis back; every interrupted subscriber told EVENTS_RESUMED ${redisRecovered - redisStarted} ms later`);

    await at(DURATION_S);
    running = false;
    await Promise.all(loops);
    const loadEnd = Date.now();
    clearInterval(rssTimer);
    sampleRss();

    // a sentinel reply on each hot ticket: a subscriber is done once it received an event after its sentinel was acknowledged
    // (its event may arrive before the acknowledgement does: what counts is an event after the sentinel was sent)
    const sentinelSent = new Map<string, number>();
    for (const ticketId of hot) {
      const sent = Date.now();
      const answer = await retried('reply', () => ({ url: next().internalUrl, query: REPLY, variables: { input: { ticketId, bodyHtml: `<p>soak ${runId} sentinel</p>` } }, token: agent }));
      if (answer) sentinelSent.set(ticketId, sent);
    }
    const drained = (s: SoakSubscriber) => s.receivedAfter(sentinelSent.get(s.ticketId) ?? Infinity) > 0;
    const drainDeadline = Date.now() + 30_000;
    while (subscribers.some((s) => !drained(s)) && Date.now() < drainDeadline) await sleep(100);
    const undrained = subscribers.filter((s) => !drained(s)).length;

    // afterwards, from the database
    const ackIds = acknowledgedTickets.map((t) => Number(fromGlobalId(t.id).localId));
    const found = new Set<number>();
    for (let i = 0; i < ackIds.length; i += 1000) {
      const chunk = ackIds.slice(i, i + 1000);
      for (const row of await verifyDb.query<{ id: number }>(`select id from ticket where id in (${chunk.map(() => '?').join(', ')})`, chunk)) found.add(Number(row.id));
    }
    const lostTickets = ackIds.filter((id) => !found.has(id)).length;
    const [{ n: duplicateTickets }] = await verifyDb.query<{ n: number }>(
      `select count(*)::int as n from (select subject from ticket where subject like ? group by subject having count(*) > 1) d`,
      [`Soak ${runId}-%`],
    );
    const replyRows = await verifyDb.query<{ body_html: string; n: number }>(`select body_html, count(*)::int as n from message where body_html like ? group by body_html`, [`%soak ${runId} r%`]);
    const replyCount = new Map(replyRows.map((r) => [r.body_html, Number(r.n)]));
    const stored = (body: string) => [...replyCount.entries()].find(([html]) => html.includes(body.replace(/^<p>|<\/p>$/g, '')))?.[1] ?? 0;
    const lostReplies = acknowledgedReplies.filter((body) => stored(body) === 0).length;
    const duplicateReplies = replyRows.filter((r) => Number(r.n) > 1).length;
    const unacknowledgedStored = unacknowledgedReplies.filter((body) => stored(body) > 0).length;

    // events: every reply committed on a hot ticket after the subscriptions opened, by commit time
    const committed = await verifyDb.query<{ ticket_id: number; created_at: Date }>(
      `select m.ticket_id, m.created_at from message m where m.ticket_id in (${hot.map(() => '?').join(', ')}) and m.created_at >= ? and m.author_kind = 'AGENT'`,
      [...hot.map((id) => Number(fromGlobalId(id).localId)), new Date(loadStart)],
    );
    const phases: Phase[] = [
      { name: 'before the PostgreSQL outage', from: loadStart, to: pgStop },
      { name: 'PostgreSQL outage (stop → first acknowledged write)', from: pgStop, to: pgRecovered },
      { name: 'between the outages', from: pgRecovered, to: redisStop },
      { name: 'Redis outage (kill → every subscriber resumed)', from: redisStop, to: redisRecovered },
      { name: 'after the Redis outage', from: redisRecovered, to: loadEnd },
      { name: 'sentinels', from: loadEnd, to: Infinity },
    ];
    const phaseOf = (t: number) => phases.findIndex((p) => t >= p.from && t < p.to);
    const byTicket = new Map<number, number[]>();
    for (const row of committed) {
      const list = byTicket.get(Number(row.ticket_id)) ?? [];
      list.push(new Date(row.created_at).getTime());
      byTicket.set(Number(row.ticket_id), list);
    }
    // each receipt is matched to the latest reply on its ticket committed before it arrived and not matched yet
    // (replies on one ticket are seconds apart, deliveries take milliseconds); a reply left unmatched was missed
    const eventRows = phases.map((p) => ({ phase: p.name, committed: 0, expected: 0, missed: 0 }));
    for (const [, times] of byTicket) for (const t of times) if (phaseOf(t) >= 0) eventRows[phaseOf(t)].committed++;
    let expectedTotal = 0;
    let receivedTotal = 0;
    let unmatchedReceipts = 0;
    let duplicatesTotal = 0;
    for (const s of subscribers) {
      const times = [...(byTicket.get(Number(fromGlobalId(s.ticketId).localId)) ?? [])].sort((a, b) => a - b);
      const matched = new Array<boolean>(times.length).fill(false);
      expectedTotal += times.length;
      duplicatesTotal += s.duplicates;
      for (const r of s.receipts) {
        let k = times.length - 1;
        while (k >= 0 && (times[k] > r.at || matched[k])) k--;
        if (k < 0) unmatchedReceipts++;
        else {
          matched[k] = true;
          receivedTotal++;
        }
      }
      times.forEach((t, k) => {
        const phase = phaseOf(t);
        if (phase < 0) return;
        eventRows[phase].expected++;
        if (!matched[k]) eventRows[phase].missed++;
      });
    }
    const missedTotal = expectedTotal - receivedTotal;
    const told = (from: number, to: number, code: string) => subscribers.filter((s) => s.notices.some((n) => n.at >= from && n.at < to && n.code === code)).length;
    // error results and terminations by code: how many, and when (s after the load started)
    const notices: Record<string, { count: number; firstS: number; lastS: number }> = {};
    for (const s of subscribers) {
      for (const n of s.notices) {
        const t = round((n.at - loadStart) / 1000);
        const entry = (notices[n.code] ??= { count: 0, firstS: t, lastS: t });
        entry.count++;
        entry.firstS = Math.min(entry.firstS, t);
        entry.lastS = Math.max(entry.lastS, t);
      }
    }

    const errorRows = phases.slice(0, 5).map((p) => {
      // by when the answer came: a request in flight when PostgreSQL stopped fails with the outage
      const inPhase = samples.filter((s) => s.at + s.ms >= p.from && s.at + s.ms < p.to);
      const failed = inPhase.filter((s) => !s.ok);
      const codes: Record<string, number> = {};
      for (const s of failed) codes[s.code ?? 'ERROR'] = (codes[s.code ?? 'ERROR'] ?? 0) + 1;
      return { phase: p.name, seconds: round((p.to - p.from) / 1000), requests: inPhase.length, failed: failed.length, errorRate: inPhase.length ? failed.length / inPhase.length : 0, codes, p99Ms: percentile(inPhase.map((s) => s.ms), 99) };
    });
    const rssRows = instances.map((instance, i) => {
      const half = instance.rss.slice(Math.floor(instance.rss.length / 2));
      return { instance: i, startKb: instance.rss[0].kb, endKb: instance.rss.at(-1)!.kb, maxKb: Math.max(...instance.rss.map((s) => s.kb)), slopeKbPerMinSecondHalf: round(slopeKbPerMin(half)), samples: instance.rss.map((s) => ({ t: round((s.at - loadStart) / 1000), kb: s.kb })) };
    });

    // what each instance logged (issue 20.4): plain text lines, error lines, the outage lines
    const logs = instances.map((_, n) => {
      const lines = readFileSync(join(dataDir, `api-${n}.log`), 'utf8').split('\n').filter(Boolean);
      const parsed: Record<string, any>[] = [];
      let plain = 0;
      for (const line of lines) {
        try {
          parsed.push(JSON.parse(line));
        } catch {
          plain++;
        }
      }
      const errorLines: Record<string, number> = {};
      for (const line of parsed.filter((l) => l.level >= 50)) errorLines[String(line.msg)] = (errorLines[String(line.msg)] ?? 0) + 1;
      return {
        instance: n,
        lines: lines.length,
        plainTextLines: plain,
        errorLines,
        databaseUnreachable: parsed.filter((l) => l.msg === 'database unreachable').length,
        databaseBack: parsed.filter((l) => l.msg === 'database reachable again').map((l) => ({ outageMs: l.outageMs, refusedRequests: l.refusedRequests })),
        redisLines: parsed.filter((l) => l.component === 'redis-bridge').length,
        unexpected: parsed.filter((l) => l.msg === 'unexpected error').slice(0, 3).map((l) => String(l.err?.message ?? '').slice(0, 200)),
        // what it wrote outside the JSON logger (stderr)
        stderr: instances[n].api.stderr().slice(0, 2_000),
      };
    });

    const result = {
      name: 'soak',
      date: new Date().toISOString(),
      commit: commitOf(),
      machine: machineLine(),
      subscriptionsActiveAtStart: active,
      settings: { durationS: DURATION_S, outageS: OUTAGE_S, subscribers: SUBSCRIBERS, hotTickets: HOT_TICKETS, readers: READERS, creators: CREATORS, repliers: REPLIERS, paceMs: PACE_MS, resumeWithAfter: resume, replyIdempotencyKeys: replyKeys },
      timeline: { loadStart: ISO(loadStart), pgStop: ISO(pgStop), pgStarted: ISO(pgStarted), pgRecovered: ISO(pgRecovered), redisStop: ISO(redisStop), redisStarted: ISO(redisStarted), redisRecovered: ISO(redisRecovered), loadEnd: ISO(loadEnd) },
      writes: {
        ticketsAcknowledged: acknowledgedTickets.length,
        ticketsLost: lostTickets,
        ticketsUnacknowledged: unacknowledgedTickets.length,
        duplicateTickets: Number(duplicateTickets),
        repliesAcknowledged: acknowledgedReplies.length,
        repliesLost: lostReplies,
        repliesUnacknowledged: unacknowledgedReplies.length,
        repliesUnacknowledgedButStored: unacknowledgedStored,
        duplicateReplies,
      },
      events: {
        expected: expectedTotal,
        received: receivedTotal,
        missed: missedTotal,
        duplicatesDropped: duplicatesTotal,
        receiptsWithoutCommit: unmatchedReceipts,
        undrainedSubscribers: undrained,
        byPhase: eventRows,
        toldInterrupted: { postgres: told(pgStop, redisStop, 'EVENTS_INTERRUPTED'), redis: told(redisStop, loadEnd, 'EVENTS_INTERRUPTED') },
        toldResumed: { postgres: told(pgStop, redisStop, 'EVENTS_RESUMED'), redis: told(redisStop, loadEnd, 'EVENTS_RESUMED') },
        notices,
        reconnects: subscribers.reduce((n, s) => n + s.reconnects, 0),
        resubscribedWithAfter: subscribers.reduce((n, s) => n + s.resumes, 0),
      },
      errors: errorRows,
      recovery: { postgresMs: pgRecovered - pgStarted, redisResumedMs: redisRecovered - redisStarted, redisFirstWriteMs: ((await firstSuccessAfter(redisStarted, 0)) ?? redisStarted) - redisStarted },
      rss: rssRows,
      logs,
      requests: samples.length,
    };

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, 'soak.json');
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    const pct = (x: number) => `${round(x * 100, 2)} %`;
    const rows: [string, string | number, string][] = [
      ['acknowledged tickets lost', `${lostTickets} of ${acknowledgedTickets.length}`, '0'],
      ['duplicate tickets (same idempotency key)', Number(duplicateTickets), '0'],
      ['acknowledged replies lost', `${lostReplies} of ${acknowledgedReplies.length}`, '0'],
      ['duplicate replies', `${duplicateReplies}${replyKeys ? '' : ' (replies take no idempotency key yet)'}`, '0'],
      ['writes never acknowledged (gave up after 60 s)', unacknowledgedTickets.length + unacknowledgedReplies.length, '0'],
      ['events missed by subscribers (all phases)', `${missedTotal} of ${expectedTotal}`, '0'],
      ...eventRows.filter((r) => r.expected > 0).map((r): [string, string, string] => [`  events missed: ${r.phase}`, `${r.missed} of ${r.expected}`, '0']),
      ['subscribers told EVENTS_INTERRUPTED / EVENTS_RESUMED (Redis)', `${result.events.toldInterrupted.redis} / ${result.events.toldResumed.redis} of ${SUBSCRIBERS}`, ''],
      ['subscribers told EVENTS_INTERRUPTED / EVENTS_RESUMED (PostgreSQL)', `${result.events.toldInterrupted.postgres} / ${result.events.toldResumed.postgres} of ${SUBSCRIBERS}`, ''],
      ['subscriber reconnects / re-subscribed with after:', `${result.events.reconnects} / ${result.events.resubscribedWithAfter}`, ''],
      ...errorRows.map((r): [string, string, string] => [`error rate: ${r.phase}`, `${pct(r.errorRate)} (${r.failed} of ${r.requests}${r.failed ? `: ${Object.entries(r.codes).map(([c, n]) => `${c} ${n}`).join(', ')}` : ''})`, '']),
      ['recovery: PostgreSQL start → first acknowledged write', `${result.recovery.postgresMs} ms`, ''],
      ['recovery: Redis start → every subscriber told EVENTS_RESUMED', `${result.recovery.redisResumedMs} ms`, ''],
      ...logs.map((l): [string, string, string] => [`log of instance ${l.instance}: database unreachable / back lines, error lines, plain text lines`, `${l.databaseUnreachable} / ${l.databaseBack.length}${l.databaseBack.length ? ` (outage ${l.databaseBack.map((b) => `${b.outageMs} ms, ${b.refusedRequests} refused`).join('; ')})` : ''}, ${Object.entries(l.errorLines).map(([m, n]) => `${n} × ${m}`).join(', ') || '0'}, ${l.plainTextLines}`, '1 / 1, only the outage, 0']),
      ...rssRows.map((r): [string, string, string] => [`RSS instance ${r.instance}: start → end (max; trend, 2nd half)`, `${round(r.startKb / 1024)} → ${round(r.endKb / 1024)} MB (max ${round(r.maxKb / 1024)}; ${r.slopeKbPerMinSecondHalf} kB/min)`, 'no growth trend']),
    ];
    console.log(`\n### Soak under faults (${DURATION_S} s, ${samples.length} requests, commit ${result.commit})\n`);
    console.log('| measure | value | target |');
    console.log('|---|---|---|');
    for (const [measure, value, target] of rows) console.log(`| ${measure} | ${value} | ${target} |`);
    console.log(`\n(figures written to ${file})`);
  } finally {
    await Promise.allSettled(subscribers.map((s) => s.close()));
    await Promise.allSettled(instances.map((i) => i.api.stop()));
    await verifyDb.close().catch(() => undefined);
    await redis.stop();
    await pg.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
