import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** Vendor support staff. Not a member of any brand; `id` is the token's `sub` with scope `hub:agent`. */
@Entity({ tableName: 'agent' })
export class Agent {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  displayName!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
