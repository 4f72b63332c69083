import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

/**
 * Relay object identification: every type that implements Node in the public schema — found by
 * introspection, so a new one fails here until it has cases — round-trips through `node(id)` for a
 * viewer allowed to see it on its ordinary path, and is null (or FORBIDDEN for FedRAMP history,
 * FED-1) for viewers who are not: other brands, other users of the same brand, FedRAMP users.
 */
describe.each(DATABASE_TARGETS)('node(id) for every Node type ($name)', (target) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  /** The global id of one object of each Node type, as its ordinary path hands it out. */
  const idOf: Record<string, string> = {};

  type Refusal = { who: string; id: string; expect: 'null' | 'FEDRAMP_RESTRICTED' };
  /** For each Node type: who reads it through `node(id)` and who must not. */
  let cases: Record<string, { allowed: string[]; refused: Refusal[] }>;

  const node = (id: string, who: string) => t.gql(`query($id: ID!) { node(id: $id) { __typename id } }`, { id }, tok[who]);

  beforeAll(async () => {
    t = await startTestServer(target);
    const f = new Fixtures(t);
    ok(await t.internal(`mutation { upsertBrand(input: { id: "brand-a", name: "Brand A", billingContactEditing: true }) { userErrors { message } } }`));
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    for (const [id, brand, role] of [
      ['a-std', 'brand-a', 'STANDARD'],
      ['a-std2', 'brand-a', 'STANDARD'],
      ['a-billing', 'brand-a', 'STANDARD'],
      ['a-admin', 'brand-a', 'BRAND_ADMIN'],
      ['b-admin', 'brand-b', 'BRAND_ADMIN'],
      ['f-user', 'brand-f', 'STANDARD'],
    ] as const) {
      await f.account(id, brand, { role, accountType: 'ENTERPRISE' });
      tok[id] = await f.tokenFor(id);
    }
    const ticket = (kind: string, submitterId: string, extra: Record<string, unknown> = {}) =>
      f.ticket({ kind, submitterId, createdAt: '2026-10-01T08:00:00.000Z', ...extra }).then((x) => x.id);
    idOf.EmailTicket = await ticket('EMAIL', 'a-std', { messages: [{ authorKind: 'CUSTOMER', bodyHtml: '<p>It fails</p>' }, { authorKind: 'AGENT', bodyHtml: '<p>Looking</p>' }] });
    idOf.PhoneTicket = await ticket('PHONE', 'a-std', { phone: { number: '+390212345678', country: 'IT', confirmationEmail: 'a-std@example.com', recordingConsent: true } });
    idOf.ChatTicket = await ticket('CHAT', 'a-std', { transcript: [{ authorKind: 'CUSTOMER', authorName: 'A', text: 'hi' }, { authorKind: 'AGENT', authorName: 'Agent', text: 'hello' }] });
    idOf.ConferenceTicket = await ticket('CONFERENCE', 'a-std', {
      conference: { scheduledAt: '2026-11-20T16:00:00.000Z', callStatus: 'PENDING', meetingUrl: 'https://meet.example.com/x', passcode: '1234', screenShare: false },
    });
    const escalated = await ticket('EMAIL', 'a-std', {
      status: 'ESCALATED',
      escalation: { reference: 'CP-7100', problemDescription: 'Broken', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-01T09:00:00.000Z' }] },
    });
    idOf.Escalation = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { escalation { id } } }`, { id: escalated }, tok['a-std'])).ticket.escalation.id;
    const fedrampTicket = await ticket('EMAIL', 'f-user');
    // messages and chat lines by their ordinary path: the ticket's thread and a chat ticket's transcript
    const thread = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { messages { id } } }`, { id: idOf.EmailTicket }, tok['a-std'])).ticket.messages;
    idOf.TicketMessage = thread[1].id;
    const chat = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { ... on ChatTicket { transcript { id } } } }`, { id: idOf.ChatTicket }, tok['a-std'])).ticket.transcript;
    idOf.ChatTranscriptEntry = chat[1].id;
    // a FedRAMP user's own message and chat line (ids from the internal API; the public path is FORBIDDEN to them)
    const fedrampChat = await ticket('CHAT', 'f-user', { messages: [{ authorKind: 'AGENT', bodyHtml: '<p>Summary</p>' }], transcript: [{ authorKind: 'CUSTOMER', authorName: 'F', text: 'hi' }] });
    const fedrampSeen = ok(await t.internal(`query($id: ID!) { ticket(id: $id) { messages { id } ... on ChatTicket { transcript { id } } } }`, { id: fedrampChat }, await t.token(await f.agent('agent-fed'), ['hub:agent', 'hub:fedramp']))).ticket;
    const fedrampMessage: string = fedrampSeen.messages[0].id;
    const fedrampLine: string = fedrampSeen.transcript[0].id;

    const contact = (email: string) => ({ firstName: 'C', lastName: 'Contact', email });
    ok(await t.internal(`mutation($input: UpsertContractInput!) { upsertContract(input: $input) { ok } }`, {
      input: { brandId: 'brand-a', number: 'C-1', startDate: '2026-07-01', endDate: '2027-06-30', primaryContact: contact('owner@example.com'), billingContact: contact('a-billing@example.com'), licenses: [] },
    }));
    idOf.Contract = ok(await t.gql(`{ viewer { billing { contracts { id } } } }`, undefined, tok['a-billing'])).viewer.billing.contracts[0].id;
    const inquiry = ok(await t.gql(`mutation { submitBillingInquiry(input: { topic: INVOICE, subject: "Copy", message: "Please resend." }) { inquiry { id } userErrors { code } } }`, undefined, tok['a-billing']));
    idOf.BillingInquiry = inquiry.submitBillingInquiry.inquiry.id;
    const viewer = ok(await t.gql(`{ viewer { id brand { id } } }`, undefined, tok['a-std']));
    idOf.Viewer = viewer.viewer.id;
    idOf.Brand = viewer.viewer.brand.id;
    const fedrampViewer = ok(await t.gql(`{ viewer { id brand { id } } }`, undefined, tok['f-user'])).viewer;

    const otherBrand = (id: string): Refusal => ({ who: 'b-admin', id, expect: 'null' });
    const ticketCase = (id: string, fedrampId = fedrampTicket) => ({
      allowed: ['a-std', 'a-admin'],
      refused: [otherBrand(id), { who: 'a-std2', id, expect: 'null' as const }, { who: 'f-user', id: fedrampId, expect: 'FEDRAMP_RESTRICTED' as const }],
    });
    cases = {
      EmailTicket: ticketCase(idOf.EmailTicket),
      PhoneTicket: ticketCase(idOf.PhoneTicket),
      ChatTicket: ticketCase(idOf.ChatTicket),
      ConferenceTicket: ticketCase(idOf.ConferenceTicket),
      Escalation: ticketCase(idOf.Escalation),
      // as their ticket: its submitter and brand admin; not another brand, not a colleague off the ticket, FORBIDDEN for FedRAMP
      TicketMessage: ticketCase(idOf.TicketMessage, fedrampMessage),
      ChatTranscriptEntry: ticketCase(idOf.ChatTranscriptEntry, fedrampLine),
      // the account itself only: not its brand admin, not another brand, not a FedRAMP user
      Viewer: { allowed: ['a-std'], refused: [{ who: 'a-admin', id: idOf.Viewer, expect: 'null' }, otherBrand(idOf.Viewer), { who: 'f-user', id: idOf.Viewer, expect: 'null' }, { who: 'a-std', id: fedrampViewer.id, expect: 'null' }] },
      Brand: { allowed: ['a-std', 'a-admin'], refused: [otherBrand(idOf.Brand), { who: 'f-user', id: idOf.Brand, expect: 'null' }, { who: 'a-std', id: fedrampViewer.brand.id, expect: 'null' }] },
      // BILL-1: brand admins and the contract's contacts; not a standard user, not another brand
      Contract: { allowed: ['a-billing', 'a-admin'], refused: [{ who: 'a-std', id: idOf.Contract, expect: 'null' }, otherBrand(idOf.Contract), { who: 'f-user', id: idOf.Contract, expect: 'null' }] },
      BillingInquiry: { allowed: ['a-billing'], refused: [{ who: 'a-std', id: idOf.BillingInquiry, expect: 'null' }, { who: 'a-admin', id: idOf.BillingInquiry, expect: 'null' }, otherBrand(idOf.BillingInquiry)] },
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('every type implementing Node (by introspection) has cases here, and every type with an `id: ID!` implements Node', async () => {
    const data = ok(await t.gql(`{ __type(name: "Node") { possibleTypes { name } } __schema { types { name kind interfaces { name } fields { name type { kind ofType { name } } } } } }`, undefined, tok['a-std']));
    const implementations: string[] = data.__type.possibleTypes.map((x: { name: string }) => x.name).sort();
    expect(implementations).toEqual(Object.keys(cases).sort());
    type IntrospectedType = { name: string; kind: string; interfaces: { name: string }[] | null; fields: { name: string; type: { kind: string; ofType: { name: string } | null } }[] | null };
    const withGlobalId = (data.__schema.types as IntrospectedType[])
      .filter((type) => type.kind === 'OBJECT' && !type.name.startsWith('__'))
      .filter((type) => type.fields?.some((f) => f.name === 'id' && f.type.kind === 'NON_NULL' && f.type.ofType?.name === 'ID'));
    for (const type of withGlobalId) expect(type.interfaces?.map((i) => i.name), `${type.name} has id: ID! but is not a Node`).toContain('Node');
  });

  it('each Node type round-trips through node(id) for a viewer who sees it on its ordinary path', async () => {
    for (const [type, { allowed }] of Object.entries(cases)) {
      for (const who of allowed) {
        const res = await node(idOf[type], who);
        expect(res.errors, `${type} for ${who}`).toBeUndefined();
        expect(res.data.node, `${type} for ${who}`).toEqual({ __typename: type, id: idOf[type] });
      }
    }
    // nodes(ids) answers the same, in order
    const many = ok(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [idOf.Viewer, idOf.Brand, idOf.EmailTicket] }, tok['a-std']));
    expect(many.nodes).toEqual([{ __typename: 'Viewer', id: idOf.Viewer }, { __typename: 'Brand', id: idOf.Brand }, { __typename: 'EmailTicket', id: idOf.EmailTicket }]);
  });

  it('the object node(id) answers is the one of the ordinary path (fields and values)', async () => {
    const viaBilling = ok(await t.gql(`{ viewer { username brand { name } billing { contracts { id number startDate endDate } } } }`, undefined, tok['a-billing'])).viewer;
    const viaNode = ok(await t.gql(
      `query($c: ID!, $b: ID!) { contract: node(id: $c) { ... on Contract { id number startDate endDate } } brand: node(id: $b) { ... on Brand { name } } }`,
      { c: idOf.Contract, b: idOf.Brand },
      tok['a-billing'],
    ));
    expect(viaNode.contract).toEqual(viaBilling.billing.contracts[0]);
    expect(viaNode.brand).toEqual(viaBilling.brand);
    const fields = 'id authorKind subject bodyHtml recipients createdAt author { name kind }';
    const viaTicket = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { messages { ${fields} } } }`, { id: idOf.EmailTicket }, tok['a-std'])).ticket.messages;
    const messageViaNode = ok(await t.gql(`query($id: ID!) { node(id: $id) { ... on TicketMessage { ${fields} } } }`, { id: idOf.TicketMessage }, tok['a-std'])).node;
    expect(messageViaNode).toEqual(viaTicket.find((m: { id: string }) => m.id === idOf.TicketMessage));
    const lineFields = 'id authorKind authorName sentAt text author { name kind }';
    const viaTranscript = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { ... on ChatTicket { transcript { ${lineFields} } } } }`, { id: idOf.ChatTicket }, tok['a-admin'])).ticket.transcript;
    const lineViaNode = ok(await t.gql(`query($id: ID!) { node(id: $id) { ... on ChatTranscriptEntry { ${lineFields} } } }`, { id: idOf.ChatTranscriptEntry }, tok['a-admin'])).node;
    expect(lineViaNode).toEqual(viaTranscript.find((l: { id: string }) => l.id === idOf.ChatTranscriptEntry));
    expect(lineViaNode.text).toBe('hello');
    const self = ok(await t.gql(`query($id: ID!) { node(id: $id) { ... on Viewer { username canSeeTicketHistory } } }`, { id: idOf.Viewer }, tok['a-std']));
    expect(self.node).toEqual({ username: 'a-std', canSeeTicketHistory: true });
  });

  it('each Node type is null (FORBIDDEN for FedRAMP ticket history) for viewers who may not see it: no leak across brands, users or FedRAMP', async () => {
    let refusals = 0;
    for (const [type, { refused }] of Object.entries(cases)) {
      for (const refusal of refused) {
        const res: GraphQLResponse = await node(refusal.id, refusal.who);
        const label = `${type} ${refusal.id} for ${refusal.who}: ${JSON.stringify(res)}`;
        expect(res.data?.node ?? null, label).toBeNull();
        if (refusal.expect === 'null') expect(res.errors, label).toBeUndefined();
        else expect(res.errors?.[0]?.extensions, label).toMatchObject({ code: 'FORBIDDEN', reason: refusal.expect });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThanOrEqual(Object.keys(cases).length * 2);
  });
});
