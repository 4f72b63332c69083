import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { downloadHeaders } from '../src/uploads';

const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { attachments { fileName url } } userErrors { code message } } }`;
const ATTACHMENTS = `query($id: ID!) { ticket(id: $id) { ... on EmailTicket { messages { attachments { fileName contentType url } } } } }`;

describe.each(DATABASE_TARGETS)('FUP-6 attachments open for readers of the ticket only ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  let ticketId: string;
  let attachmentId: number;
  let url: string;
  // an HTML page with a script, uploaded as a text file: it must never render in the hub's origin
  const POLYGLOT = Buffer.from('<html><body><script>fetch("/graphql")</script>notes</body></html>\n');

  const base = () => t.publicUrl.replace(/\/graphql$/, '');
  const get = (href: string, token?: string) => fetch(href, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const linkFor = async (viewer: { kind: 'customer'; accountId: string }) => (await t.server.attachmentLinks.urlFor(attachmentId, viewer as never, t.clock.now))!;
  const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; reason?: string } }).error });

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std', 'brand-a');
    await f.account('a-peer', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.account('f-admin', 'brand-f', { role: 'BRAND_ADMIN' });
    for (const id of ['a-std', 'a-peer', 'a-admin', 'b-admin', 'f-admin']) tok[id] = await f.tokenFor(id);
    ticketId = (await f.ticket({ submitterId: 'a-std', subject: 'Notes', createdAt: '2026-10-01T08:00:00.000Z', messages: [{ authorKind: 'AGENT', bodyHtml: '<p>send notes</p>', recipients: ['a-std@example.com'] }] })).id;
    const upload = await fetch(`${base()}/uploads?fileName=notes.txt`, { method: 'POST', headers: { authorization: `Bearer ${tok['a-std']}` }, body: POLYGLOT });
    const { uploadId } = (await upload.json()) as { uploadId: string };
    const reply = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: '<p>here</p>', attachmentIds: [uploadId] } }, tok['a-std'])).replyToTicket;
    expect(reply.userErrors).toEqual([]);
    url = reply.message.attachments[0].url;
    attachmentId = Number(/\/attachments\/(\d+)\?/.exec(url)![1]);
  });
  afterAll(async () => t?.close());

  it('FUP-6, TKT-2: the submitter opens the file as a download with the sniffed type, nosniff and a sandboxing CSP', async () => {
    expect(url).toMatch(new RegExp(`^http://localhost:${t.server.port}/attachments/${attachmentId}\\?token=`));
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(POLYGLOT)).toBe(true);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; sandbox/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // the authorized GET with the caller's own token answers the same
    expect((await get(`${base()}/attachments/${attachmentId}`, tok['a-std'])).status).toBe(200);
  });

  it('FUP-6, HIST-3: a brand admin of the brand reads the ticket, so gets a working link of their own', async () => {
    const own = ok(await t.gql(ATTACHMENTS, { id: ticketId }, tok['a-admin'])).ticket.messages.flatMap((m: any) => m.attachments)[0].url;
    expect(own).not.toBe(url);
    expect((await get(own)).status).toBe(200);
  });

  it('FUP-6: another brand gets nothing: no URL, 404 for a link issued to it and for its bearer token', async () => {
    expect(ok(await t.gql(ATTACHMENTS, { id: ticketId }, tok['b-admin'])).ticket).toBeNull();
    expect(await errorOf(await get(await linkFor({ kind: 'customer', accountId: 'b-admin' })))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId}`, tok['b-admin']))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    // nor does a standard user of the same brand who is not on the ticket (HIST-1)
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId}`, tok['a-peer']))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('FUP-6, FED-1: a FedRAMP reader is refused with the FedRAMP reason', async () => {
    expect(await errorOf(await get(await linkFor({ kind: 'customer', accountId: 'f-admin' })))).toMatchObject({ status: 403, code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId}`, tok['f-admin']))).toMatchObject({ status: 403, reason: 'FEDRAMP_RESTRICTED' });
  });

  it('FUP-6: a link stops working when its reader loses access to the ticket', async () => {
    const adminLink = await linkFor({ kind: 'customer', accountId: 'a-admin' });
    expect((await get(adminLink)).status).toBe(200);
    ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { account { id } } }`, { input: { id: 'a-admin', brandId: 'brand-a', username: 'a-admin', email: 'a-admin@example.com', firstName: 'First', lastName: 'a-admin', role: 'STANDARD' } }));
    expect((await get(adminLink)).status).toBe(404);
  });

  it('FUP-6: expired and tampered links are refused', async () => {
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + (t.server.attachmentLinks.ttlSeconds + 1) * 1000);
    try {
      expect(await errorOf(await get(url))).toMatchObject({ status: 403, code: 'LINK_EXPIRED' });
    } finally {
      t.clock.now = saved;
    }
    const token = new URL(url).searchParams.get('token')!;
    const [head, payload, signature] = token.split('.');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId}?token=${head}.${payload}.${flipped}`))).toMatchObject({ status: 403, code: 'LINK_INVALID' });
    // a valid link is bound to its file: another id with it is refused
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId + 1}?token=${token}`))).toMatchObject({ status: 403, code: 'LINK_INVALID' });
    expect(await errorOf(await get(`${base()}/attachments/${attachmentId}`))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('FUP-6: a file name that is not plain ASCII is announced in both forms, never breaking the header', () => {
    expect(downloadHeaders('résumé "1".pdf', 'application/pdf', 3)['content-disposition']).toBe(`attachment; filename="r_sum_ _1_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf`);
  });
});
