import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Agent } from './agent.entity';
import { MessageAuthorKind } from './enums';
import { Ticket } from './ticket.entity';

/** One e-mail of a ticket's thread (TKT-2, FUP-1). The body is stored sanitized (FUP-2). */
@Entity({ tableName: 'message' })
@Index({ properties: ['ticket', 'createdAt'] })
@Unique({ properties: ['idempotencyScope', 'idempotencyKey'] })
export class Message {
  [OptionalProps]?: 'recipients' | 'createdAt' | 'emailMessageId' | 'idempotencyScope' | 'idempotencyKey' | 'requestFingerprint';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => MessageAuthorKind })
  authorKind!: MessageAuthorKind;

  @ManyToOne(() => Account, { ref: true, nullable: true })
  authorAccount?: Ref<Account> | null;

  @ManyToOne(() => Agent, { ref: true, nullable: true })
  authorAgent?: Ref<Agent> | null;

  @Property({ type: 'string', length: 300 })
  subject!: string;

  /** Sanitized HTML. */
  @Property({ type: 'text' })
  bodyHtml!: string;

  @Property({ type: 'json' })
  recipients: string[] = [];

  /**
   * CON-10: the RFC 5322 `Message-ID` of this e-mail (ours when sent by the hub, the sender's when it
   * arrived by mail), so replies thread (`In-Reply-To`/`References`) and a mail delivered twice is stored once.
   */
  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  emailMessageId?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Issue 20: whose `idempotencyKey` this is (`account:<id>` or `agent:<id>`), see src/services/idempotency.ts. */
  @Property({ type: 'string', length: 80, nullable: true })
  idempotencyScope?: string | null;

  /** The client's key of the request that wrote this message; a retry with it returns this message. */
  @Property({ type: 'string', length: 100, nullable: true })
  idempotencyKey?: string | null;

  /** A digest of that request's input: the same key with another input is refused, never replayed. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestFingerprint?: string | null;
}
