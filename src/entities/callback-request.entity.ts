import { Entity, Enum, Index, OneToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { CallbackState, CallOutcome, ProductArea, SupportLanguage } from './enums';
import { Ticket } from './ticket.entity';

/**
 * A phone ticket's place in a callback queue (PHN-1…4). A queue is (language, product area); the
 * position is the rank by `enqueuedAt` among WAITING rows of the same queue.
 */
@Entity({ tableName: 'callback_request' })
@Index({ properties: ['language', 'productArea', 'state', 'enqueuedAt'] })
export class CallbackRequest {
  [OptionalProps]?: 'state' | 'enqueuedAt' | 'englishFallbackOffered';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Ticket, { owner: true, ref: true, unique: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => SupportLanguage })
  language!: SupportLanguage;

  @Enum({ items: () => ProductArea })
  productArea!: ProductArea;

  @Enum({ items: () => CallbackState })
  state: CallbackState = CallbackState.WAITING;

  @Property({ type: 'datetime' })
  enqueuedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  callStartedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  callEndedAt?: Date | null;

  /** PHN-5: how the call ended (set by completeCallback). */
  @Enum({ items: () => CallOutcome, nullable: true })
  outcome?: CallOutcome | null;

  /** PHN-5: when the request left the queue without a call (cancelled by the user, or its ticket closed). */
  @Property({ type: 'datetime', nullable: true })
  leftQueueAt?: Date | null;

  /** The English fallback was offered (PHN-3) and the user's answer, if any. */
  @Property({ type: 'boolean', default: false })
  englishFallbackOffered: boolean = false;

  @Property({ type: 'boolean', nullable: true })
  englishFallbackAccepted?: boolean | null;
}
