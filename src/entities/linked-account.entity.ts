import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Account } from './account.entity';
import { CertificationStatus } from './enums';

/** The account's community profile (LINK-1). */
@Entity({ tableName: 'community_account' })
export class CommunityAccount {
  [OptionalProps]?: 'topicsParticipated';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Account, { owner: true, ref: true, unique: true, deleteRule: 'cascade' })
  account!: Ref<Account>;

  @Property({ type: 'string', length: 100 })
  username!: string;

  @Property({ type: 'string', length: 100 })
  rank!: string;

  @Property({ type: 'datetime' })
  memberSince!: Date;

  @Property({ type: 'integer' })
  topicsParticipated: number = 0;
}

/** A certification in progress or completed (LINK-2). */
@Entity({ tableName: 'certification' })
@Index({ properties: ['account'] })
export class Certification {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Account, { ref: true, deleteRule: 'cascade' })
  account!: Ref<Account>;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => CertificationStatus })
  status!: CertificationStatus;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  certificateUrl?: string | null;
}
