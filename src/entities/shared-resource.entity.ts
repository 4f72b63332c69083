import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Agent } from './agent.entity';
import { Ticket } from './ticket.entity';

/** A link to a support resource shared during the interaction (TKT-1). */
@Entity({ tableName: 'shared_resource' })
@Index({ properties: ['ticket'] })
export class SharedResource {
  [OptionalProps]?: 'sharedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Property({ type: 'string', length: 300 })
  title!: string;

  @Property({ type: 'string', length: 2000 })
  url!: string;

  @ManyToOne(() => Agent, { ref: true, nullable: true })
  sharedBy?: Ref<Agent> | null;

  @Property({ type: 'datetime' })
  sharedAt: Date = new Date();
}
