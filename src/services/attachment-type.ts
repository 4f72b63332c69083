import { extname } from 'node:path';
import FileType from 'file-type';

/**
 * FUP-3: the types an attachment may have, decided from the content. Binary formats are recognised
 * by their magic bytes (`file-type`); text formats have none, so they are accepted only when the
 * content is clean UTF-8 text (HAR additionally must be a JSON document with a `log` object). The
 * file name's extension must agree with what the content is: an `.exe` renamed `.pdf` is refused, and
 * so is a text file named `.pdf`.
 */
const BINARY_TYPES: Record<string, { mime: string; extensions: string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
  gif: { mime: 'image/gif', extensions: ['gif'] },
  mp4: { mime: 'video/mp4', extensions: ['mp4'] },
  m4v: { mime: 'video/mp4', extensions: ['mp4'] },
  mov: { mime: 'video/quicktime', extensions: ['mov'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  // legacy Word files are OLE compound documents; the container is all the magic bytes say
  cfb: { mime: 'application/msword', extensions: ['doc'] },
};

const TEXT_TYPES: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  har: 'application/json',
};

/** The allowed list as users know it, for messages and docs. */
export const ALLOWED_ATTACHMENT_TYPES = ['CSV', 'TSV', 'XLSX', 'DOC', 'DOCX', 'PDF', 'TXT', 'JPG', 'PNG', 'GIF', 'MP4', 'MOV', 'HAR'] as const;

export type TypeCheck = { ok: true; contentType: string } | { ok: false; message: string };

const refused = (message: string): TypeCheck => ({ ok: false, message });
const NOT_ALLOWED = `Only ${ALLOWED_ATTACHMENT_TYPES.join(', ')} files can be attached.`;

/** Clean text: valid UTF-8 without control characters other than tab, CR, LF (and form feed). */
function isCleanText(content: Buffer): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text) ? null : text;
}

/** Decides the content type of an attachment from its bytes, checked against its name. */
export async function detectAttachmentType(fileName: string, content: Buffer): Promise<TypeCheck> {
  const ext = extname(fileName).slice(1).toLowerCase();
  if (content.length === 0) return refused('The file is empty.');
  const detected = await FileType.fromBuffer(content);
  if (detected) {
    const allowed = BINARY_TYPES[detected.ext];
    if (!allowed) return refused(`${NOT_ALLOWED} The content is ${detected.ext.toUpperCase()}.`);
    if (!allowed.extensions.includes(ext)) return refused(`The file name ends in ".${ext}" but the content is ${allowed.extensions[0].toUpperCase()}.`);
    return { ok: true, contentType: allowed.mime };
  }
  const textType = TEXT_TYPES[ext];
  if (!textType) return refused(`${NOT_ALLOWED} The content of "${fileName}" is not one of them.`);
  const text = isCleanText(content);
  if (text === null) return refused(`"${fileName}" is not a text file.`);
  if (ext === 'har') {
    try {
      const doc = JSON.parse(text) as { log?: unknown };
      if (typeof doc !== 'object' || doc === null || typeof doc.log !== 'object' || doc.log === null) throw new Error('no log');
    } catch {
      return refused(`"${fileName}" is not a HAR (HTTP archive) JSON document.`);
    }
  }
  return { ok: true, contentType: textType };
}
