import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/**
 * Attachment bytes kept in the database (PostgreSQL deployments), so every instance serves every
 * file. Written and read only through `DatabaseAttachmentStorage`; the key is generated, never input.
 */
@Entity({ tableName: 'stored_file' })
export class StoredFile {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'blob', lazy: true })
  content!: Buffer;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
