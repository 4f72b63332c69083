import { Entity, Enum, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { EmailPreferenceCategory } from './enums';

/** Subscription state per e-mail address (PREF-4), one row per category. */
@Entity({ tableName: 'email_preference' })
export class EmailPreference {
  [OptionalProps]?: 'subscribed' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 320 })
  email!: string;

  @Enum({ items: () => EmailPreferenceCategory, primary: true })
  category!: EmailPreferenceCategory;

  @Property({ type: 'boolean' })
  subscribed: boolean = true;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}

/** A saved change that takes effect later (PREF-5); applied exactly once by the preference job. */
@Entity({ tableName: 'pending_preference_change' })
@Index({ properties: ['email', 'appliedAt'] })
@Index({ properties: ['effectiveAt', 'appliedAt'] })
export class PendingPreferenceChange {
  [OptionalProps]?: 'source' | 'requestedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Enum({ items: () => EmailPreferenceCategory })
  category!: EmailPreferenceCategory;

  @Property({ type: 'boolean' })
  subscribed!: boolean;

  /** `HUB` when saved in the hub, `MANAGE_LINK` from the link in a success e-mail (PREF-6). */
  @Property({ type: 'string', length: 20 })
  source: string = 'HUB';

  @Property({ type: 'datetime' })
  requestedAt: Date = new Date();

  @Property({ type: 'datetime' })
  effectiveAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  appliedAt?: Date | null;
}
