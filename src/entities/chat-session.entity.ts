import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Agent } from './agent.entity';
import { ChatParty, ChatState, ProductArea, SupportLanguage } from './enums';
import { Ticket } from './ticket.entity';

/**
 * A chat ticket's live conversation (CHAT-1, CHAT-2): its place in the (language, product area) chat
 * queue while WAITING, the agent who joined, and how it ended. The lines are `chat_transcript_entry`
 * rows of the ticket.
 */
@Entity({ tableName: 'chat_session' })
@Index({ properties: ['language', 'productArea', 'state', 'enqueuedAt'] })
export class ChatSession {
  [OptionalProps]?: 'state' | 'enqueuedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Ticket, { owner: true, ref: true, unique: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => SupportLanguage })
  language!: SupportLanguage;

  @Enum({ items: () => ProductArea })
  productArea!: ProductArea;

  @Enum({ items: () => ChatState })
  state: ChatState = ChatState.WAITING;

  @Property({ type: 'datetime' })
  enqueuedAt: Date = new Date();

  @ManyToOne(() => Agent, { ref: true, nullable: true })
  agent?: Ref<Agent> | null;

  @Property({ type: 'datetime', nullable: true })
  joinedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Enum({ items: () => ChatParty, nullable: true })
  endedBy?: ChatParty | null;
}
