import type { EntityManager } from '@mikro-orm/core';
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { resolveViewer, type Viewer } from './auth/viewer';
import type { Context } from './context';
import { openAttachment } from './services/attachment-download.service';
import type { AttachmentLinks } from './services/attachment-links';
import {
  AttachmentTooLargeError,
  DatabaseAttachmentStorage,
  DiskAttachmentStorage,
  MAX_ATTACHMENT_BYTES,
  StagedUploads,
  type AttachmentStorage,
} from './services/attachment-storage';
import { detectAttachmentType } from './services/attachment-type';

export interface UploadDeps {
  viewerFrom(header: string | undefined): Promise<Viewer>;
  /** A request context for a viewer (the download applies the rules of `ticket(id)` through it). */
  contextFor(viewer: Viewer): Context;
  rootEm: EntityManager;
  dataDir: string;
  now?: () => Date;
  /** `database` (PostgreSQL default: every instance serves every file) or files under `<dataDir>/attachments`. */
  storage: 'database' | 'filesystem' | AttachmentStorage;
  links: AttachmentLinks;
}

/** FUP-6: the headers of every attachment download: a file to save, never a page of the hub. */
export function downloadHeaders(fileName: string, contentType: string, size: number): Record<string, string> {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'content-type': contentType,
    'content-length': String(size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'x-content-type-options': 'nosniff',
    // even if a browser rendered it, the document has no origin, no scripts, no plugins, no subresources
    'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
  };
}

function fail(res: Response, status: number, code: string, message: string): void {
  if (!res.headersSent) res.status(status).json({ error: { code, message } });
}

/** The file name from `?fileName=` or `X-File-Name` (URI-encoded), reduced to a plain base name. */
function fileNameOf(req: Request): string | null {
  const raw = (typeof req.query.fileName === 'string' ? req.query.fileName : undefined) ?? req.header('x-file-name');
  if (!raw) return null;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  name = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001F\u007F]/g, '').trim();
  return name && name.length <= 255 ? name : null;
}

/**
 * FUP-3 staged uploads: `POST /uploads?fileName=<name>` with the raw file as the body and the usual
 * bearer token. The body is streamed into attachment storage and refused with 413 as soon as it
 * passes 500 KB; the type is then checked on the content (415 when not allowed). Answers 201 with
 * an upload id that `replyToTicket(input: { attachmentIds })` links, once, within an hour, for the
 * same account. Returns the staged-upload store for the GraphQL context.
 */
export function mountUploads(app: Express, deps: UploadDeps): StagedUploads {
  const storage =
    deps.storage === 'database' ? new DatabaseAttachmentStorage(deps.rootEm, deps.now)
    : deps.storage === 'filesystem' ? new DiskAttachmentStorage(join(deps.dataDir, 'attachments'))
    : deps.storage;
  const staged = new StagedUploads(storage, deps.rootEm, deps.now);
  const now = () => deps.now?.() ?? new Date();

  /**
   * FUP-6: `GET /attachments/<id>` with the signed `?token=` of `TicketAttachment.url`, or with the
   * caller's own bearer token. Either way the reader is re-read and must be able to read the ticket
   * now; FedRAMP customers are refused, everyone else who cannot read it gets 404 like a missing file.
   */
  app.get('/attachments/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(res, 404, 'NOT_FOUND', 'No such attachment.');
    let viewer: Viewer;
    try {
      const token = typeof req.query.token === 'string' ? req.query.token : undefined;
      if (req.headers.authorization) {
        viewer = await deps.viewerFrom(req.headers.authorization);
      } else if (token) {
        const claims = await deps.links.verify(id, token, now());
        if (claims === 'LINK_EXPIRED') return fail(res, 403, 'LINK_EXPIRED', 'This attachment link has expired: open the ticket again for a fresh one.');
        if (claims === 'LINK_INVALID') return fail(res, 403, 'LINK_INVALID', 'This attachment link is not valid.');
        const found = await resolveViewer(deps.rootEm.fork(), { subject: claims.subject, scopes: claims.scopes });
        if (!found) return fail(res, 403, 'LINK_INVALID', 'This attachment link is not valid.');
        viewer = found;
      } else {
        return fail(res, 401, 'UNAUTHENTICATED', 'Open attachments through TicketAttachment.url, or send Authorization: Bearer <token>.');
      }
      if (viewer.kind === 'anonymous') return fail(res, 401, 'UNAUTHENTICATED', 'Sign in to open attachments.');
      const opened = await openAttachment(deps.contextFor(viewer), storage, id);
      if (!opened) return fail(res, 404, 'NOT_FOUND', 'No such attachment.');
      res.status(200).set(downloadHeaders(opened.fileName, opened.contentType, opened.content.length)).end(opened.content);
    } catch (error) {
      if (error instanceof GraphQLError) {
        const code = String(error.extensions.code ?? 'FORBIDDEN');
        const status = code === 'UNAUTHENTICATED' ? 401 : code === 'DATABASE_UNAVAILABLE' ? 503 : 403;
        if (!res.headersSent) res.status(status).json({ error: { code, reason: error.extensions.reason, message: error.message } });
        return;
      }
      fail(res, 500, 'INTERNAL', 'The attachment could not be read.');
    }
  });

  app.post('/uploads', async (req, res) => {
    let viewer: Viewer;
    try {
      viewer = await deps.viewerFrom(req.headers.authorization);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? 'UNAUTHENTICATED') : 'UNAUTHENTICATED';
      // the database being down is not the caller's fault: 503, retry (docs/observability.md)
      return fail(res, code === 'DATABASE_UNAVAILABLE' ? 503 : 401, code, error instanceof Error ? error.message : 'Invalid token.');
    }
    if (viewer.kind === 'anonymous') return fail(res, 401, 'UNAUTHENTICATED', 'Sign in to upload: send Authorization: Bearer <token>.');
    if (viewer.kind !== 'customer') return fail(res, 403, 'FORBIDDEN', 'Uploads are for customer accounts.');
    if (/^multipart\//i.test(req.header('content-type') ?? '')) {
      return fail(res, 415, 'UNSUPPORTED_ENCODING', 'Send the file as the raw request body (not multipart), with ?fileName=<name>.');
    }
    const fileName = fileNameOf(req);
    if (!fileName) return fail(res, 400, 'FILE_NAME_REQUIRED', 'Name the file with ?fileName=<name> or an X-File-Name header.');
    const tooLarge = () => {
      res.setHeader('connection', 'close');
      fail(res, 413, 'TOO_LARGE', `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024} KB.`);
    };
    const declared = Number(req.header('content-length'));
    if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES) {
      req.resume();
      return tooLarge();
    }

    // feed the storage through a pass-through so the request itself is never destroyed mid-response
    const body = new PassThrough();
    req.on('data', (chunk: Buffer) => {
      if (!body.destroyed) body.write(chunk);
    });
    req.on('end', () => body.end());
    req.on('error', (error) => body.destroy(error));

    const storageKey = staged.newStorageKey();
    try {
      const stored = await storage.put(storageKey, body, MAX_ATTACHMENT_BYTES);
      const type = await detectAttachmentType(fileName, stored.content);
      if (!type.ok) {
        await storage.delete(storageKey);
        return fail(res, 415, 'UNSUPPORTED_TYPE', type.message);
      }
      const upload = await staged.record({
        accountId: viewer.accountId,
        fileName,
        contentType: type.contentType,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageKey,
      });
      res.status(201).json({
        uploadId: upload.id,
        fileName: upload.fileName,
        contentType: upload.contentType,
        sizeBytes: upload.sizeBytes,
        expiresAt: upload.expiresAt,
      });
    } catch (error) {
      if (error instanceof AttachmentTooLargeError) {
        req.resume();
        return tooLarge();
      }
      fail(res, 500, 'INTERNAL', 'The upload could not be stored.');
    }
  });

  return staged;
}
