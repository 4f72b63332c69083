import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DomainErrorCode, StateReason, type InputProblem } from '../src/domain/errors';
import { LOCALES, translate, translator, type Locale } from '../src/i18n';
import { toUserError } from '../src/resolvers/domain-error.mapper';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';
import { Live } from './utils/ws';

// Saturday: chat is closed (OUT_OF_HOURS), German phone support too; English e-mail and phone are 24×7
const SATURDAY = new Date('2026-11-07T18:00:00.000Z');

const PAGE = `query {
  supportOptions(productArea: SURVEY_PLATFORM, language: GERMAN) {
    productAreaInfo { code name description }
    advice { checkWith message examples }
    topicOptions { topic label description }
    methods { method available unavailableReason label hours unavailableMessage schedule { kind summary } }
  }
  applicationStatus { component name description }
  viewer { accountDeletion { accountType instructions } emailPreferencesEligibility { available reason message } }
}`;

describe.each(DATABASE_TARGETS)('LANG-1: texts in the request language through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  const clients: Client[] = [];

  /** POST with an Accept-Language header (none when undefined). */
  async function gqlIn(acceptLanguage: string | undefined, query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse & { contentLanguage: string | null; extensions?: Record<string, unknown> }> {
    const res = await fetch(t.publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(acceptLanguage !== undefined ? { 'accept-language': acceptLanguage } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, contentLanguage: res.headers.get('content-language'), ...((await res.json()) as object) };
  }

  /** A graphql-ws client; `headers` go on the upgrade request. */
  function wsClient(connectionParams: Record<string, unknown>, headers?: Record<string, string>): Client {
    const Impl = headers
      ? class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers });
          }
        }
      : WebSocket;
    const client = createClient({ url: t.publicUrl.replace(/^http/, 'ws'), webSocketImpl: Impl, lazy: true, retryAttempts: 0, connectionParams });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('lang');
    await f.brand('lang-fed', { fedramp: true });
    for (const [id, language] of [['en-user', 'en'], ['it-user', 'it-IT'], ['it-admin', 'it'], ['sv-user', 'sv'], ['free-user', 'en']] as const) {
      ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { code } } }`, {
        input: {
          id,
          brandId: 'lang',
          username: id,
          email: `${id}@example.com`,
          firstName: 'F',
          lastName: id,
          language,
          accountType: id === 'free-user' ? 'FREE' : 'SELF_SERVICE',
          role: id === 'it-admin' ? 'BRAND_ADMIN' : 'STANDARD',
        },
      }));
      tok[id] = await f.tokenFor(id);
    }
    await f.account('fed-user', 'lang-fed');
    tok['fed-user'] = await f.tokenFor('fed-user');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  it('LANG-1: the same query in each of the eight languages: texts differ, codes are identical, the language is reported', async () => {
    t.clock.now = SATURDAY;
    const answers = new Map<Locale, any>();
    for (const locale of LOCALES) {
      const res = await gqlIn(locale, PAGE, undefined, tok['free-user']);
      expect(res.errors, locale).toBeUndefined();
      expect(res.extensions?.language, locale).toBe(locale);
      expect(res.contentLanguage, locale).toBe(locale);
      answers.set(locale, res.data);
    }
    // codes are the contract: the same in every language
    const codes = (d: any) => ({
      area: d.supportOptions.productAreaInfo.code,
      checkWith: d.supportOptions.advice.checkWith,
      topics: d.supportOptions.topicOptions.map((o: any) => o.topic),
      methods: d.supportOptions.methods.map((m: any) => [m.method, m.available, m.unavailableReason, m.schedule.kind]),
      components: d.applicationStatus.map((c: any) => c.component),
      deletion: d.viewer.accountDeletion.accountType,
      prefs: d.viewer.emailPreferencesEligibility.reason,
    });
    const english = answers.get('en');
    for (const locale of LOCALES) expect(codes(answers.get(locale)), locale).toEqual(codes(english));
    expect(codes(english).methods).toEqual([
      ['CHAT', false, 'LICENSE', 'NOT_OFFERED'],
      ['EMAIL', true, null, 'WEEKLY'],
      ['PHONE', false, 'LICENSE', 'WEEKLY'],
      ['CONFERENCE', false, 'NOT_SUCCESS_PACKAGE', 'BY_APPOINTMENT'],
    ]);
    // every display text is in the catalog of its language, and differs from language to language
    const texts = (d: any): string[] => [
      d.supportOptions.advice.message,
      d.supportOptions.productAreaInfo.description,
      d.supportOptions.topicOptions[0].description,
      ...d.supportOptions.methods.map((m: any) => m.unavailableMessage ?? m.schedule.summary),
      d.applicationStatus[1].name,
      d.applicationStatus[0].description,
      d.viewer.accountDeletion.instructions,
      d.viewer.emailPreferencesEligibility.message,
    ];
    for (const locale of LOCALES) {
      const d = answers.get(locale);
      expect(d.supportOptions.advice.message).toBe(translate(locale, 'advice.BRAND_ADMIN.message'));
      expect(d.viewer.accountDeletion.instructions).toBe(translate(locale, 'deletion.FREE'));
      expect(d.viewer.emailPreferencesEligibility.message).toBe(translate(locale, 'section.emailPreferences.FREE_ACCOUNT'));
      expect(d.applicationStatus[1].name).toBe(translate(locale, 'component.SURVEY_EDITING.name'));
      for (const other of LOCALES.filter((l) => l !== locale)) {
        texts(d).forEach((text, i) => expect(text, `${locale} vs ${other} #${i}`).not.toBe(texts(answers.get(other))[i]));
      }
    }
    // product names stay as the seeds write them
    expect(new Set(LOCALES.map((l) => answers.get(l).supportOptions.productAreaInfo.name))).toEqual(new Set(['Survey Platform']));
    expect(answers.get('de').supportOptions.advice.message).toContain('Brand-Administrator');
    expect(answers.get('ja').applicationStatus[0].name).toBe('ログイン');
  });

  it('LANG-1: Accept-Language de-DE beats an Italian account; no header → Italian; an unsupported account language → English', async () => {
    const Q = `{ viewer { accountDeletion { instructions } } }`;
    const de = await gqlIn('de-DE', Q, undefined, tok['it-user']);
    expect(de.extensions?.language).toBe('de');
    expect(de.data.viewer.accountDeletion.instructions).toBe(translate('de', 'deletion.SELF_SERVICE'));
    const none = await gqlIn(undefined, Q, undefined, tok['it-user']);
    expect(none.extensions?.language).toBe('it');
    expect(none.data.viewer.accountDeletion.instructions).toBe(translate('it', 'deletion.SELF_SERVICE'));
    // a header naming only languages the hub does not serve (or just `*`) leaves the account's language
    expect((await gqlIn('sv-SE, sv;q=0.9', Q, undefined, tok['it-user'])).extensions?.language).toBe('it');
    expect((await gqlIn('*', Q, undefined, tok['it-user'])).extensions?.language).toBe('it');
    // an account in a language the hub does not serve, and no header: English
    const sv = await gqlIn(undefined, Q, undefined, tok['sv-user']);
    expect(sv.extensions?.language).toBe('en');
    expect(sv.data.viewer.accountDeletion.instructions).toBe(translate('en', 'deletion.SELF_SERVICE'));
    // q-values decide, q=0 excludes, the region falls back to its language
    expect((await gqlIn('fr;q=0.5, ja;q=0.9, en;q=0.1', Q, undefined, tok['en-user'])).extensions?.language).toBe('ja');
    expect((await gqlIn('nl;q=0, pt-BR', Q, undefined, tok['en-user'])).extensions?.language).toBe('pt');
    // anonymous callers: the header, else English
    expect((await gqlIn('es-MX', `{ applicationStatus { name } }`)).extensions?.language).toBe('es');
    expect((await gqlIn(undefined, `{ applicationStatus { name } }`)).extensions?.language).toBe('en');
  });

  it('LANG-1: error and userError texts are in the request language; codes stay the same', async () => {
    const fed = await gqlIn('fr-CH', `{ tickets(first: 10) { totalCount } }`, undefined, tok['fed-user']);
    expect(fed.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    expect(fed.errors?.[0].message).toBe(translate('fr', 'error.FORBIDDEN.FEDRAMP_RESTRICTED'));
    expect(fed.extensions?.language).toBe('fr');
    // a refused token: the viewer is unknown, the header still decides
    const unauth = await gqlIn('nl', `{ viewer { username } }`, undefined, 'not-a-token');
    expect(unauth.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(unauth.errors?.[0].message).toBe(translate('nl', 'error.UNAUTHENTICATED'));
    // English keeps the server's own, more specific message
    const unauthEn = await gqlIn('en', `{ viewer { username } }`, undefined, 'not-a-token');
    expect(unauthEn.errors?.[0].message).not.toBe(translate('nl', 'error.UNAUTHENTICATED'));
    // a userError: a billing inquiry in Spanish is refused (BILL-2), explained in Italian
    const inquiry = `mutation($input: SubmitBillingInquiryInput!) { submitBillingInquiry(input: $input) { userErrors { field code message } } }`;
    const input = { topic: 'INVOICE', subject: 'Invoice', message: 'Please resend it', language: 'SPANISH' };
    const it_ = await gqlIn(undefined, inquiry, { input }, tok['it-admin']);
    expect(it_.errors, JSON.stringify(it_.errors)).toBeUndefined();
    expect(it_.data.submitBillingInquiry.userErrors).toEqual([{ field: ['input', 'language'], code: 'INVALID', message: translate('it', 'userError.billingEnglishOnly') }]);
    // a ticket-state refusal (FUP-4 / CLS-1): closing a closed ticket, in German; the reason is the same in every language
    const closed = await f.ticket({ submitterId: 'it-user', status: 'CLOSED' });
    const close = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { userErrors { field code reason message } } }`;
    const de = await gqlIn('de', close, { input: { ticketId: closed.id } }, tok['it-user']);
    expect(de.data.closeTicket.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'TICKET_CLOSED', message: translate('de', 'userError.ticketState.TICKET_CLOSED') }]);
    const en = await gqlIn('en', close, { input: { ticketId: closed.id } }, tok['it-user']);
    expect(en.data.closeTicket.userErrors[0]).toMatchObject({ reason: 'TICKET_CLOSED', message: 'This ticket is already closed.' });
  });

  it('LANG-1: subscriptions: connectionParams.acceptLanguage, else the upgrade request header, else the account language; every event says which', async () => {
    const Q = 'subscription { applicationStatusChanged { component name description } }';
    const byParam = new Live(wsClient({ authorization: `Bearer ${tok['it-user']}`, acceptLanguage: 'ja' }), Q);
    const byHeader = new Live(wsClient({ authorization: `Bearer ${tok['en-user']}` }, { 'accept-language': 'nl-BE' }), Q);
    const byAccount = new Live(wsClient({ authorization: `Bearer ${tok['it-user']}` }), Q);
    const anonymous = new Live(wsClient({}), Q);
    const lives = [byParam, byHeader, byAccount, anonymous];
    // each subscription is live once a first change reaches it
    await expect
      .poll(async () => {
        ok(await t.internal(`mutation { setApplicationStatus(input: { component: "REPORTING", status: PARTIAL_OUTAGE }) { userErrors { code } } }`));
        return lives.every((l) => l.results.length > 0);
      }, { timeout: 10_000, interval: 200 })
      .toBe(true);
    const expected: [Live, Locale][] = [[byParam, 'ja'], [byHeader, 'nl'], [byAccount, 'it'], [anonymous, 'en']];
    for (const [live, locale] of expected) {
      const event = live.results.at(-1)!;
      expect((event.extensions as { language?: string } | undefined)?.language, locale).toBe(locale);
      expect(event.data).toEqual({ applicationStatusChanged: { component: 'REPORTING', name: translate(locale, 'component.REPORTING.name'), description: translate(locale, 'component.REPORTING.description') } });
    }
    lives.forEach((l) => l.dispose());
  });

  it('CLS-2, ESC-4, HIST-6: the closed notice and the estimate disclaimer are translated; ticket texts stay as written', async () => {
    const closed = await f.ticket({ submitterId: 'it-user', status: 'CLOSED', subject: 'Umfrage lädt nicht', description: 'Die Umfrage lädt nicht.', descriptionLanguage: 'de' });
    const escalated = await f.ticket({
      submitterId: 'it-user',
      status: 'ESCALATED',
      escalation: { reference: 'CP-4711', problemDescription: 'Export bricht ab', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-01T10:00:00Z' }], estimatedResolutionAt: '2026-12-01T10:00:00Z' },
    });
    const Q = `query($a: ID!, $b: ID!) {
      a: ticket(id: $a) { subject description closedNotice }
      b: ticket(id: $b) { ... on EmailTicket { escalation { problemDescription estimatedResolution { disclaimer } } } }
    }`;
    for (const locale of ['it', 'ja'] as const) {
      const res = await gqlIn(locale, Q, { a: closed.id, b: escalated.id }, tok['it-user']);
      expect(res.errors).toBeUndefined();
      expect(res.data.a).toEqual({ subject: 'Umfrage lädt nicht', description: 'Die Umfrage lädt nicht.', closedNotice: translate(locale, 'ticket.closedNotice') });
      expect(res.data.b.escalation).toEqual({ problemDescription: 'Export bricht ab', estimatedResolution: { disclaimer: translate(locale, 'escalation.disclaimer.engineering') } });
    }
  });
});

describe('LANG-1: refusals of the conversation services carry their catalog text', () => {
  it("LANG-1: the mapper shows a problem's catalog text in other languages where its message is English; English and a service's own texts keep their message", () => {
    // an access rule's refusal: the rule's English text, the reason's catalog text
    const problem = { field: ['input', 'ticketId'], code: DomainErrorCode.INVALID_STATE, reason: StateReason.CHAT_ENDED, message: 'This chat has ended.', messageKey: 'userError.refusal.CHAT_ENDED' } satisfies InputProblem;
    expect(toUserError(problem, { locale: 'de', t: translator('de') })).toMatchObject({ code: 'INVALID_STATE', reason: 'CHAT_ENDED', message: translate('de', 'userError.refusal.CHAT_ENDED') });
    expect(toUserError(problem, { locale: 'en', t: translator('en') }).message).toBe('This chat has ended.');
    // a service's own text (already from ctx.t) is never replaced by a vaguer one of its reason or code
    const own = { field: ['input', 'ticketId'], code: DomainErrorCode.INVALID_STATE, reason: StateReason.TICKET_CLOSED, message: translate('de', 'userError.work.ticketClosed', { action: 'replying' }) } satisfies InputProblem;
    expect(toUserError(own, { locale: 'de', t: translator('de') }).message).toBe(translate('de', 'userError.work.ticketClosed', { action: 'replying' }));
    const required = { field: ['input', 'bodyHtml'], code: DomainErrorCode.REQUIRED, message: translate('de', 'userError.reply.empty') } satisfies InputProblem;
    expect(toUserError(required, { locale: 'de', t: translator('de') }).message).toBe(translate('de', 'userError.reply.empty'));
    // a developer-facing check (class-validator): the code's text
    const generic = { field: ['input', 'subject'], code: DomainErrorCode.REQUIRED, message: 'subject should not be empty.', generic: true } satisfies InputProblem;
    expect(toUserError(generic, { locale: 'de', t: translator('de') }).message).toBe(translate('de', 'userError.required'));
  });
});
