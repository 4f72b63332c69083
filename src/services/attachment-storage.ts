import type { EntityManager } from '@mikro-orm/core';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StagedUploadRecord, StoredFile } from '../entities';

/** FUP-3 limits. "500 KB" is read as 500 KiB (512,000 bytes). */
export const MAX_ATTACHMENT_BYTES = 500 * 1024;
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;
/** A staged upload not linked to a message within this time is gone. */
export const STAGED_UPLOAD_TTL_MS = 60 * 60 * 1000;

/** Raised while streaming when the content passes the size limit; nothing is kept. */
export class AttachmentTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Attachments are limited to ${maxBytes / 1024} KB.`);
  }
}

export interface StoredObject {
  sizeBytes: number;
  sha256: string;
  /** The bytes, for the content type check (at most `maxBytes`, so small). */
  content: Buffer;
}

/**
 * Where attachment bytes live. `put` streams and enforces the limit while reading: past `maxBytes`
 * it rejects with AttachmentTooLargeError and leaves nothing behind.
 */
export interface AttachmentStorage {
  put(key: string, source: Readable, maxBytes: number): Promise<StoredObject>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

/** Reads `source` into memory, refusing past `maxBytes` (attachments are small: FUP-3). */
async function readLimited(source: Readable, maxBytes: number): Promise<StoredObject> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxBytes) {
      source.destroy();
      throw new AttachmentTooLargeError(maxBytes);
    }
    hash.update(buffer);
    chunks.push(buffer);
  }
  return { sizeBytes: size, sha256: hash.digest('hex'), content: Buffer.concat(chunks) };
}

/**
 * Bytes in the database (`stored_file`), the default on PostgreSQL: every instance behind a load
 * balancer serves every file, and backups hold them with the tickets they belong to.
 */
export class DatabaseAttachmentStorage implements AttachmentStorage {
  constructor(private readonly rootEm: EntityManager, private readonly now: () => Date = () => new Date()) {}

  async put(key: string, source: Readable, maxBytes: number): Promise<StoredObject> {
    const stored = await readLimited(source, maxBytes);
    await this.rootEm.fork().insert(StoredFile, { key, content: stored.content, sizeBytes: stored.sizeBytes, createdAt: this.now() });
    return stored;
  }

  async get(key: string): Promise<Buffer | null> {
    const row = await this.rootEm.fork().findOne(StoredFile, { key }, { populate: ['content'] });
    if (!row) return null;
    return Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content as unknown as Uint8Array);
  }

  async delete(key: string): Promise<void> {
    await this.rootEm.fork().nativeDelete(StoredFile, { key });
  }
}

/** Files under a root directory (`<dataDir>/attachments` by default). Keys are generated, never user input. */
export class DiskAttachmentStorage implements AttachmentStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/i.test(key)) throw new Error(`invalid storage key "${key}"`);
    return join(this.root, key);
  }

  async put(key: string, source: Readable, maxBytes: number): Promise<StoredObject> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new AttachmentTooLargeError(maxBytes));
        hash.update(chunk);
        chunks.push(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, limit, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { sizeBytes: size, sha256: hash.digest('hex'), content: Buffer.concat(chunks) };
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

/** A file uploaded ahead of the message that links it (FUP-3). */
export interface StagedUpload {
  id: string;
  accountId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  expiresAt: string;
}

/** Why staged uploads could not be claimed; the index is the position in the requested list. */
export class StagedUploadUnavailableError extends Error {
  constructor(readonly index: number) {
    super('That upload does not exist, has expired, was already used, or belongs to another account.');
  }
}

const toUpload = (r: StagedUploadRecord): StagedUpload => ({
  id: r.id,
  accountId: r.accountId,
  fileName: r.fileName,
  contentType: r.contentType,
  sizeBytes: r.sizeBytes,
  sha256: r.sha256,
  storageKey: r.storageKey,
  expiresAt: r.expiresAt.toISOString(),
});

/**
 * Staged uploads: bound to the uploading account, single-use, expiring. The records are rows of
 * `staged_upload`, so an upload through one instance can be linked by a reply through another;
 * claiming is one conditional update (`claimed_at` still empty), so two replies can never link the
 * same upload. Expired, never-claimed uploads are swept (record and bytes) on each new upload and by
 * the server's periodic job.
 */
export class StagedUploads {
  constructor(readonly storage: AttachmentStorage, private readonly rootEm: EntityManager, private readonly now: () => Date = () => new Date()) {}

  /** Records an upload whose bytes are already stored under `storageKey`. */
  async record(upload: Omit<StagedUpload, 'id' | 'expiresAt'>): Promise<StagedUpload> {
    await this.sweepExpired();
    const em = this.rootEm.fork();
    const row = em.create(StagedUploadRecord, {
      ...upload,
      id: randomUUID(),
      expiresAt: new Date(this.now().getTime() + STAGED_UPLOAD_TTL_MS),
      createdAt: this.now(),
    });
    await em.flush();
    return toUpload(row);
  }

  /** Deletes expired, never-linked uploads (record and bytes); returns how many. */
  async sweepExpired(): Promise<number> {
    const em = this.rootEm.fork();
    const now = this.now();
    const expired = await em.find(StagedUploadRecord, { claimedAt: null, expiresAt: { $lte: now } }, { limit: 200 });
    let swept = 0;
    for (const upload of expired) {
      // claim it first so a reply racing with the sweep cannot link half-deleted bytes
      const taken = await em.nativeUpdate(StagedUploadRecord, { id: upload.id, claimedAt: null }, { claimedAt: now });
      if (taken !== 1) continue;
      await this.storage.delete(upload.storageKey);
      await em.nativeDelete(StagedUploadRecord, { id: upload.id });
      swept++;
    }
    return swept;
  }

  /** A new storage key for an upload's bytes. */
  newStorageKey(): string {
    return `${this.now().toISOString().slice(0, 10)}/${randomUUID()}`;
  }

  /**
   * Claims every listed upload for `accountId`, or none: throws StagedUploadUnavailableError for the
   * first that is unknown, expired, someone else's or already claimed. Call `release` if the message
   * is not saved after all, `finish` once it is.
   */
  async claim(ids: readonly string[], accountId: string): Promise<StagedUpload[]> {
    const em = this.rootEm.fork();
    const now = this.now();
    const claimed: StagedUpload[] = [];
    try {
      for (const [index, id] of ids.entries()) {
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new StagedUploadUnavailableError(index);
        const taken = await em.nativeUpdate(StagedUploadRecord, { id, accountId, claimedAt: null, expiresAt: { $gt: now } }, { claimedAt: now });
        if (taken !== 1) throw new StagedUploadUnavailableError(index);
        claimed.push(toUpload(await em.findOneOrFail(StagedUploadRecord, { id })));
      }
      return claimed;
    } catch (error) {
      await this.release(claimed);
      throw error;
    }
  }

  /** Puts claimed uploads back (the message was not saved). */
  async release(uploads: readonly StagedUpload[]): Promise<void> {
    if (!uploads.length) return;
    await this.rootEm.fork().nativeUpdate(StagedUploadRecord, { id: { $in: uploads.map((u) => u.id) } }, { claimedAt: null });
  }

  /** Deletes uploads that will never be linked (records and bytes), e.g. those of a refused inbound mail. */
  async discard(uploads: readonly StagedUpload[]): Promise<void> {
    for (const u of uploads) await this.storage.delete(u.storageKey);
    if (uploads.length) await this.rootEm.fork().nativeDelete(StagedUploadRecord, { id: { $in: uploads.map((u) => u.id) } });
  }

  /** Forgets claimed uploads for good; their bytes now belong to attachments. */
  async finish(uploads: readonly StagedUpload[]): Promise<void> {
    if (!uploads.length) return;
    await this.rootEm.fork().nativeDelete(StagedUploadRecord, { id: { $in: uploads.map((u) => u.id) } });
  }
}
