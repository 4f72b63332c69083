import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachment, Message, StagedUploadRecord, StoredFile } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { SAMPLES } from './utils/attachment-samples';

const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) {
  message { bodyHtml attachments { fileName contentType sizeBytes } }
  userErrors { field code message } } }`;

describe.each(DATABASE_TARGETS)('FUP-3 attachments through the staged upload endpoint ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ticketId: string;
  const tok: Record<string, string> = {};
  // a data directory of this suite's own, so parallel runs never see each other's uploads
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-uploads-'));
  // staged uploads are rows (every instance sees them); bytes are files on SQLite, rows on PostgreSQL
  const stagedCount = () => t.orm.em.fork().count(StagedUploadRecord, {});
  const bytesExist = async (key: string) => (target.name === 'sqlite' ? existsSync(join(dataDir, 'attachments', key)) : (await t.orm.em.fork().count(StoredFile, { key })) === 1);

  const upload = async (fileName: string, body: Buffer | ReadableStream, token: string | null = tok['a-std1']) => {
    const res = await fetch(`${t.publicUrl.replace(/\/graphql$/, '')}/uploads?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    return { status: res.status, body: (await res.json()) as any };
  };
  const uploadId = async (fileName: string, body: Buffer, token: string | null = tok['a-std1']) => {
    const res = await upload(fileName, body, token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.uploadId as string;
  };
  const counts = async () => {
    const em = t.orm.em.fork();
    return { messages: await em.count(Message, {}), attachments: await em.count(Attachment, {}) };
  };

  beforeAll(async () => {
    t = await startTestServer(target, { dataDir });
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.account('a-std1', 'brand-a');
    await f.account('a-std2', 'brand-a');
    for (const id of ['a-std1', 'a-std2']) tok[id] = await f.tokenFor(id);
    ticketId = (await f.ticket({ submitterId: 'a-std1', subject: 'Export fails', messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'It fails' }] })).id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('FUP-3: uploads are typed by content and linked to the reply', async () => {
    const ids = [await uploadId('report.pdf', SAMPLES.pdf), await uploadId('screen.png', SAMPLES.png), await uploadId('rows.csv', SAMPLES.csv)];
    const res = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'See attached', attachmentIds: ids } }, tok['a-std1'])).replyToTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.message.attachments).toEqual([
      { fileName: 'report.pdf', contentType: 'application/pdf', sizeBytes: SAMPLES.pdf.length },
      { fileName: 'screen.png', contentType: 'image/png', sizeBytes: SAMPLES.png.length },
      { fileName: 'rows.csv', contentType: 'text/csv', sizeBytes: SAMPLES.csv.length },
    ]);
    const stored = await t.orm.em.fork().find(Attachment, {}, { orderBy: { id: 'asc' } });
    expect(stored.map((a) => a.sha256)).toHaveLength(3);
    expect(stored.every((a) => /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
  });

  it('FUP-3: exactly 500 KB is accepted', async () => {
    const id = await uploadId('big.txt', Buffer.alloc(500 * 1024, 'a'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('FUP-3: a sixth attachment is refused and nothing is stored', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await uploadId(`part-${i}.txt`, Buffer.from(`part ${i}\n`)));
    const before = await counts();
    const res = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'six files', attachmentIds: ids } }, tok['a-std1'])).replyToTicket;
    expect(res.userErrors).toEqual([{ field: ['input', 'attachmentIds'], code: 'LIMIT_EXCEEDED', message: expect.stringContaining('5') }]);
    expect(await counts()).toEqual(before);
    // the five first ones are still usable: nothing was consumed
    const fine = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'five files', attachmentIds: ids.slice(0, 5) } }, tok['a-std1'])).replyToTicket;
    expect(fine.userErrors).toEqual([]);
    expect(fine.message.attachments).toHaveLength(5);
  });

  it('FUP-3: a 501 KB file is refused with 413 while streaming, and nothing is kept', async () => {
    const before = { ...(await counts()), staged: await stagedCount() };
    const declared = await upload('big.csv', Buffer.alloc(501 * 1024, 'a'));
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('TOO_LARGE');
    // without a Content-Length the limit is enforced on the bytes as they arrive
    const chunk = new Uint8Array(64 * 1024).fill(97);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 501 * 1024) return controller.close();
        const part = chunk.subarray(0, Math.min(chunk.length, 501 * 1024 - sent));
        sent += part.length;
        controller.enqueue(part);
      },
    });
    const streamed = await upload('big.csv', stream as never);
    expect(streamed.status).toBe(413);
    expect({ ...(await counts()), staged: await stagedCount() }).toEqual(before);
  });

  it('FUP-3: an .exe renamed .pdf is refused by its content', async () => {
    const before = { ...(await counts()), staged: await stagedCount() };
    const res = await upload('invoice.pdf', SAMPLES.exe);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_TYPE');
    const textAsPdf = await upload('fake.pdf', SAMPLES.csv);
    expect(textAsPdf.status).toBe(415);
    expect({ ...(await counts()), staged: await stagedCount() }).toEqual(before);
  });

  it("FUP-3: staged uploads are single-use and bound to the uploader's account", async () => {
    const id = await uploadId('once.txt', Buffer.from('once\n'));
    const first = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'first', attachmentIds: [id] } }, tok['a-std1'])).replyToTicket;
    expect(first.userErrors).toEqual([]);
    const before = await counts();
    const again = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'again', attachmentIds: [id] } }, tok['a-std1'])).replyToTicket;
    expect(again.userErrors).toEqual([expect.objectContaining({ field: ['input', 'attachmentIds', '0'], code: 'NOT_FOUND' })]);
    const someoneElses = await uploadId('theirs.txt', Buffer.from('theirs\n'), tok['a-std2']);
    const stolen = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'stolen', attachmentIds: [someoneElses] } }, tok['a-std1'])).replyToTicket;
    expect(stolen.userErrors[0].code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('FUP-3: staged uploads expire after an hour', async () => {
    const id = await uploadId('late.txt', Buffer.from('late\n'));
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 61 * 60 * 1000);
    try {
      const res = ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'late', attachmentIds: [id] } }, tok['a-std1'])).replyToTicket;
      expect(res.userErrors[0].code).toBe('NOT_FOUND');
    } finally {
      t.clock.now = saved;
    }
  });

  it('FUP-3: expired uploads are swept with their bytes when the next upload arrives', async () => {
    const id = await uploadId('stale.txt', Buffer.from('stale\n'));
    const { storageKey } = await t.orm.em.fork().findOneOrFail(StagedUploadRecord, { id });
    expect(await bytesExist(storageKey)).toBe(true);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 2 * 60 * 60 * 1000);
    try {
      await uploadId('fresh.txt', Buffer.from('fresh\n'));
    } finally {
      t.clock.now = saved;
    }
    expect(await t.orm.em.fork().count(StagedUploadRecord, { id })).toBe(0);
    expect(await bytesExist(storageKey)).toBe(false);
  });

  it('FUP-3: uploading needs the bearer token and a file name', async () => {
    expect((await upload('a.txt', Buffer.from('x'), null)).status).toBe(401);
    expect((await upload('a.txt', Buffer.from('x'), 'not-a-token')).status).toBe(401);
    const res = await fetch(`${t.publicUrl.replace(/\/graphql$/, '')}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${tok['a-std1']}` }, body: 'x' });
    expect(res.status).toBe(400);
  });
});
