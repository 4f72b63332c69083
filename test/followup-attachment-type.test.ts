import { describe, expect, it } from 'vitest';
import { detectAttachmentType } from '../src/services/attachment-type';
import { sanitizeMessageHtml } from '../src/services/ticket-rules';
import { SAMPLES } from './utils/attachment-samples';


describe('FUP-3: attachment type is decided by the content', () => {
  it.each([
    ['report.pdf', SAMPLES.pdf, 'application/pdf'],
    ['shot.PNG', SAMPLES.png, 'image/png'],
    ['anim.gif', SAMPLES.gif, 'image/gif'],
    ['photo.jpeg', SAMPLES.jpg, 'image/jpeg'],
    ['data.csv', SAMPLES.csv, 'text/csv'],
    ['data.tsv', Buffer.from('a\tb\n1\t2\n'), 'text/tab-separated-values'],
    ['notes.txt', Buffer.from('hello, wörld\n'), 'text/plain'],
    ['session.har', SAMPLES.har, 'application/json'],
  ])('FUP-3: accepts %s', async (name, content, type) => {
    expect(await detectAttachmentType(name, content)).toEqual({ ok: true, contentType: type });
  });

  it.each([
    ['FUP-3: an .exe renamed .pdf', 'invoice.pdf', SAMPLES.exe],
    ['FUP-3: an .exe as such', 'setup.exe', SAMPLES.exe],
    ['FUP-3: a PDF named .png', 'image.png', SAMPLES.pdf],
    ['FUP-3: text named .pdf', 'fake.pdf', SAMPLES.csv],
    ['FUP-3: a HAR that is not JSON', 'trace.har', Buffer.from('not json')],
    ['FUP-3: binary junk named .txt', 'notes.txt', Buffer.from([0x00, 0x01, 0x02, 0xfe])],
    ['FUP-3: an empty file', 'empty.txt', Buffer.alloc(0)],
    ['FUP-3: a type not on the list', 'script.js', Buffer.from('alert(1)')],
  ])('%s is refused', async (_title, name, content) => {
    expect((await detectAttachmentType(name, content)).ok).toBe(false);
  });
});

describe('FUP-2: sanitizeMessageHtml', () => {
  it.each([
    ['FUP-2: strips <script>', '<p>hi</p><script>alert(1)</script>', '<p>hi</p>'],
    ['FUP-2: strips onclick', '<p onclick="steal()">hi</p>', '<p>hi</p>'],
    ['FUP-2: drops javascript: links', '<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['FUP-2: keeps bold and http(s) links', '<b>bold</b> <a href="https://x.example/">x</a>', '<b>bold</b> <a href="https://x.example/" rel="noopener noreferrer nofollow">x</a>'],
    ['FUP-2: keeps mailto links', '<a href="mailto:a@b.example">mail</a>', '<a href="mailto:a@b.example" rel="noopener noreferrer nofollow">mail</a>'],
  ])('%s', (_title, input, expected) => {
    expect(sanitizeMessageHtml(input)).toBe(expected);
  });
});
