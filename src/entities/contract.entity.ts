import { Embeddable, Embedded, Entity, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Brand } from './brand.entity';

/** A contract contact (BILL-5): a person or a shared mailbox with a placeholder name. */
@Embeddable()
export class ContractContact {
  @Property({ type: 'string', length: 100 })
  firstName!: string;

  @Property({ type: 'string', length: 100 })
  lastName!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  /** When the contact was last edited; null when not since the last renewal. */
  @Property({ type: 'datetime', nullable: true })
  updatedAt?: Date | null;
}

/** A brand's contract (BILL-3). Duration in months is derived from the dates. */
@Entity({ tableName: 'contract' })
@Index({ properties: ['brand'] })
export class Contract {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Brand, { ref: true })
  brand!: Ref<Brand>;

  @Property({ type: 'string', length: 50, unique: true })
  number!: string;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date' })
  endDate!: string;

  @Embedded(() => ContractContact, { prefix: 'primary_contact_' })
  primaryContact!: ContractContact;

  @Embedded(() => ContractContact, { prefix: 'billing_contact_' })
  billingContact!: ContractContact;

  /** BILL-6: when contacts were last confirmed; a confirmation counts for the renewal cycle ending at `endDate`. */
  @Property({ type: 'datetime', nullable: true })
  contactsConfirmedAt?: Date | null;

  /** The `endDate` of the cycle the confirmation was given for. */
  @Property({ type: 'date', nullable: true })
  contactsConfirmedForEndDate?: string | null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** Licensed products on a contract (BILL-3). */
@Entity({ tableName: 'license' })
@Index({ properties: ['contract'] })
export class License {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Contract, { ref: true, deleteRule: 'cascade' })
  contract!: Ref<Contract>;

  @Property({ type: 'string', length: 200 })
  product!: string;

  @Property({ type: 'integer' })
  quantity!: number;
}

/** A billing question (BILL-2): handled by billing, not technical support, in English. */
@Entity({ tableName: 'billing_inquiry' })
export class BillingInquiry {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Brand, { ref: true })
  brand!: Ref<Brand>;

  @Property({ type: 'string', length: 64 })
  accountId!: string;

  @ManyToOne(() => Contract, { ref: true, nullable: true })
  contract?: Ref<Contract> | null;

  @Property({ type: 'string', length: 40 })
  topic!: string;

  @Property({ type: 'string', length: 300 })
  subject!: string;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
