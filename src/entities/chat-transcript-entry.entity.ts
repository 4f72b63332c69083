import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { TranscriptAuthorKind } from './enums';
import { Ticket } from './ticket.entity';

/** One line of a chat ticket's transcript (TKT-5). */
@Entity({ tableName: 'chat_transcript_entry' })
@Index({ properties: ['ticket', 'sentAt'] })
export class ChatTranscriptEntry {
  [OptionalProps]?: 'sentAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => TranscriptAuthorKind })
  authorKind!: TranscriptAuthorKind;

  @Property({ type: 'string', length: 200 })
  authorName!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime' })
  sentAt: Date = new Date();
}
