import {
  Collection,
  Embeddable,
  Embedded,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToMany,
  OneToOne,
  PrimaryKey,
  Property,
  type Ref,
  Unique,
  OptionalProps,
} from '@mikro-orm/core';
import { Account } from './account.entity';
import { Agent } from './agent.entity';
import { Brand } from './brand.entity';
import { Escalation } from './escalation.entity';
import { TicketParticipant } from './ticket-participant.entity';
import { ConferenceCallStatus, ProductArea, SupportLanguage, SupportTopic, TicketKind, TicketStatus } from './enums';

/** Phone request details (CON-7). */
@Embeddable()
export class PhoneDetails {
  /** E.164 number, e.g. +390212345678. */
  @Property({ type: 'string', length: 20 })
  number!: string;

  /** ISO 3166-1 alpha-2 country the user picked. */
  @Property({ type: 'string', length: 2 })
  country!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  extension?: string | null;

  @Property({ type: 'string', length: 320 })
  confirmationEmail!: string;

  @Property({ type: 'boolean' })
  recordingConsent: boolean = true;
}

/** Scheduled conference call details (TKT-4, ENT-3). */
@Embeddable()
export class ConferenceDetails {
  @Property({ type: 'datetime' })
  scheduledAt!: Date;

  @Enum({ items: () => ConferenceCallStatus })
  callStatus: ConferenceCallStatus = ConferenceCallStatus.PENDING;

  @Property({ type: 'string', length: 500, nullable: true })
  meetingUrl?: string | null;

  @Property({ type: 'string', length: 50, nullable: true })
  passcode?: string | null;

  @Property({ type: 'boolean' })
  screenShare: boolean = false;

  /** ENT-3: the user cancelled the call before it was accepted (the ticket is closed with it). */
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;
}

/**
 * A support ticket of one of four kinds. Kind-specific details are embedded columns so that a list
 * of tickets is one query. Participants (submitter included) are rows of `ticket_participant`.
 */
@Entity({ tableName: 'ticket' })
@Index({ properties: ['brand', 'createdAt'] })
@Index({ properties: ['submitter', 'createdAt'] })
@Index({ properties: ['createdAt'] })
@Index({ properties: ['brand', 'lastActivityAt'] })
@Unique({ properties: ['submitter', 'idempotencyKey'] })
export class Ticket {
  [OptionalProps]?: 'status' | 'description' | 'descriptionLanguage' | 'supportLanguage' | 'enterprise' | 'awaitingVerification' | 'createdAt' | 'lastActivityAt' | 'participants';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => TicketKind })
  kind!: TicketKind;

  @Enum({ items: () => TicketStatus })
  status: TicketStatus = TicketStatus.OPEN;

  @Property({ type: 'string', length: 300 })
  subject!: string;

  /** Kept in the language it was submitted in (HIST-6). */
  @Property({ type: 'text' })
  description: string = '';

  /** BCP-47 tag of the language the description was written in. */
  @Property({ type: 'string', length: 35, default: 'en' })
  descriptionLanguage: string = 'en';

  @Enum({ items: () => SupportLanguage, default: SupportLanguage.ENGLISH })
  supportLanguage: SupportLanguage = SupportLanguage.ENGLISH;

  @Enum({ items: () => ProductArea })
  productArea!: ProductArea;

  /** CON-2: the topic picked on the contact page; null for tickets recorded by support, mail or before topics. */
  @Enum({ items: () => SupportTopic, nullable: true })
  topic?: SupportTopic | null;

  @ManyToOne(() => Brand, { ref: true })
  brand!: Ref<Brand>;

  @ManyToOne(() => Account, { ref: true })
  submitter!: Ref<Account>;

  @ManyToOne(() => Agent, { ref: true, nullable: true })
  assignee?: Ref<Agent> | null;

  /** Handled by the Enterprise Support team (ENT-1, ENT-4). */
  @Property({ type: 'boolean', default: false })
  enterprise: boolean = false;

  /** ENT-5: forwarded by the account team; nobody acts on it until the user verifies. */
  @Property({ type: 'boolean', default: false })
  awaitingVerification: boolean = false;

  /** ENT-5: the user's answer when verifying, whether Enterprise Support may access the account. */
  @Property({ type: 'boolean', nullable: true })
  enterpriseAccessAllowed?: boolean | null;

  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date | null;

  /**
   * ENT-4: raised by a seat holder outside Enterprise hours, general support handles it until this
   * instant (the next opening of the Enterprise window), Enterprise Support from then on.
   */
  @Property({ type: 'datetime', nullable: true })
  enterpriseHandoverAt?: Date | null;

  /** Client key that makes a create mutation safe to retry. */
  @Property({ type: 'string', length: 100, nullable: true })
  idempotencyKey?: string | null;

  @Embedded(() => PhoneDetails, { nullable: true, prefix: 'phone_' })
  phone?: PhoneDetails | null;

  @Embedded(() => ConferenceDetails, { nullable: true, prefix: 'conference_' })
  conference?: ConferenceDetails | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Updated by every change a user could see (message, status, escalation, assignment). */
  @Property({ type: 'datetime' })
  lastActivityAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  /** Submitter and associated users; used for filtering, read through loaders. */
  @OneToMany(() => TicketParticipant, (p) => p.ticket)
  participants = new Collection<TicketParticipant>(this);

  /** Inverse side; used for filtering by escalation reference, read through loaders. */
  @OneToOne(() => Escalation, (e) => e.ticket, { nullable: true, ref: true })
  escalation?: Ref<Escalation> | null;
}
