import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallbackRequest, Ticket } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

const MONDAY_1500_UTC = new Date('2026-11-02T15:00:00.000Z');
const PHONE = `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ticket { id number } userErrors { field code reason message } } }`;
const TAKE = `mutation($input: TakeNextCallbackInput!) { takeNextCallback(input: $input) { ticket { id number status } userErrors { code reason message } } }`;
const COMPLETE = `mutation($input: CompleteCallbackInput!) { completeCallback(input: $input) { ticket { id } userErrors { field code reason message } } }`;
const CANCEL = `mutation($input: CancelCallbackInput!) { cancelCallback(input: $input) { ticket { id status } callbackStatus { state position } userErrors { field code reason message } } }`;
const POSITION = `subscription($ticketId: ID!) { callbackQueuePosition(ticketId: $ticketId) { state position estimatedWaitMinutes } }`;
const STATUS = `query($id: ID!) { ticket(id: $id) { ... on PhoneTicket { callbackStatus { state position estimatedWaitMinutes } } } }`;
const DEFAULT_HANDLE = 12;

/** Waits until a result of `live` satisfies `match`; returns its data. */
async function until(live: Live, match: (status: any) => boolean, ms = 5_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = live.results.map((r) => (r.data as any)?.callbackQueuePosition).find((s) => s && match(s));
    if (found) return found;
    if (live.completed) throw new Error(`subscription ended: ${JSON.stringify(live.results)}`);
    await live.waitFor(live.results.length + 1, Math.max(1, deadline - Date.now()));
  }
}

describe.each(DATABASE_TARGETS)('the phone call lifecycle ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  const tok: Record<string, string> = {};

  const callback = async (who: string, productArea: string, language = 'ENGLISH') => {
    const res = ok(await t.gql(PHONE, { input: { productArea, language, phone: { country: 'IT', number: '02 1234 5678' } } }, tok[who])).requestPhoneCallback;
    expect(res.userErrors).toEqual([]);
    return res.ticket as { id: string; number: number };
  };
  const take = async (productArea: string, agent = 'agent-1', language = 'ENGLISH') => ok(await t.internal(TAKE, { input: { language, productArea } }, tok[agent])).takeNextCallback;
  const complete = async (ticketId: string, outcome: string, agent = 'agent-1') => ok(await t.internal(COMPLETE, { input: { ticketId, outcome } }, tok[agent])).completeCallback;
  const states = async () => (await t.orm.em.fork().find(CallbackRequest, {}, { orderBy: { id: 'asc' } })).map((r) => [r.id, r.state, r.outcome ?? null]);
  const later = (minutes: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000);
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    ws = new WsClients(t.publicUrl);
    await f.brand('brand-a');
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) {
      await f.account(id, 'brand-a');
      tok[id] = await f.tokenFor(id);
    }
    for (const id of ['agent-1', 'agent-2']) {
      await f.agent(id);
      tok[id] = await t.token(id, ['hub:agent']);
    }
  });
  beforeEach(() => {
    t.clock.now = MONDAY_1500_UTC;
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('PHN-5, PHN-2, PHN-4: a whole call: queue → take → complete → the next waiter’s estimate uses the handle time', async () => {
    const a = await callback('c1', 'SURVEY_PLATFORM');
    const b = await callback('c2', 'SURVEY_PLATFORM');
    const c = await callback('c3', 'SURVEY_PLATFORM');
    const live = new Live(ws.open(tok['c3']), POSITION, { ticketId: c.id });
    expect(await until(live, () => true)).toEqual({ state: 'WAITING', position: 3, estimatedWaitMinutes: 2 * DEFAULT_HANDLE });

    expect((await take('SURVEY_PLATFORM')).ticket.id).toBe(a.id);
    expect(await until(live, (s) => s.position === 2)).toEqual({ state: 'WAITING', position: 2, estimatedWaitMinutes: DEFAULT_HANDLE });

    // refusals change nothing: a call not in progress, another agent's call
    const before = await states();
    expect((await complete(b.id, 'RESOLVED')).userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'CALL_NOT_IN_PROGRESS' });
    const foreign = await t.internal(COMPLETE, { input: { ticketId: a.id, outcome: 'RESOLVED' } }, tok['agent-2']);
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_CALL_AGENT' });
    expect(await states()).toEqual(before);

    // the call took 6 minutes: the estimate of the waiter behind is now 6 minutes per caller ahead, live
    later(6);
    expect((await complete(a.id, 'RESOLVED')).userErrors).toEqual([]);
    expect(await until(live, (s) => s.estimatedWaitMinutes === 6)).toEqual({ state: 'WAITING', position: 2, estimatedWaitMinutes: 6 });
    const again = await complete(a.id, 'RESOLVED');
    expect(again.userErrors[0].reason).toBe('CALL_NOT_IN_PROGRESS');

    // an unanswered callback is not a handle time
    expect((await take('SURVEY_PLATFORM')).ticket.id).toBe(b.id);
    later(1);
    expect((await complete(b.id, 'NO_ANSWER')).userErrors).toEqual([]);
    await until(live, (s) => s.position === 1);
    const d = await callback('c4', 'SURVEY_PLATFORM');
    expect(ok(await t.gql(STATUS, { id: d.id }, tok['c4'])).ticket.callbackStatus).toEqual({ state: 'WAITING', position: 2, estimatedWaitMinutes: 6 });
    expect((await t.orm.em.fork().findOneOrFail(CallbackRequest, { ticket: a.number })).outcome).toBe('RESOLVED');
    live.dispose();
  });

  it('PHN-5, RT-2: leaving the queue and closing a waiting request move the positions behind, live; a CLOSED ticket is never handed out', async () => {
    const first = await callback('c1', 'CX_DASHBOARDS');
    const second = await callback('c2', 'CX_DASHBOARDS');
    const third = await callback('c3', 'CX_DASHBOARDS');
    const fourth = await callback('c4', 'CX_DASHBOARDS');
    const fifth = await callback('c5', 'CX_DASHBOARDS');
    const live = new Live(ws.open(tok['c5']), POSITION, { ticketId: fifth.id });
    expect(await until(live, () => true)).toMatchObject({ position: 5 });

    // refusals first: someone else's request changes nothing
    const before = await states();
    expect(ok(await t.gql(CANCEL, { input: { ticketId: first.id } }, tok['c2'])).cancelCallback.userErrors[0]).toMatchObject({ field: ['input', 'ticketId'], code: 'NOT_FOUND' });
    expect(await states()).toEqual(before);

    // the customer leaves the queue
    const cancelled = ok(await t.gql(CANCEL, { input: { ticketId: first.id } }, tok['c1'])).cancelCallback;
    expect(cancelled).toMatchObject({ ticket: { status: 'CLOSED' }, callbackStatus: { state: 'CANCELLED', position: null }, userErrors: [] });
    expect(await until(live, (s) => s.position === 4)).toMatchObject({ position: 4 });
    expect(ok(await t.gql(CANCEL, { input: { ticketId: first.id } }, tok['c1'])).cancelCallback.userErrors[0].reason).toBe('NOT_WAITING');

    // an agent closes a waiting request
    ok(await t.internal(`mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { code } } }`, { input: { ticketId: second.id, status: 'CLOSED' } }, tok['agent-1']));
    expect(await until(live, (s) => s.position === 3)).toMatchObject({ position: 3 });

    // the customer closes their own waiting request (CLS-1)
    ok(await t.gql(`mutation($input: CloseTicketInput!) { closeTicket(input: $input) { userErrors { code } } }`, { input: { ticketId: third.id } }, tok['c3']));
    expect(await until(live, (s) => s.position === 2)).toMatchObject({ position: 2 });

    // even a row left WAITING behind a CLOSED ticket (written around the services) is never handed out
    await t.orm.em.fork().nativeUpdate(Ticket, { id: fourth.number }, { status: 'CLOSED' } as never);
    const taken = await take('CX_DASHBOARDS');
    expect(taken.ticket).toMatchObject({ id: fifth.id, status: 'OPEN' });
    await live.ended();
    expect(live.results.at(-1)?.data?.callbackQueuePosition).toMatchObject({ state: 'IN_CALL', position: null });
  });

  it('PHN-2, CON-8: a waiter in a language queue outside its hours gets an estimate counting the time until it opens', async () => {
    // Monday 15:00 GMT: German support is open (07:00–15:30 GMT)
    const german = await callback('c1', 'XM_DIRECTORY', 'GERMAN');
    expect(ok(await t.gql(STATUS, { id: german.id }, tok['c1'])).ticket.callbackStatus).toEqual({ state: 'WAITING', position: 1, estimatedWaitMinutes: 0 });
    const behind = await callback('c2', 'XM_DIRECTORY', 'GERMAN');
    // 16:00 GMT: closed until Tuesday 07:00 GMT, 15 hours away
    t.clock.now = new Date('2026-11-02T16:00:00.000Z');
    expect(ok(await t.gql(STATUS, { id: german.id }, tok['c1'])).ticket.callbackStatus).toEqual({ state: 'WAITING', position: 1, estimatedWaitMinutes: 15 * 60 });
    expect(ok(await t.gql(STATUS, { id: behind.id }, tok['c2'])).ticket.callbackStatus).toEqual({ state: 'WAITING', position: 2, estimatedWaitMinutes: 15 * 60 + DEFAULT_HANDLE });
    // English is always open: no such wait
    const english = await callback('c3', 'XM_DIRECTORY');
    expect(ok(await t.gql(STATUS, { id: english.id }, tok['c3'])).ticket.callbackStatus.estimatedWaitMinutes).toBe(0);
  });
});
