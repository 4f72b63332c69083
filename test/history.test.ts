import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const LIST_FIELDS = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id number subject status type createdAt lastActivityAt participants { username role } } }`;

describe.each(DATABASE_TARGETS)('support history through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  const ids: Record<string, { id: string; number: number }> = {};

  const list = async (token: string, args = 'first: 100') => t.gql(`{ tickets(${args}) { ${LIST_FIELDS} } }`, undefined, token);
  const numbersOf = (data: any): number[] => data.tickets.edges.map((e: any) => e.node.number);

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std1', 'brand-a');
    await f.account('a-std2', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.account('f-user', 'brand-f');
    await f.agent('agent-x');
    for (const id of ['a-std1', 'a-std2', 'a-admin', 'b-admin', 'f-user']) tok[id] = await f.tokenFor(id);

    ids.email = await f.ticket({
      submitterId: 'a-std1',
      participantIds: ['a-std2'],
      subject: 'Survey link returns 404',
      assigneeId: 'agent-x',
      createdAt: '2026-10-01T08:00:00.000Z',
      messages: [
        { authorKind: 'CUSTOMER', bodyHtml: '<p>The link is broken</p>', createdAt: '2026-10-01T08:00:00.000Z' },
        { authorKind: 'AGENT', bodyHtml: '<p>Please republish</p>', createdAt: '2026-10-02T08:00:00.000Z' },
      ],
      sharedResources: [{ title: 'Publishing surveys', url: 'https://help.example.com/publish' }],
    });
    ids.phone = await f.ticket({
      kind: 'PHONE',
      submitterId: 'a-std1',
      subject: null,
      status: 'CLOSED',
      createdAt: '2026-10-03T08:00:00.000Z',
      phone: { number: '+390212345678', country: 'IT', confirmationEmail: 'a-std1@example.com', recordingConsent: true },
      messages: [{ authorKind: 'AGENT', bodyHtml: 'Summary of our call' }],
    });
    ids.chat = await f.ticket({
      kind: 'CHAT',
      submitterId: 'a-std2',
      subject: 'Dashboard filter',
      createdAt: '2026-10-04T08:00:00.000Z',
      transcript: [
        { authorKind: 'CUSTOMER', authorName: 'A Two', text: 'first line', sentAt: '2026-10-04T08:00:00.000Z' },
        { authorKind: 'AGENT', authorName: 'Agent', text: 'second line', sentAt: '2026-10-04T08:01:00.000Z' },
      ],
    });
    ids.conference = await f.ticket({
      kind: 'CONFERENCE',
      submitterId: 'a-std1',
      subject: 'ignored for conference calls',
      createdAt: '2026-10-05T08:00:00.000Z',
      conference: { scheduledAt: '2026-11-20T16:00:00.000Z', callStatus: 'ACCEPTED', meetingUrl: 'https://meet.example.com/abc', passcode: '834211', screenShare: true },
    });
    ids.escalated = await f.ticket({
      submitterId: 'a-std1',
      subject: 'Distribution sent twice',
      productArea: 'CX_DASHBOARDS',
      status: 'ESCALATED',
      createdAt: '2026-10-06T08:00:00.000Z',
      escalation: {
        reference: 'CP-5001',
        problemDescription: 'Scheduler fires twice',
        timeline: [
          { status: 'SUBMITTED', reachedAt: '2026-10-06T09:00:00.000Z' },
          { status: 'IN_REVIEW', reachedAt: '2026-10-07T09:00:00.000Z' },
          { status: 'ENGINEERING_IN_PROGRESS', reachedAt: '2026-10-08T09:00:00.000Z' },
        ],
      },
    });
    // history for ESC-4: one resolved CX_DASHBOARDS escalation that took 40 days
    ids.resolved = await f.ticket({
      submitterId: 'a-std2',
      subject: 'Old dashboard bug',
      productArea: 'CX_DASHBOARDS',
      status: 'ESCALATED',
      createdAt: '2026-05-01T08:00:00.000Z',
      escalation: {
        reference: 'CP-4000',
        problemDescription: 'old',
        timeline: [
          { status: 'SUBMITTED', reachedAt: '2026-05-01T08:00:00.000Z' },
          { status: 'RESOLVED', reachedAt: '2026-06-10T08:00:00.000Z' },
        ],
      },
    });
    ids.engineeringEstimate = await f.ticket({
      submitterId: 'a-std1',
      subject: 'Export times out',
      status: 'ESCALATED',
      createdAt: '2026-10-07T08:00:00.000Z',
      escalation: {
        reference: 'CP-5002',
        problemDescription: 'Export timeout',
        timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-07T09:00:00.000Z' }],
        estimatedResolutionAt: '2026-12-01T00:00:00.000Z',
      },
    });
    ids.italian = await f.ticket({
      submitterId: 'a-std1',
      subject: 'Sondaggio non visibile',
      description: 'Il sondaggio non è visibile ai partecipanti dopo la pubblicazione.',
      descriptionLanguage: 'it',
      createdAt: '2026-10-08T08:00:00.000Z',
    });
    ids.beforeCutoff = await f.ticket({ submitterId: 'a-std1', subject: 'Ancient ticket', createdAt: '2019-07-14T23:59:59.000Z' });
    ids.atCutoff = await f.ticket({ submitterId: 'a-std1', subject: 'First viewable day', createdAt: '2019-07-15T00:00:00.000Z' });
    ids.otherBrand = await f.ticket({ submitterId: 'b-admin', subject: 'Brand B problem', createdAt: '2026-10-09T08:00:00.000Z' });
    ids.fedramp = await f.ticket({ submitterId: 'f-user', subject: 'FedRAMP problem', createdAt: '2026-10-09T08:00:00.000Z' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('HIST-1: the list holds every ticket the user submitted or is associated with, open and closed', async () => {
    const mine = numbersOf(ok(await list(tok['a-std1'])));
    expect(new Set(mine)).toEqual(
      new Set([ids.email, ids.phone, ids.conference, ids.escalated, ids.engineeringEstimate, ids.italian, ids.atCutoff].map((x) => x.number)),
    );
    const second = numbersOf(ok(await list(tok['a-std2'])));
    expect(second).toContain(ids.email.number); // associated, not submitter
    expect(second).toContain(ids.chat.number);
    expect(second).not.toContain(ids.phone.number);
  });

  it('HIST-2: each row exposes id, subject, created and last-activity dates (UTC), type and status', async () => {
    const data = ok(await list(tok['a-std1']));
    const phone = data.tickets.edges.find((e: any) => e.node.number === ids.phone.number).node;
    expect(phone).toMatchObject({ id: ids.phone.id, type: 'PHONE', status: 'CLOSED', createdAt: '2026-10-03T08:00:00.000Z' });
    const email = data.tickets.edges.find((e: any) => e.node.number === ids.email.number).node;
    expect(email.lastActivityAt).toBe('2026-10-02T08:00:00.000Z');
    for (const edge of data.tickets.edges) {
      expect(edge.node.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(['OPEN', 'CLOSED', 'ESCALATED']).toContain(edge.node.status);
      expect(['EMAIL', 'PHONE', 'CHAT', 'CONFERENCE']).toContain(edge.node.type);
    }
  });

  it("HIST-3: a brand admin lists the organization's tickets with their usernames; standard users are refused", async () => {
    const org = ok(await list(tok['a-admin'], 'first: 100, scope: ORGANIZATION'));
    const numbers = numbersOf(org);
    expect(numbers).toContain(ids.chat.number);
    expect(numbers).toContain(ids.email.number);
    expect(numbers).not.toContain(ids.otherBrand.number);
    expect(numbers).not.toContain(ids.fedramp.number);
    const email = org.tickets.edges.find((e: any) => e.node.number === ids.email.number).node;
    expect(email.participants.map((p: any) => p.username)).toEqual(['a-std1', 'a-std2']);

    const refused = await list(tok['a-std1'], 'first: 10, scope: ORGANIZATION');
    // tickets is nullable: the refusal nulls it alone, with the error on its path
    expect(refused.data).toEqual({ tickets: null });
    expect(refused.errors?.[0].path).toEqual(['tickets']);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BRAND_ADMIN' });
  });

  it('HIST-3: a brand admin never sees another brand’s tickets, by list, ticket(id) or node(id)', async () => {
    const org = numbersOf(ok(await list(tok['b-admin'], 'first: 100, scope: ORGANIZATION')));
    expect(org).toEqual([ids.otherBrand.number]);
    const single = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { id } node(id: $id) { id } }`, { id: ids.email.id }, tok['b-admin']));
    expect(single).toEqual({ ticket: null, node: null });
  });

  it("HIST-4: sorts by created date both ways, filters by status and type, and pages with cursors", async () => {
    const desc = numbersOf(ok(await list(tok['a-std1'], 'first: 100, orderBy: { field: CREATED_AT, direction: DESC }')));
    const asc = numbersOf(ok(await list(tok['a-std1'], 'first: 100, orderBy: { field: CREATED_AT, direction: ASC }')));
    expect(asc).toEqual([...desc].reverse());
    expect(asc[0]).toBe(ids.atCutoff.number);

    const closed = numbersOf(ok(await list(tok['a-std1'], 'first: 100, filter: { status: [CLOSED] }')));
    expect(closed).toEqual([ids.phone.number]);
    const conference = numbersOf(ok(await list(tok['a-std1'], 'first: 100, filter: { type: [CONFERENCE] }')));
    expect(conference).toEqual([ids.conference.number]);

    const pages: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: any = ok(await t.gql(`query($after: String) { tickets(first: 3, after: $after) { ${LIST_FIELDS} } }`, { after }, tok['a-std1']));
      pages.push(...numbersOf(page));
      expect(page.tickets.totalCount).toBe(desc.length);
      if (!page.tickets.pageInfo.hasNextPage) break;
      after = page.tickets.pageInfo.endCursor;
    }
    expect(pages).toEqual(desc);

    const lastTwo = ok(await list(tok['a-std1'], 'last: 2'));
    expect(numbersOf(lastTwo)).toEqual(desc.slice(-2));
    const before = ok(await t.gql(`query($b: String) { tickets(last: 2, before: $b) { ${LIST_FIELDS} } }`, { b: lastTwo.tickets.pageInfo.startCursor }, tok['a-std1']));
    expect(numbersOf(before)).toEqual(desc.slice(-4, -2));
  });

  it('HIST-4: searches by ticket number, escalation id and subject words', async () => {
    const byNumber = numbersOf(ok(await list(tok['a-std1'], `first: 10, filter: { search: "${ids.phone.number}" }`)));
    expect(byNumber).toContain(ids.phone.number);
    const byEscalation = numbersOf(ok(await list(tok['a-std1'], 'first: 10, filter: { search: "cp-5001" }')));
    expect(byEscalation).toEqual([ids.escalated.number]);
    const bySubject = numbersOf(ok(await list(tok['a-std1'], 'first: 10, filter: { search: "SENT TWICE" }')));
    expect(bySubject).toEqual([ids.escalated.number]);
  });

  it('HIST-4: page sizes above 100 and malformed cursors are refused with BAD_USER_INPUT', async () => {
    const tooMany = await list(tok['a-std1'], 'first: 101');
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badCursor = await list(tok['a-std1'], 'first: 5, after: "not-a-cursor"');
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('HIST-5: tickets filed before 2019-07-15 are not viewable; from that day they are', async () => {
    const mine = numbersOf(ok(await list(tok['a-std1'])));
    expect(mine).not.toContain(ids.beforeCutoff.number);
    expect(mine).toContain(ids.atCutoff.number);
    const old = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { id } }`, { id: ids.beforeCutoff.id }, tok['a-std1']));
    expect(old.ticket).toBeNull();
  });

  it('HIST-6: descriptions stay in the language they were submitted in', async () => {
    const data = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { description descriptionLanguage } }`, { id: ids.italian.id }, tok['a-std1']));
    expect(data.ticket).toEqual({ description: 'Il sondaggio non è visibile ai partecipanti dopo la pubblicazione.', descriptionLanguage: 'it' });
  });

  it('HIST-7: default subjects for conference and phone tickets', async () => {
    const data = ok(await t.gql(`query($a: ID!, $b: ID!) { a: ticket(id: $a) { subject } b: ticket(id: $b) { subject } }`, { a: ids.conference.id, b: ids.phone.id }, tok['a-std1']));
    expect(data.a.subject).toBe('Conference call – a-std1');
    expect(data.b.subject).toBe('Phone call – a-std1');
  });

  it('TKT-1: the detail shows status, dates, representative, submitter, associated users, escalation and shared resources', async () => {
    const data = ok(
      await t.gql(
        `query($id: ID!) { ticket(id: $id) { status createdAt lastActivityAt assignee { name } submitter { username role }
           participants { username role } escalation { reference } sharedResources { title url } } }`,
        { id: ids.email.id },
        tok['a-std1'],
      ),
    );
    expect(data.ticket).toEqual({
      status: 'OPEN',
      createdAt: '2026-10-01T08:00:00.000Z',
      lastActivityAt: '2026-10-02T08:00:00.000Z',
      assignee: { name: 'Agent agent-x' },
      submitter: { username: 'a-std1', role: 'SUBMITTER' },
      participants: [
        { username: 'a-std1', role: 'SUBMITTER' },
        { username: 'a-std2', role: 'ASSOCIATED' },
      ],
      escalation: null,
      sharedResources: [{ title: 'Publishing surveys', url: 'https://help.example.com/publish' }],
    });
  });

  it('TKT-2: e-mail tickets show every e-mail of the thread, in order', async () => {
    const data = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { __typename messages { authorKind subject bodyHtml createdAt } } }`, { id: ids.email.id }, tok['a-std1']));
    expect(data.ticket.__typename).toBe('EmailTicket');
    expect(data.ticket.messages).toEqual([
      { authorKind: 'CUSTOMER', subject: 'Survey link returns 404', bodyHtml: '<p>The link is broken</p>', createdAt: '2026-10-01T08:00:00.000Z' },
      { authorKind: 'AGENT', subject: 'Survey link returns 404', bodyHtml: '<p>Please republish</p>', createdAt: '2026-10-02T08:00:00.000Z' },
    ]);
  });

  it('TKT-3: phone tickets have no transcript: basic information plus related e-mails', async () => {
    const data = ok(
      await t.gql(`query($id: ID!) { ticket(id: $id) { __typename ... on PhoneTicket { phoneCall { number country } } messages { bodyHtml } } }`, { id: ids.phone.id }, tok['a-std1']),
    );
    expect(data.ticket).toEqual({ __typename: 'PhoneTicket', phoneCall: { number: '+390212345678', country: 'IT' }, messages: [{ bodyHtml: 'Summary of our call' }] });
    const fields = ok(await t.gql(`{ __type(name: "PhoneTicket") { fields { name } } }`, undefined, tok['a-std1']));
    expect(fields.__type.fields.map((x: any) => x.name)).not.toContain('transcript');
  });

  it('TKT-4: conference tickets show the scheduled time, call status, meeting link and passcode', async () => {
    const data = ok(
      await t.gql(`query($id: ID!) { ticket(id: $id) { ... on ConferenceTicket { conferenceCall { scheduledAt callStatus meetingUrl passcode } } } }`, { id: ids.conference.id }, tok['a-std1']),
    );
    expect(data.ticket.conferenceCall).toEqual({ scheduledAt: '2026-11-20T16:00:00.000Z', callStatus: 'ACCEPTED', meetingUrl: 'https://meet.example.com/abc', passcode: '834211' });
  });

  it('TKT-5: chat tickets show the transcript and related e-mails', async () => {
    const data = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { ... on ChatTicket { transcript { authorKind text } } messages { subject } } }`, { id: ids.chat.id }, tok['a-std2']));
    expect(data.ticket).toEqual({ transcript: [{ authorKind: 'CUSTOMER', text: 'first line' }, { authorKind: 'AGENT', text: 'second line' }], messages: [] });
  });

  it('ESC-1: an escalated ticket has status ESCALATED in lists and detail', async () => {
    const escalated = ok(await list(tok['a-std1'], 'first: 100, filter: { status: [ESCALATED] }'));
    expect(numbersOf(escalated).sort()).toEqual([ids.escalated.number, ids.engineeringEstimate.number].sort());
    const detail = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { status } }`, { id: ids.escalated.id }, tok['a-std1']));
    expect(detail.ticket.status).toBe('ESCALATED');
  });

  it('ESC-2: an escalation shows its problem, its own CP- id and a dated timeline; node(id) fetches it', async () => {
    const data = ok(
      await t.gql(`query($id: ID!) { ticket(id: $id) { escalation { id reference problemDescription timeline { status reachedAt } } } }`, { id: ids.escalated.id }, tok['a-std1']),
    );
    const escalation = data.ticket.escalation;
    expect(escalation.reference).toBe('CP-5001');
    expect(escalation.problemDescription).toBe('Scheduler fires twice');
    expect(escalation.timeline[0]).toEqual({ status: 'SUBMITTED', reachedAt: '2026-10-06T09:00:00.000Z' });
    const node = ok(await t.gql(`query($id: ID!) { node(id: $id) { __typename ... on Escalation { reference } } }`, { id: escalation.id }, tok['a-std1']));
    expect(node.node).toEqual({ __typename: 'Escalation', reference: 'CP-5001' });
    const stranger = ok(await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: escalation.id }, tok['b-admin']));
    expect(stranger.node).toBeNull();
  });

  it('ESC-3: timelines follow SUBMITTED → IN_REVIEW → ENGINEERING_IN_PROGRESS → VERIFYING_RESOLUTION → RESOLVED; out of order is refused and stores nothing', async () => {
    const data = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { escalation { status timeline { status } } } }`, { id: ids.escalated.id }, tok['a-std1']));
    expect(data.ticket.escalation.timeline.map((e: any) => e.status)).toEqual(['SUBMITTED', 'IN_REVIEW', 'ENGINEERING_IN_PROGRESS']);
    expect(data.ticket.escalation.status).toBe('ENGINEERING_IN_PROGRESS');

    const before = await t.orm.em.fork().count(Ticket, {});
    const agent = await t.token('agent-x', ['hub:agent']);
    const refused = ok(
      await t.internal(
        `mutation($input: RecordTicketInput!) { recordTicket(input: $input) { ticket { id } userErrors { field code } } }`,
        {
          input: {
            kind: 'EMAIL', submitterId: 'a-std1', subject: 'x', productArea: 'SURVEY_PLATFORM', status: 'ESCALATED',
            escalation: { reference: 'CP-9999', problemDescription: 'x', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-01T00:00:00Z' }, { status: 'RESOLVED', reachedAt: '2026-10-02T00:00:00Z' }, { status: 'IN_REVIEW', reachedAt: '2026-10-03T00:00:00Z' }] },
          },
        },
        agent,
      ),
    );
    expect(refused.recordTicket).toEqual({ ticket: null, userErrors: [{ field: ['input', 'escalation'], code: 'INVALID' }] });
    expect(await t.orm.em.fork().count(Ticket, {})).toBe(before);
  });

  it('ESC-4: an estimated resolution is shown as an estimate: engineering’s date, else one from similar escalations; none once resolved', async () => {
    const q = `query($id: ID!) { ticket(id: $id) { escalation { estimatedResolution { date source isEstimate basedOnCount disclaimer } } } }`;
    const engineering = ok(await t.gql(q, { id: ids.engineeringEstimate.id }, tok['a-std1'])).ticket.escalation.estimatedResolution;
    expect(engineering).toMatchObject({ date: '2026-12-01T00:00:00.000Z', source: 'ENGINEERING', isEstimate: true });
    expect(engineering.disclaimer).toMatch(/not guaranteed/i);

    // CP-5001 submitted 2026-10-06T09:00Z; the one resolved CX_DASHBOARDS escalation took 40 days
    const historical = ok(await t.gql(q, { id: ids.escalated.id }, tok['a-std1'])).ticket.escalation.estimatedResolution;
    expect(historical).toMatchObject({ date: '2026-11-15T09:00:00.000Z', source: 'HISTORICAL_ESTIMATE', isEstimate: true, basedOnCount: 1 });
    expect(historical.disclaimer).toMatch(/estimate/i);

    const resolved = ok(await t.gql(q, { id: ids.resolved.id }, tok['a-std2'])).ticket.escalation.estimatedResolution;
    expect(resolved).toBeNull();
  });

  it('ESC-4: an estimate history says is already due is overdue, with the same date on every read (not "now")', async () => {
    const q = `query($id: ID!) { ticket(id: $id) { escalation { estimatedResolution { date overdue source disclaimer } } } }`;
    const saved = t.clock.now;
    try {
      // CP-5001's historical estimate is 2026-11-15T09:00Z; read it after that, twice, a day apart
      t.clock.now = new Date('2026-11-20T10:00:00.000Z');
      const first = ok(await t.gql(q, { id: ids.escalated.id }, tok['a-std1'])).ticket.escalation.estimatedResolution;
      t.clock.now = new Date('2026-11-21T10:00:00.000Z');
      const second = ok(await t.gql(q, { id: ids.escalated.id }, tok['a-std1'])).ticket.escalation.estimatedResolution;
      expect(first).toMatchObject({ date: '2026-11-15T09:00:00.000Z', overdue: true, source: 'HISTORICAL_ESTIMATE' });
      expect(second).toEqual(first);
      expect(first.disclaimer).toMatch(/longer/i);
      // before the date it is not overdue
      t.clock.now = new Date('2026-11-10T10:00:00.000Z');
      const before = ok(await t.gql(q, { id: ids.escalated.id }, tok['a-std1'])).ticket.escalation.estimatedResolution;
      expect(before).toMatchObject({ date: '2026-11-15T09:00:00.000Z', overdue: false });
    } finally {
      t.clock.now = saved;
    }
  });

  it('FED-1: FedRAMP users get FORBIDDEN/FEDRAMP_RESTRICTED on list, detail and node — never data, never a silent empty list', async () => {
    for (const [query, variables] of [
      ['{ tickets(first: 10) { totalCount } }', undefined],
      ['{ tickets(first: 10, scope: ORGANIZATION) { totalCount } }', undefined],
      ['query($id: ID!) { ticket(id: $id) { id } }', { id: ids.fedramp.id }],
      ['query($id: ID!) { node(id: $id) { id } }', { id: ids.fedramp.id }],
    ] as const) {
      const res = await t.gql(query, variables as Record<string, unknown> | undefined, tok['f-user']);
      // the field is null (or the whole response, for non-null fields): nothing of anyone's history
      expect(res.data === null || Object.values(res.data).every((value) => value === null)).toBe(true);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    }
    // they are still customers: the profile answers
    const viewer = ok(await t.gql('{ viewer { username isFedramp } }', undefined, tok['f-user']));
    expect(viewer.viewer).toEqual({ username: 'f-user', isFedramp: true });
  });

  it("a standard user never sees another user's ticket by list, ticket(id) or node(id)", async () => {
    const mine = numbersOf(ok(await list(tok['a-std1'])));
    expect(mine).not.toContain(ids.chat.number);
    const single = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { id } node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id: ids.chat.id }, tok['a-std1']));
    expect(single).toEqual({ ticket: null, node: null, nodes: [null] });
    // the brand admin of the same brand does see it (HIST-3)
    const admin = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { number } }`, { id: ids.chat.id }, tok['a-admin']));
    expect(admin.ticket.number).toBe(ids.chat.number);
  });

  it('malformed ids are BAD_USER_INPUT, unknown ids are null', async () => {
    const bad = await t.gql(`{ ticket(id: "nope") { id } }`, undefined, tok['a-std1']);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { id } }`, { id: Buffer.from('Ticket:999999').toString('base64url') }, tok['a-std1']));
    expect(unknown.ticket).toBeNull();
  });
});
