import { Entity, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/**
 * A file uploaded ahead of the message that links it (FUP-3): bound to the uploading account,
 * single-use (claimed by setting `claimedAt` in one conditional update), expiring. In the database
 * so that an upload through one instance can be linked by a reply through another.
 */
@Entity({ tableName: 'staged_upload' })
@Index({ properties: ['expiresAt'] })
export class StagedUploadRecord {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 64 })
  accountId!: string;

  @Property({ type: 'string', length: 255 })
  fileName!: string;

  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'string', length: 200 })
  storageKey!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  claimedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
