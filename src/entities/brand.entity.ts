import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** A customer organization (license). Provisioned by the integration. */
@Entity({ tableName: 'brand' })
export class Brand {
  [OptionalProps]?: 'fedramp' | 'successPackage' | 'billingContactEditing' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** FedRAMP brands carry the FED restrictions for every account. */
  @Property({ type: 'boolean', default: false })
  fedramp: boolean = false;

  /** A success package grants up to five Enterprise Support seats (ENT-1) and conference calls (ENT-3). */
  @Property({ type: 'boolean', default: false })
  successPackage: boolean = false;

  /** BILL-7: whether primary/billing contacts can be edited from the hub. */
  @Property({ type: 'boolean', default: false })
  billingContactEditing: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
