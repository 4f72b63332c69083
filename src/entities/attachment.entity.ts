import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Message } from './message.entity';

/** A file attached to a message (FUP-3); the bytes live in attachment storage under `storageKey`. */
@Entity({ tableName: 'attachment' })
@Index({ properties: ['message'] })
export class Attachment {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Message, { ref: true, deleteRule: 'cascade' })
  message!: Ref<Message>;

  @Property({ type: 'string', length: 255 })
  fileName!: string;

  /** Type detected from the content, not the name. */
  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'string', length: 200 })
  storageKey!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
