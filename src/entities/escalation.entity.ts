import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, Unique, OptionalProps } from '@mikro-orm/core';
import { EscalationStatus, ProductArea } from './enums';
import { Ticket } from './ticket.entity';

/** A ticket handed to engineering (ESC-1…4). One per ticket. */
@Entity({ tableName: 'escalation' })
@Index({ properties: ['productArea', 'status'] })
export class Escalation {
  [OptionalProps]?: 'status' | 'submittedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Ticket, { owner: true, ref: true, unique: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  /** Engineering's own id, often `CP-…` (ESC-2). */
  @Property({ type: 'string', length: 40, unique: true })
  reference!: string;

  @Property({ type: 'text' })
  problemDescription!: string;

  /** Copied from the ticket so estimates over similar escalations need no join. */
  @Enum({ items: () => ProductArea })
  productArea!: ProductArea;

  @Enum({ items: () => EscalationStatus })
  status: EscalationStatus = EscalationStatus.SUBMITTED;

  /** Set by engineering; not guaranteed (ESC-4). */
  @Property({ type: 'datetime', nullable: true })
  estimatedResolutionAt?: Date | null;

  @Property({ type: 'datetime' })
  submittedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;
}

/** The date an escalation reached a status (ESC-2, ESC-3). */
@Entity({ tableName: 'escalation_timeline_entry' })
@Unique({ properties: ['escalation', 'status'] })
export class EscalationTimelineEntry {
  [OptionalProps]?: 'reachedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Escalation, { ref: true, deleteRule: 'cascade' })
  escalation!: Ref<Escalation>;

  @Enum({ items: () => EscalationStatus })
  status!: EscalationStatus;

  @Property({ type: 'datetime' })
  reachedAt: Date = new Date();
}
