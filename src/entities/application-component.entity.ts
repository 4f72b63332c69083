import { Entity, Enum, Property, OptionalProps } from '@mikro-orm/core';
import { ApplicationComponentKey, ComponentStatus } from './enums';

/** The current state of one product or service on the status page (STAT-1). */
@Entity({ tableName: 'application_component' })
export class ApplicationComponent {
  [OptionalProps]?: 'status' | 'updatedAt';

  @Enum({ items: () => ApplicationComponentKey, primary: true })
  key!: ApplicationComponentKey;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => ComponentStatus })
  status: ComponentStatus = ComponentStatus.OPERATIONAL;

  @Property({ type: 'string', length: 1000, nullable: true })
  message?: string | null;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
