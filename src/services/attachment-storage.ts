import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
  delete(key: string): Promise<void>;
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

/**
 * Staged uploads: bound to the uploading account, single-use, expiring. The record is a small JSON
 * file beside the bytes (no table: the data model has none for staging); claiming renames it, which
 * is atomic, so two replies can never link the same upload.
 */
export class StagedUploads {
  constructor(readonly storage: AttachmentStorage, private readonly metaDir: string, private readonly now: () => Date = () => new Date()) {}

  private metaPath(id: string, state: 'staged' | 'claimed'): string {
    return join(this.metaDir, `${id}.${state}.json`);
  }

  /** Records an upload whose bytes are already stored under `storageKey`. */
  async record(upload: Omit<StagedUpload, 'id' | 'expiresAt'>): Promise<StagedUpload> {
    await mkdir(this.metaDir, { recursive: true });
    await this.sweepExpired();
    const staged: StagedUpload = { ...upload, id: randomUUID(), expiresAt: new Date(this.now().getTime() + STAGED_UPLOAD_TTL_MS).toISOString() };
    await writeFile(this.metaPath(staged.id, 'staged'), JSON.stringify(staged), { flag: 'wx' });
    return staged;
  }

  /** Deletes expired, never-linked uploads (record and bytes); run opportunistically on each new upload. */
  async sweepExpired(): Promise<number> {
    let swept = 0;
    const names = await readdir(this.metaDir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.staged.json'))) {
      try {
        const upload = JSON.parse(await readFile(join(this.metaDir, name), 'utf8')) as StagedUpload;
        if (new Date(upload.expiresAt).getTime() > this.now().getTime()) continue;
        // claim it first so a reply racing with the sweep cannot link half-deleted bytes
        await rename(join(this.metaDir, name), this.metaPath(upload.id, 'claimed'));
        await this.storage.delete(upload.storageKey);
        await rm(this.metaPath(upload.id, 'claimed'), { force: true });
        swept++;
      } catch {
        // claimed or swept by someone else meanwhile: nothing to do
      }
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
    const claimed: StagedUpload[] = [];
    try {
      for (const [index, id] of ids.entries()) {
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new StagedUploadUnavailableError(index);
        let upload: StagedUpload;
        try {
          upload = JSON.parse(await readFile(this.metaPath(id, 'staged'), 'utf8')) as StagedUpload;
        } catch {
          throw new StagedUploadUnavailableError(index);
        }
        if (upload.accountId !== accountId || new Date(upload.expiresAt).getTime() <= this.now().getTime()) {
          throw new StagedUploadUnavailableError(index);
        }
        try {
          await rename(this.metaPath(id, 'staged'), this.metaPath(id, 'claimed'));
        } catch {
          throw new StagedUploadUnavailableError(index);
        }
        claimed.push(upload);
      }
      return claimed;
    } catch (error) {
      await this.release(claimed);
      throw error;
    }
  }

  /** Puts claimed uploads back (the message was not saved). */
  async release(uploads: readonly StagedUpload[]): Promise<void> {
    for (const u of uploads) await rename(this.metaPath(u.id, 'claimed'), this.metaPath(u.id, 'staged')).catch(() => undefined);
  }

  /** Forgets claimed uploads for good; their bytes now belong to attachments. */
  async finish(uploads: readonly StagedUpload[]): Promise<void> {
    for (const u of uploads) await rm(this.metaPath(u.id, 'claimed'), { force: true });
  }
}
