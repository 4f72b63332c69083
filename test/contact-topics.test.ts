import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

/**
 * Issue 17 point 4: the contact page as data — product areas and topics as objects with routing
 * (CON-2, CON-3), the topic picked stored on the ticket and returned with it, and the login help
 * CON-1 allows without signing in.
 */

const PAYLOAD = 'ticket { id number topic { topic label } } userErrors { field code reason message }';
const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ${PAYLOAD} } }`;
const CHAT = `mutation($input: StartChatInput!) { startChat(input: $input) { ${PAYLOAD} } }`;
const PHONE = `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ${PAYLOAD} } }`;
const AREAS = `{ productAreas { code name routedToSeparateTeam topics { topic label description } routing { team separateTeam message url } } }`;
const LOGIN_HELP = `{ loginHelp { summary topics { code title description } } }`;

describe.each(DATABASE_TARGETS)('contact topics, product areas and login help through the real server ($name)', (target) => {
  let t: TestServer;
  const tok: Record<string, string> = {};

  /** POST with an Accept-Language header. */
  async function gqlIn(acceptLanguage: string, query: string, token?: string): Promise<GraphQLResponse & { extensions?: Record<string, unknown> }> {
    const res = await fetch(t.publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, ...((await res.json()) as object) } as GraphQLResponse & { extensions?: Record<string, unknown> };
  }
  const ticketCount = () => t.orm.em.fork().count(Ticket, {});

  beforeAll(async () => {
    t = await startTestServer(target, { support: { enterpriseMailbox: 'ent@vendor.example', callbackDefaultHandleMinutes: 12, xmDiscoverSupportUrl: 'https://discover.vendor.example/help' } });
    const f = new Fixtures(t);
    await f.brand('tp-brand');
    await f.account('tp-std', 'tp-brand');
    await f.account('tp-admin', 'tp-brand', { role: 'BRAND_ADMIN' });
    await f.agent('tp-agent');
    for (const id of ['tp-std', 'tp-admin']) tok[id] = await f.tokenFor(id);
    // Monday 08:00 in Denver: chat is open (CON-5)
    t.clock.now = new Date('2026-11-02T15:00:00.000Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('CON-2, CON-3: product areas are objects with their topics for the viewer and their routing; XM Discover sends the user to its own team', async () => {
    const std = ok(await t.gql(AREAS, undefined, tok['tp-std'])).productAreas;
    const admin = ok(await t.gql(AREAS, undefined, tok['tp-admin'])).productAreas;
    expect(std).toHaveLength(13);
    const area = (list: any[], code: string) => list.find((a) => a.code === code);
    expect(area(std, 'SURVEY_PLATFORM').topics.map((x: any) => x.topic)).toEqual(['TECHNICAL_ISSUE', 'HOW_TO_QUESTION', 'LOGIN_AND_ACCOUNT_ACCESS', 'OTHER_REQUEST']);
    expect(area(admin, 'SURVEY_PLATFORM').topics.map((x: any) => x.topic)).toContain('THEME_REQUEST');
    expect(area(admin, 'CX_DASHBOARDS').topics.map((x: any) => x.topic)).not.toContain('THEME_REQUEST');
    expect(area(std, 'SURVEY_PLATFORM').topics[0]).toEqual({ topic: 'TECHNICAL_ISSUE', label: 'Technical issue', description: 'Something in the platform does not work as expected.' });
    expect(area(std, 'SURVEY_PLATFORM').routing).toEqual({ team: 'GENERAL_SUPPORT', separateTeam: false, message: null, url: null });
    const discover = area(std, 'XM_DISCOVER_SOCIAL_CONNECT');
    expect(discover).toMatchObject({ routedToSeparateTeam: true, topics: [], routing: { team: 'XM_DISCOVER_SUPPORT', separateTeam: true, url: 'https://discover.vendor.example/help' } });
    expect(discover.routing.message).toMatch(/separate support team/);
    // the same objects in supportOptions, for the area asked about
    const options = ok(await t.gql(`{ supportOptions(productArea: EMPLOYEE_360, language: ENGLISH) { topics productAreaInfo { topics { topic } routing { team } } } }`, undefined, tok['tp-admin'])).supportOptions;
    expect(options.productAreaInfo.topics.map((x: any) => x.topic)).toEqual(options.topics);
    expect(options.topics).toContain('THEME_REQUEST');
  });

  it('CON-2, LANG-1: topic labels, descriptions and the routing message come in the answer language', async () => {
    const de = await gqlIn('de-DE', AREAS, tok['tp-std']);
    const discover = de.data!.productAreas.find((a: any) => a.code === 'XM_DISCOVER_SOCIAL_CONNECT');
    expect(discover.routing.message).toMatch(/eigenes Support-Team/);
    expect(de.data!.productAreas[0].topics[0]).toMatchObject({ topic: 'TECHNICAL_ISSUE', label: 'Technisches Problem' });
    expect(de.extensions?.language).toBe('de');
  });

  it('CON-2: the topic picked on the contact page is stored on the ticket and returned with it, for e-mail, chat and phone', async () => {
    const email = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Quota', description: 'Quota hit', topic: 'HOW_TO_QUESTION' } }, tok['tp-std'])).createEmailTicket;
    expect(email.userErrors).toEqual([]);
    expect(email.ticket.topic).toEqual({ topic: 'HOW_TO_QUESTION', label: 'How-to question' });
    const chat = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Logic', topic: 'TECHNICAL_ISSUE' } }, tok['tp-std'])).startChat;
    expect(chat).toMatchObject({ userErrors: [], ticket: { topic: { topic: 'TECHNICAL_ISSUE' } } });
    const phone = ok(await t.gql(PHONE, { input: { productArea: 'EMPLOYEE_360', phone: { country: 'IT', number: '02 1234 5678' }, topic: 'THEME_REQUEST' } }, tok['tp-admin'])).requestPhoneCallback;
    expect(phone).toMatchObject({ userErrors: [], ticket: { topic: { topic: 'THEME_REQUEST' } } });
    // stored: read back through the list and the entity
    const listed = ok(await t.gql(`{ tickets(first: 10) { edges { node { number topic { topic label } } } } }`, undefined, tok['tp-std'])).tickets.edges.map((e: any) => e.node);
    expect(listed).toContainEqual({ number: email.ticket.number, topic: { topic: 'HOW_TO_QUESTION', label: 'How-to question' } });
    expect((await t.orm.em.fork().findOneOrFail(Ticket, { id: phone.ticket.number })).topic).toBe('THEME_REQUEST');
    // in the answer language, the stored code stays the same
    const it = await gqlIn('it', `{ tickets(first: 10) { edges { node { number topic { topic label } } } } }`, tok['tp-std']);
    expect(it.data!.tickets.edges.find((e: any) => e.node.number === email.ticket.number).node.topic).toEqual({ topic: 'HOW_TO_QUESTION', label: 'Domanda sull’utilizzo' });
    // a ticket filed without a topic has none
    const none = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'No topic', description: 'x' } }, tok['tp-std'])).createEmailTicket;
    expect(none.ticket.topic).toBeNull();
  });

  it('CON-2: a topic not offered for the role or the product area is a userError INVALID / TOPIC_NOT_OFFERED and writes nothing', async () => {
    for (const [token, input] of [
      // theme requests are brand admins' …
      [tok['tp-std'], { productArea: 'SURVEY_PLATFORM', subject: 'Theme', description: 'Our colors', topic: 'THEME_REQUEST' }],
      // … and belong where surveys are built
      [tok['tp-admin'], { productArea: 'CX_DASHBOARDS', subject: 'Theme', description: 'Our colors', topic: 'THEME_REQUEST' }],
    ] as const) {
      const before = await ticketCount();
      const refused = ok(await t.gql(EMAIL, { input }, token)).createEmailTicket;
      expect(refused.ticket).toBeNull();
      expect(refused.userErrors).toEqual([{ field: ['input', 'topic'], code: 'INVALID', reason: 'TOPIC_NOT_OFFERED', message: expect.stringMatching(/not offered/) }]);
      expect(await ticketCount()).toBe(before);
    }
    const fr = await gqlIn('fr', `mutation { createEmailTicket(input: { productArea: CX_DASHBOARDS, subject: "Thème", description: "x", topic: THEME_REQUEST }) { userErrors { reason message } } }`, tok['tp-std']);
    expect(fr.data!.createEmailTicket.userErrors).toEqual([{ reason: 'TOPIC_NOT_OFFERED', message: expect.stringMatching(/n’est pas proposé/) }]);
    // XM Discover: the separate team refuses the method first, whatever the topic
    const discover = ok(await t.gql(EMAIL, { input: { productArea: 'XM_DISCOVER_SOCIAL_CONNECT', subject: 'x', description: 'y', topic: 'TECHNICAL_ISSUE' } }, tok['tp-std'])).createEmailTicket;
    expect(discover.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'SEPARATE_TEAM' });
  });

  it('CON-1: loginHelp answers without signing in, in the answer language; everything else still needs an account', async () => {
    const anonymous = ok(await t.gql(LOGIN_HELP));
    expect(anonymous.loginHelp.topics.map((x: any) => x.code)).toEqual(['FORGOT_PASSWORD', 'FORGOT_USERNAME', 'ACCOUNT_LOCKED', 'SINGLE_SIGN_ON', 'CREATE_ACCOUNT']);
    expect(anonymous.loginHelp.summary).toMatch(/requires signing in/);
    for (const topic of anonymous.loginHelp.topics) {
      expect(topic.title.length).toBeGreaterThan(3);
      expect(topic.description.length).toBeGreaterThan(20);
    }
    const ja = await gqlIn('ja', LOGIN_HELP);
    expect(ja.errors).toBeUndefined();
    expect(ja.extensions?.language).toBe('ja');
    expect(ja.data!.loginHelp.topics[0].title).toBe('パスワードを忘れた場合');
    const nl = await gqlIn('nl-BE', LOGIN_HELP);
    expect(nl.data!.loginHelp.topics[4].title).toBe('Een account aanmaken');
    // signed in, the same help
    expect(ok(await t.gql(LOGIN_HELP, undefined, tok['tp-std'])).loginHelp).toEqual(anonymous.loginHelp);
    // and nothing else opens to anonymous callers
    const areas = await t.gql(AREAS);
    expect(areas.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
