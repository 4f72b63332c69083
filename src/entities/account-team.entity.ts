import { Entity, OneToOne, PrimaryKeyProp, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Brand } from './brand.entity';

/** A brand's vendor-side account team (ACC-2): success manager and account executive, or an intake form. */
@Entity({ tableName: 'account_team' })
export class AccountTeam {
  [OptionalProps]?: 'updatedAt';

  [PrimaryKeyProp]?: 'brand';

  @OneToOne(() => Brand, { primary: true, owner: true, ref: true })
  brand!: Ref<Brand>;

  @Property({ type: 'string', length: 200, nullable: true })
  successManagerName?: string | null;

  @Property({ type: 'string', length: 320, nullable: true })
  successManagerEmail?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  successManagerPhone?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  accountExecutiveName?: string | null;

  @Property({ type: 'string', length: 320, nullable: true })
  accountExecutiveEmail?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  accountExecutivePhone?: string | null;

  /** Shown instead of a success manager when the organization has none. */
  @Property({ type: 'string', length: 500, nullable: true })
  intakeFormUrl?: string | null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
