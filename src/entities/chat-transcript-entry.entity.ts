import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps, Unique } from '@mikro-orm/core';
import { TranscriptAuthorKind } from './enums';
import { Ticket } from './ticket.entity';

/** The SYSTEM lines of a chat (CHAT-1, CHAT-2). */
export type ChatSystemNoticeCode = 'AGENT_JOINED' | 'QUEUE_LEFT' | 'ENDED_BY_CUSTOMER' | 'ENDED_BY_AGENT';

export interface ChatSystemNotice {
  code: ChatSystemNoticeCode;
  /** AGENT_JOINED: the display name of the agent who joined. */
  agentName?: string;
}

/** One line of a chat ticket's transcript (TKT-5). */
@Entity({ tableName: 'chat_transcript_entry' })
@Index({ properties: ['ticket', 'sentAt'] })
@Unique({ properties: ['idempotencyScope', 'idempotencyKey', 'idempotencyPosition'] })
export class ChatTranscriptEntry {
  [OptionalProps]?: 'sentAt' | 'systemNotice' | 'idempotencyScope' | 'idempotencyKey' | 'idempotencyPosition' | 'requestFingerprint';

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

  /**
   * LANG-1: what a SYSTEM line says, as a code (and the agent it names), so it is shown in each
   * reader's language; `text` keeps the English wording for exports and older readers.
   */
  @Property({ type: 'json', nullable: true })
  systemNotice?: ChatSystemNotice | null;

  /** Issue 20: whose `idempotencyKey` this is (`account:<id>` or `agent:<id>`), see src/services/idempotency.ts. */
  @Property({ type: 'string', length: 80, nullable: true })
  idempotencyScope?: string | null;

  /** The client's key of the request that sent this line (every line of a batch carries it). */
  @Property({ type: 'string', length: 100, nullable: true })
  idempotencyKey?: string | null;

  /** The line's place in the batch that key sent (0 for a single line). */
  @Property({ type: 'integer', nullable: true })
  idempotencyPosition?: number | null;

  /** A digest of that request's input: the same key with another input is refused, never replayed. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestFingerprint?: string | null;
}
