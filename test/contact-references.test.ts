import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket, TicketReference } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const CREATE = `mutation($input: CreateEmailTicketInput!) {
  createEmailTicket(input: $input) {
    ticket { id references { ticketNumber escalationReference } }
    userErrors { field code message }
  }
}`;

/** FedRAMP customers only get the receipt fields of their new ticket back (FED-1). */
const CREATE_RECEIPT = `mutation($input: CreateEmailTicketInput!) {
  createEmailTicket(input: $input) {
    ticket { id number }
    userErrors { field code message }
  }
}`;

describe.each(DATABASE_TARGETS)('referencing earlier tickets when contacting support ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  let own: { id: string; number: number };
  let escalated: { id: string; number: number };
  let colleagues: { id: string; number: number };
  let otherBrand: { id: string; number: number };
  let escalationId: string;

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('ref-a');
    await f.brand('ref-b');
    await f.brand('ref-f', { fedramp: true });
    for (const [id, brand] of [['ra-1', 'ref-a'], ['ra-2', 'ref-a'], ['rb-1', 'ref-b'], ['rf-1', 'ref-f']] as const) {
      await f.account(id, brand);
      tok[id] = await f.tokenFor(id);
    }
    own = await f.ticket({ submitterId: 'ra-1', subject: 'Earlier problem', createdAt: '2026-10-01T08:00:00Z' });
    escalated = await f.ticket({
      submitterId: 'ra-1',
      subject: 'Escalated problem',
      status: 'ESCALATED',
      createdAt: '2026-10-02T08:00:00Z',
      escalation: { reference: 'CP-7001', problemDescription: 'x', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-02T09:00:00Z' }] },
    });
    colleagues = await f.ticket({ submitterId: 'ra-2', subject: 'Not yours', createdAt: '2026-10-03T08:00:00Z' });
    otherBrand = await f.ticket({ submitterId: 'rb-1', subject: 'Other brand', createdAt: '2026-10-03T08:00:00Z' });
    const detail = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { escalation { id } } }`, { id: escalated.id }, tok['ra-1']));
    escalationId = detail.ticket.escalation.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const counts = async () => {
    const em = t.orm.em.fork();
    return { tickets: await em.count(Ticket, {}), references: await em.count(TicketReference, {}) };
  };

  it('FUP-5: a new request references an earlier ticket and an escalation by id, and shows them', async () => {
    const res = ok(
      await t.gql(CREATE, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Again', description: 'See my earlier tickets', references: [own.id, escalationId] } }, tok['ra-1']),
    ).createEmailTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.ticket.references).toEqual([
      { ticketNumber: own.number, escalationReference: null },
      { ticketNumber: null, escalationReference: 'CP-7001' },
    ]);
  });

  it.each([
    ["a colleague's ticket the user cannot read", () => colleagues.id],
    ["another brand's ticket", () => otherBrand.id],
    ['something that is not an id', () => 'not-an-id'],
  ])('FUP-5: refuses to reference %s with a userError and stores nothing', async (_label, id) => {
    const before = await counts();
    const res = ok(await t.gql(CREATE, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Again', description: 'x', references: [own.id, id()] } }, tok['ra-1'])).createEmailTicket;
    expect(res.ticket).toBeNull();
    expect(res.userErrors).toEqual([{ field: ['input', 'references', '1'], code: 'NOT_FOUND', message: expect.stringContaining('not a ticket or escalation you can see') }]);
    expect(await counts()).toEqual(before);
  });

  it('FUP-5: at most 10 references per request', async () => {
    const before = await counts();
    const res = ok(await t.gql(CREATE, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Again', description: 'x', references: Array(11).fill(own.id) } }, tok['ra-1'])).createEmailTicket;
    expect(res.ticket).toBeNull();
    expect(res.userErrors).toEqual([{ field: ['input', 'references'], code: 'LIMIT_EXCEEDED', message: expect.stringContaining('references') }]);
    expect(await counts()).toEqual(before);
  });

  it('FED-1: a FedRAMP user can contact support but has no history to reference', async () => {
    const plain = ok(await t.gql(CREATE_RECEIPT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help', description: 'x' } }, tok['rf-1'])).createEmailTicket;
    expect(plain.userErrors).toEqual([]);
    expect(plain.ticket.number).toEqual(expect.any(Number));
    const before = await counts();
    const refused = ok(await t.gql(CREATE_RECEIPT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help', description: 'x', references: [own.id] } }, tok['rf-1'])).createEmailTicket;
    expect(refused.userErrors[0]).toMatchObject({ field: ['input', 'references'], code: 'INVALID' });
    expect(await counts()).toEqual(before);
  });
});
