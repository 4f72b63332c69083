import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onQuery } from '../src/db/orm';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const TICKETS = 60;

const ORGANIZATION_TICKETS = `query($first: Int!) {
  tickets(first: $first, scope: ORGANIZATION) {
    edges {
      node {
        id
        subject
        submitter { username }
        participants { username }
        assignee { name }
        escalation { reference timeline { status reachedAt } estimatedResolution { date } }
        messages { subject }
      }
    }
  }
}`;

describe.each(DATABASE_TARGETS)('ticket list statement count ($name)', (target) => {
  let t: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    // the event log's poll reads the log on its own timer (pollMs 0: only when woken, and these reads commit nothing): its statements are not the request's
    t = await startTestServer(target, { eventLog: { pollMs: 0, retentionHours: 24 } });
    const fx = new Fixtures(t);
    await fx.brand('acme');
    await fx.account('ada', 'acme', { role: 'BRAND_ADMIN' });
    await fx.account('sam', 'acme');
    await fx.account('pat', 'acme');
    await fx.agent('agent-1');
    for (let n = 0; n < TICKETS; n++) {
      const escalated = n % 3 === 0;
      await fx.ticket({
        kind: 'EMAIL',
        // vary submitters and participants so loaders see several distinct keys
        submitterId: n % 2 === 0 ? 'sam' : 'pat',
        participantIds: n % 2 === 0 ? ['pat', 'ada'] : ['sam'],
        assigneeId: 'agent-1',
        subject: `Problem ${n}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        messages: [{ authorKind: 'CUSTOMER', bodyHtml: `<p>Message for ticket ${n}</p>` }],
        ...(escalated
          ? {
              status: 'ESCALATED',
              escalation: {
                reference: `CP-${1000 + n}`,
                problemDescription: 'x',
                timeline: [
                  { status: 'SUBMITTED', reachedAt: '2026-01-01T00:00:00Z' },
                  { status: 'IN_REVIEW', reachedAt: '2026-01-02T00:00:00Z' },
                ],
                // half carry an engineering estimate, the others need the historical one (ESC-4)
                ...(n % 2 === 0 ? { estimatedResolutionAt: '2026-12-01T00:00:00Z' } : {}),
              },
            }
          : {}),
      });
    }
    adminToken = await fx.tokenFor('ada');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Runs the organization list as the brand admin, counting the SQL statements of that request only. */
  async function countStatements(first: number): Promise<{ statements: string[]; edges: any[] }> {
    const statements: string[] = [];
    const stop = onQuery((sql) => statements.push(sql));
    try {
      const data = ok(await t.gql(ORGANIZATION_TICKETS, { first }, adminToken));
      return { statements, edges: data.tickets.edges };
    } finally {
      stop();
    }
  }

  it('HIST-3, TKT-1, ESC-2: no N+1 — listing 50 organization tickets costs as many statements as listing 5', async () => {
    const five = await countStatements(5);
    const fifty = await countStatements(50);

    expect(five.edges).toHaveLength(5);
    expect(fifty.edges).toHaveLength(50);

    // the data really was resolved, so the count covers every nested field
    for (const { node } of fifty.edges) {
      expect(node.submitter.username).toMatch(/^(sam|pat)$/);
      expect(node.participants.length).toBeGreaterThanOrEqual(2);
      expect(node.assignee?.name).toBeTruthy();
      expect(node.messages.length).toBeGreaterThanOrEqual(1);
    }
    const escalated = fifty.edges.filter(({ node }) => node.escalation);
    expect(escalated.length).toBeGreaterThan(5);
    for (const { node } of escalated) {
      expect(node.escalation.reference).toMatch(/^CP-\d+$/);
      expect(node.escalation.timeline.map((entry: { status: string }) => entry.status)).toEqual(['SUBMITTED', 'IN_REVIEW']);
    }

    const detail = `5 → ${five.statements.length}, 50 → ${fifty.statements.length}\n${fifty.statements.join('\n')}`;
    expect(five.statements.length, detail).toBeGreaterThan(0);
    expect(fifty.statements.length, detail).toBe(five.statements.length);
    expect(fifty.statements.length, detail).toBeLessThanOrEqual(15);
  });

  it('HIST-8, HIST-4: the incident history (escalation filter, sorted by escalation status, then by last activity) costs as many statements for 20 rows as for 3', async () => {
    const incidents = `query($first: Int!, $field: TicketOrderField!) {
      tickets(first: $first, scope: ORGANIZATION, filter: { escalation: INCIDENT_HISTORY, createdAt: { from: "2026-01-01T00:00:00Z" } }, orderBy: { field: $field }) {
        totalCount edges { cursor node { id status lastActivityAt submitter { username } participants { username }
          escalation { reference status resolvedAt timeline { status reachedAt } estimatedResolution { date } } } } } }`;
    for (const field of ['ESCALATION_STATUS', 'LAST_ACTIVITY_AT', 'STATUS']) {
      const run = async (first: number) => {
        const statements: string[] = [];
        const stop = onQuery((sql) => statements.push(sql));
        try {
          return { statements, data: ok(await t.gql(incidents, { first, field }, adminToken)).tickets };
        } finally {
          stop();
        }
      };
      const [three, twenty] = [await run(3), await run(20)];
      expect(three.data.totalCount).toBe(TICKETS / 3);
      expect(twenty.data.edges).toHaveLength(TICKETS / 3);
      for (const { node } of twenty.data.edges) expect(node.escalation.timeline.length).toBe(2);
      expect(twenty.statements.length, `${field}: ${twenty.statements.join('\n')}`).toBe(three.statements.length);
    }
  });

  it('HIST-3, TKT-1: relations picked through fragments answer exactly what one ticket at a time answers, in a constant number of statements', async () => {
    const viaFragments = `query($first: Int!) {
      tickets(first: $first, scope: ORGANIZATION) { edges { ...Edge } }
    }
    fragment Edge on TicketEdge { node { id ... on EmailTicket { ...Who } } }
    fragment Who on Ticket { submitter { username role } participants { username role } assignee { name } escalation { reference } }`;
    const run = async (first: number) => {
      const statements: string[] = [];
      const stop = onQuery((sql) => statements.push(sql));
      try {
        return { statements, edges: ok(await t.gql(viaFragments, { first }, adminToken)).tickets.edges as any[] };
      } finally {
        stop();
      }
    };
    const [five, fifty] = [await run(5), await run(50)];
    expect(fifty.statements.length, fifty.statements.join('\n')).toBe(five.statements.length);
    const one = `query($id: ID!) { ticket(id: $id) { ... on Ticket { submitter { username role } participants { username role } assignee { name } escalation { reference } } } }`;
    for (const { node } of fifty.edges.filter((_, i) => i % 7 === 0)) {
      const { id, ...listed } = node;
      expect(listed.participants.length).toBeGreaterThanOrEqual(2);
      expect(listed).toEqual(ok(await t.gql(one, { id }, adminToken)).ticket);
    }
  });
});
