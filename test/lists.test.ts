import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentHistorySince } from '../src/domain/ticket-list';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

/**
 * Issue 17 point 4: the support history and incident history pages from the list operation alone —
 * sorting by every column the pages sort by (with ties, across pages, both directions), filters by
 * escalation and by created/closed ranges, and the incident history (HIST-8) as one query.
 */

const NODE = 'number status createdAt lastActivityAt closedAt escalation { reference status resolvedAt }';
const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $filter: TicketFilter, $orderBy: TicketOrder, $scope: TicketScope = MINE) {
  tickets(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy, scope: $scope) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${NODE} } } } }`;

interface Row {
  number: number;
  status: string;
  createdAt: string;
  lastActivityAt: string;
  closedAt: string | null;
  escalation: { reference: string; status: string; resolvedAt: string | null } | null;
}

const STATUS_RANK: Record<string, number> = { OPEN: 0, ESCALATED: 1, CLOSED: 2 };
const ESCALATION_RANK: Record<string, number> = { SUBMITTED: 0, IN_REVIEW: 1, ENGINEERING_IN_PROGRESS: 2, VERIFYING_RESOLUTION: 3, RESOLVED: 4 };

/** The order each field promises, written independently of the server: keys, then the ticket number. */
const KEYS: Record<string, (r: Row) => (number | string)[]> = {
  CREATED_AT: (r) => [r.createdAt, r.number],
  LAST_ACTIVITY_AT: (r) => [r.lastActivityAt, r.number],
  STATUS: (r) => [STATUS_RANK[r.status], r.createdAt, r.number],
  ESCALATION_STATUS: (r) => [r.escalation ? ESCALATION_RANK[r.escalation.status] : -1, r.createdAt, r.number],
};

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

describe.each(DATABASE_TARGETS)('support and incident history lists ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let agent: string;
  const tok: Record<string, string> = {};
  const n: Record<string, number> = {};

  const query = async (variables: Record<string, unknown>, token = tok['l-std']) => t.gql(LIST, { first: 100, ...variables }, token);
  const rowsOf = (data: any): Row[] => data.tickets.edges.map((e: any) => e.node);
  const numbers = async (variables: Record<string, unknown>, token?: string) => rowsOf(ok(await query(variables, token))).map((r) => r.number);
  const named = (...names: string[]) => names.map((name) => n[name]);

  /** Walks the whole list `size` rows at a time, forward with `after` or backward with `before`. */
  async function walk(variables: Record<string, unknown>, size: number, backward = false): Promise<number[]> {
    const seen: number[][] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page: any = ok(await query(backward ? { ...variables, first: undefined, last: size, before: cursor } : { ...variables, first: size, after: cursor }));
      const batch = rowsOf(page).map((r) => r.number);
      expect(batch.length).toBeLessThanOrEqual(size);
      if (backward) seen.unshift(batch);
      else seen.push(batch);
      const more = backward ? page.tickets.pageInfo.hasPreviousPage : page.tickets.pageInfo.hasNextPage;
      if (!more) return seen.flat();
      cursor = backward ? page.tickets.pageInfo.startCursor : page.tickets.pageInfo.endCursor;
    }
    throw new Error('the list did not end');
  }

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('l-brand');
    await f.brand('l-other');
    await f.brand('l-fed', { fedramp: true });
    await f.account('l-std', 'l-brand');
    await f.account('l-std2', 'l-brand');
    await f.account('l-admin', 'l-brand', { role: 'BRAND_ADMIN' });
    await f.account('l-stranger', 'l-other', { role: 'BRAND_ADMIN' });
    await f.account('l-fed-user', 'l-fed');
    await f.agent('l-agent');
    agent = await t.token('l-agent', ['hub:agent']);
    for (const id of ['l-std', 'l-std2', 'l-admin', 'l-stranger', 'l-fed-user']) tok[id] = await f.tokenFor(id);

    const record = async (name: string, input: Record<string, unknown>) => {
      n[name] = (await f.ticket({ submitterId: 'l-std', subject: name, ...input })).number;
    };
    const escalation = (reference: string, ...timeline: [string, string][]) => ({
      status: 'ESCALATED',
      escalation: { reference, problemDescription: reference, timeline: timeline.map(([status, reachedAt]) => ({ status, reachedAt })) },
    });
    // three open tickets created at the same instant, and two more sharing another: ties for every order
    await record('tieA', { createdAt: '2026-09-01T10:00:00.000Z' });
    await record('tieB', { kind: 'CHAT', createdAt: '2026-09-01T10:00:00.000Z' });
    await record('tieC', { createdAt: '2026-09-01T10:00:00.000Z' });
    await record('closedPhone', { kind: 'PHONE', status: 'CLOSED', createdAt: '2026-09-02T10:00:00.000Z', phone: { number: '+390212345678', country: 'IT', confirmationEmail: 'l-std@example.com' } });
    await record('busy', { createdAt: '2026-06-01T10:00:00.000Z', messages: [{ authorKind: 'AGENT', bodyHtml: 'latest', createdAt: '2026-10-20T10:00:00.000Z' }] });
    await record('unresolved', { createdAt: '2026-08-01T10:00:00.000Z', ...escalation('CP-9101', ['SUBMITTED', '2026-08-01T11:00:00.000Z'], ['ENGINEERING_IN_PROGRESS', '2026-08-03T10:00:00.000Z']) });
    await record('resolvedRecently', { createdAt: '2026-07-01T10:00:00.000Z', ...escalation('CP-9102', ['SUBMITTED', '2026-07-01T11:00:00.000Z'], ['RESOLVED', '2026-10-01T10:00:00.000Z']) });
    await record('resolvedLongAgo', { createdAt: '2026-03-01T10:00:00.000Z', ...escalation('CP-9103', ['SUBMITTED', '2026-03-01T11:00:00.000Z'], ['RESOLVED', '2026-04-01T10:00:00.000Z']) });
    // the server's clock is 2026-11-02T15:00Z: six months back is 2026-05-02T15:00Z, inclusive
    await record('resolvedAtCutoff', { createdAt: '2026-04-01T10:00:00.000Z', ...escalation('CP-9104', ['SUBMITTED', '2026-04-01T11:00:00.000Z'], ['RESOLVED', '2026-05-02T15:00:00.000Z']) });
    await record('resolvedJustBefore', { createdAt: '2026-04-01T10:00:00.000Z', ...escalation('CP-9105', ['SUBMITTED', '2026-04-01T11:00:00.000Z'], ['RESOLVED', '2026-05-02T14:59:59.000Z']) });
    await record('inReview', { createdAt: '2026-09-15T10:00:00.000Z', ...escalation('CP-9106', ['SUBMITTED', '2026-09-15T11:00:00.000Z'], ['IN_REVIEW', '2026-09-16T10:00:00.000Z']) });
    // an escalated ticket closed by support, its escalation still unresolved: still an incident
    await record('closedEscalated', { createdAt: '2026-09-10T10:00:00.000Z', ...escalation('CP-9107', ['SUBMITTED', '2026-09-10T11:00:00.000Z'], ['IN_REVIEW', '2026-09-11T10:00:00.000Z']) });
    const saved = t.clock.now;
    try {
      t.clock.now = new Date('2026-10-15T12:00:00.000Z');
      const closed = ok(
        await t.internal(
          `mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code } } }`,
          { input: { ticketId: ok(await t.gql(`query($s: String) { tickets(first: 1, filter: { search: $s }) { edges { node { id } } } }`, { s: 'CP-9107' }, tok['l-std'])).tickets.edges[0].node.id, status: 'CLOSED' } },
          agent,
        ),
      );
      expect(closed.setTicketStatus.userErrors).toEqual([]);
    } finally {
      t.clock.now = saved;
    }
    // a colleague's incident (the brand admin's organization list) and another brand's (never)
    n.colleague = (await f.ticket({ submitterId: 'l-std2', subject: 'colleague', createdAt: '2026-10-01T10:00:00.000Z', ...escalation('CP-9108', ['SUBMITTED', '2026-10-01T11:00:00.000Z']) })).number;
    n.otherBrand = (await f.ticket({ submitterId: 'l-stranger', subject: 'other brand', createdAt: '2026-10-01T10:00:00.000Z', ...escalation('CP-9109', ['SUBMITTED', '2026-10-01T11:00:00.000Z']) })).number;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  for (const field of Object.keys(KEYS)) {
    for (const direction of ['ASC', 'DESC']) {
      it(`HIST-4, HIST-8: orderBy ${field} ${direction} sorts by its keys then the ticket number, and pages across ties without loss or repeat`, async () => {
        const orderBy = { field, direction };
        const all = rowsOf(ok(await query({ orderBy })));
        expect(all).toHaveLength(12);
        const expected = [...all].sort((a, b) => compareKeys(KEYS[field](a), KEYS[field](b)) * (direction === 'ASC' ? 1 : -1));
        expect(all.map((r) => r.number)).toEqual(expected.map((r) => r.number));
        // pages of 2 split the ties of three (tieA–C), forward and backward
        expect(await walk({ orderBy }, 2)).toEqual(all.map((r) => r.number));
        expect(await walk({ orderBy }, 2, true)).toEqual(all.map((r) => r.number));
      });
    }
  }

  it('HIST-4: the orders differ where the pages differ: last activity moves a busy old ticket to the top, status groups open before escalated before closed', async () => {
    const byActivity = await numbers({ orderBy: { field: 'LAST_ACTIVITY_AT', direction: 'DESC' } });
    expect(byActivity[0]).toBe(n.busy);
    const byCreated = await numbers({ orderBy: { field: 'CREATED_AT', direction: 'DESC' } });
    expect(byCreated.indexOf(n.busy)).toBeGreaterThan(5);
    const byStatus = rowsOf(ok(await query({ orderBy: { field: 'STATUS', direction: 'ASC' } }))).map((r) => r.status);
    expect(byStatus).toEqual([...Array(4).fill('OPEN'), ...Array(6).fill('ESCALATED'), ...Array(2).fill('CLOSED')]);
  });

  it('HIST-4: a cursor belongs to its order: another order’s cursor, or a forged one, is BAD_USER_INPUT', async () => {
    const page = ok(await query({ first: 2, orderBy: { field: 'STATUS' } }));
    const foreign = await query({ first: 2, after: page.tickets.pageInfo.endCursor, orderBy: { field: 'CREATED_AT' } });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const forged = Buffer.from(JSON.stringify(['STATUS', 'x', '2026-01-01T00:00:00.000Z', 1])).toString('base64url');
    expect((await query({ first: 2, after: forged, orderBy: { field: 'STATUS' } })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('HIST-4, ESC-1: filters by escalation — any (closed escalated tickets included), none, by escalation status', async () => {
    const escalated = named('unresolved', 'resolvedRecently', 'resolvedLongAgo', 'resolvedAtCutoff', 'resolvedJustBefore', 'inReview', 'closedEscalated');
    expect((await numbers({ filter: { escalation: 'ANY' } })).sort()).toEqual([...escalated].sort());
    expect((await numbers({ filter: { escalation: 'NONE' } })).sort()).toEqual(named('tieA', 'tieB', 'tieC', 'closedPhone', 'busy').sort());
    // status ESCALATED alone misses the closed one; the escalation filter does not
    expect(await numbers({ filter: { status: ['ESCALATED'] } })).not.toContain(n.closedEscalated);
    expect((await numbers({ filter: { escalationStatus: ['IN_REVIEW'] } })).sort()).toEqual(named('inReview', 'closedEscalated').sort());
    expect((await numbers({ filter: { escalationStatus: ['RESOLVED'], status: ['ESCALATED'] } })).sort()).toEqual(
      named('resolvedRecently', 'resolvedLongAgo', 'resolvedAtCutoff', 'resolvedJustBefore').sort(),
    );
    const counted = ok(await query({ first: 0, filter: { escalation: 'ANY' } }));
    expect(counted.tickets).toMatchObject({ totalCount: escalated.length, edges: [] });
  });

  it('HIST-4: filters by created and closed ranges (from inclusive, to exclusive), paging inside the range', async () => {
    const created = { from: '2026-09-01T10:00:00.000Z', to: '2026-09-02T10:00:00.000Z' };
    expect((await numbers({ filter: { createdAt: created } })).sort()).toEqual(named('tieA', 'tieB', 'tieC').sort());
    expect(await walk({ filter: { createdAt: created }, orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, 2)).toEqual(named('tieA', 'tieB', 'tieC'));
    expect(await numbers({ filter: { createdAt: { from: '2026-09-12T00:00:00.000Z' } } })).toEqual(named('inReview'));
    // closed in October: the escalated ticket support closed on 2026-10-15, not the phone call closed in September
    expect(await numbers({ filter: { closedAt: { from: '2026-10-01T00:00:00.000Z' } } })).toEqual(named('closedEscalated'));
    expect(await numbers({ filter: { closedAt: { to: '2026-10-01T00:00:00.000Z' } } })).toEqual(named('closedPhone'));
    const reversed = await query({ filter: { createdAt: { from: '2026-10-01T00:00:00.000Z', to: '2026-09-01T00:00:00.000Z' } } });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.createdAt' });
  });

  it('HIST-8: the incident history is one query: unresolved escalations and those resolved in the last six months, closed tickets included, sortable by status', async () => {
    const data = ok(
      await t.gql(
        `{ tickets(first: 50, filter: { escalation: INCIDENT_HISTORY }, orderBy: { field: ESCALATION_STATUS, direction: ASC }) {
           totalCount edges { node { number subject status escalation { reference status submittedAt resolvedAt timeline { status reachedAt } } } } } }`,
        undefined,
        tok['l-std'],
      ),
    );
    const rows = data.tickets.edges.map((e: any) => e.node);
    // 2026-11-02T15:00Z minus six months: resolved at 2026-05-02T15:00:00Z is in, one second earlier is out
    expect(rows.map((r: any) => r.escalation.reference)).toEqual(['CP-9107', 'CP-9106', 'CP-9101', 'CP-9104', 'CP-9102']);
    expect(data.tickets.totalCount).toBe(5);
    expect(rows.find((r: any) => r.escalation.reference === 'CP-9107')).toMatchObject({ status: 'CLOSED', escalation: { status: 'IN_REVIEW', resolvedAt: null } });
    expect(rows.find((r: any) => r.escalation.reference === 'CP-9102').escalation.timeline.map((e: any) => e.status)).toEqual(['SUBMITTED', 'RESOLVED']);
    // and by the ticket's own status too
    const byStatus = rowsOf(ok(await query({ filter: { escalation: 'INCIDENT_HISTORY' }, orderBy: { field: 'STATUS', direction: 'DESC' } })));
    expect(byStatus.map((r) => r.status)).toEqual(['CLOSED', 'ESCALATED', 'ESCALATED', 'ESCALATED', 'ESCALATED']);
  });

  it('HIST-8: the window moves with the clock: an escalation leaves the incident history six months after it was resolved', async () => {
    const saved = t.clock.now;
    try {
      t.clock.now = new Date('2026-10-01T09:59:59.000Z'); // CP-9104 resolved 2026-05-02T15:00Z, CP-9105 a second earlier: both in
      expect(await numbers({ filter: { escalation: 'INCIDENT_HISTORY' } })).toEqual(expect.arrayContaining(named('resolvedAtCutoff', 'resolvedJustBefore')));
      t.clock.now = new Date('2027-04-01T10:00:00.000Z'); // CP-9102 resolved 2026-10-01T10:00Z: exactly six months, still in
      expect((await numbers({ filter: { escalation: 'INCIDENT_HISTORY' } })).sort()).toEqual(named('unresolved', 'resolvedRecently', 'inReview', 'closedEscalated').sort());
      t.clock.now = new Date('2027-04-01T10:00:01.000Z');
      expect(await numbers({ filter: { escalation: 'INCIDENT_HISTORY' } })).not.toContain(n.resolvedRecently);
    } finally {
      t.clock.now = saved;
    }
  });

  it('HIST-8: six calendar months back, the month’s last day when it has fewer days', () => {
    for (const [now, since] of [
      ['2026-11-02T15:00:00.000Z', '2026-05-02T15:00:00.000Z'],
      ['2026-08-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z'],
      ['2028-08-31T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
      ['2026-03-15T08:30:00.000Z', '2025-09-15T08:30:00.000Z'],
    ]) {
      expect(incidentHistorySince(new Date(now)).toISOString(), now).toBe(since);
    }
  });

  it('HIST-8, HIST-3: the organization’s incident history holds colleagues’ incidents, never another brand’s; a standard user sees only their own', async () => {
    const org = await numbers({ scope: 'ORGANIZATION', filter: { escalation: 'INCIDENT_HISTORY' } }, tok['l-admin']);
    expect(org).toContain(n.colleague);
    expect(org).not.toContain(n.otherBrand);
    expect(await numbers({ filter: { escalation: 'INCIDENT_HISTORY' } })).not.toContain(n.colleague);
    expect(await numbers({ scope: 'ORGANIZATION', filter: { escalation: 'ANY' } }, tok['l-stranger'])).toEqual([n.otherBrand]);
  });

  it('FED-1: the incident history is refused to FedRAMP users like the rest of the ticket history', async () => {
    const res = await query({ filter: { escalation: 'INCIDENT_HISTORY' } }, tok['l-fed-user']);
    // the refusal nulls `tickets` alone, with the error on its path (issue 17 point 3)
    expect(res.data).toEqual({ tickets: null });
    expect(res.errors?.[0].path).toEqual(['tickets']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
  });
});
