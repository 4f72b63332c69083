import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Brand } from './brand.entity';
import { AccountType, BrandRole } from './enums';

/** A hub user. `id` is the token's `sub`. Role, brand and FedRAMP status live here, never in tokens. */
@Entity({ tableName: 'account' })
@Index({ properties: ['brand', 'role'] })
export class Account {
  [OptionalProps]?: 'language' | 'accountType' | 'role' | 'supportAccessGranted' | 'enterpriseSeat' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @ManyToOne(() => Brand, { ref: true })
  brand!: Ref<Brand>;

  @Property({ type: 'string', length: 100, unique: true })
  username!: string;

  @Property({ type: 'string', length: 320 })
  @Index()
  email!: string;

  @Property({ type: 'string', length: 100 })
  firstName!: string;

  @Property({ type: 'string', length: 100 })
  lastName!: string;

  /** BCP-47 tag of the preferred language, e.g. `en`, `de-DE`. */
  @Property({ type: 'string', length: 35, default: 'en' })
  language: string = 'en';

  @Enum({ items: () => AccountType, default: AccountType.SELF_SERVICE })
  accountType: AccountType = AccountType.SELF_SERVICE;

  @Enum({ items: () => BrandRole, default: BrandRole.STANDARD })
  role: BrandRole = BrandRole.STANDARD;

  /** Contact phone shown to the brand's users when this account is a brand admin (ACC-2). */
  @Property({ type: 'string', length: 40, nullable: true })
  contactPhone?: string | null;

  /** Account-level "grant support access" default (PRX-3). */
  @Property({ type: 'boolean', default: false })
  supportAccessGranted: boolean = false;

  /** Holds one of the brand's Enterprise Support seats (ENT-1). */
  @Property({ type: 'boolean', default: false })
  enterpriseSeat: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
