import { Field, ID, InputType, Int, InterfaceType, ObjectType } from 'type-graphql';
import {
  ConferenceCallStatus,
  EscalationStatus,
  MessageAuthorKind,
  ParticipantRole,
  ProductArea,
  SupportLanguage,
  TicketKind,
  TicketStatus,
  TranscriptAuthorKind,
} from '../../entities/enums';
import { SupportTeam } from '../../services/support-hours';
import { AuthorKind, EstimateSource, SortDirection, TicketEscalationFilter, TicketOrderField } from './enums';
import { Node, nodeTypeName, PageInfo } from './index-base';

// `simpleResolvers: true` on every output type here: their plain fields are read with graphql-js's
// default resolver instead of type-graphql's middleware wrapper (a list page has ~1,500 such
// fields). None of these fields carries @Authorized or a middleware; FED-1 is applied to the ticket
// types after the build (src/auth/fedramp-ticket-guard.ts) and still wraps every non-receipt field.

@ObjectType('TicketParticipant', { simpleResolvers: true, description: 'A user associated with a ticket.' })
export class TicketParticipantType {
  @Field({ description: 'The username.' })
  username!: string;

  @Field({ description: 'First and last name.' })
  displayName!: string;

  @Field(() => ParticipantRole, { description: 'Submitter, or an additional associated user.' })
  role!: ParticipantRole;
}

@ObjectType('SupportRepresentative', { simpleResolvers: true, description: 'The support agent assigned to a ticket.' })
export class SupportRepresentativeType {
  @Field({ description: "The representative's display name." })
  name!: string;
}

@ObjectType('SupportHandling', { simpleResolvers: true, description: 'Who handles a ticket now, and since when (ENT-4).' })
export class SupportHandlingType {
  @Field(() => SupportTeam, { description: 'The team handling it now.' })
  team!: SupportTeam;

  @Field({ description: 'Since when that team handles it.' })
  since!: Date;

  @Field(() => Date, { nullable: true, description: 'ENT-4: raised outside Enterprise hours by a seat holder: when Enterprise Support takes it over (past or future).' })
  enterpriseHandoverAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The "Enterprise Support" label while that team handles the ticket (ENT-1).' })
  enterpriseSupport!: string | null;
}

@ObjectType('SharedResource', { simpleResolvers: true, description: 'A link to a support resource shared during the interaction (TKT-1).' })
export class SharedResourceType {
  @Field({ description: 'Title of the resource.' })
  title!: string;

  @Field({ description: 'Link to the resource.' })
  url!: string;

  @Field({ description: 'When it was shared.' })
  sharedAt!: Date;
}

@ObjectType('TicketAttachment', { simpleResolvers: true, description: 'A file attached to a message.' })
export class AttachmentType {
  @Field({ description: 'The file name as uploaded.' })
  fileName!: string;

  @Field({ description: 'Media type detected from the content.' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;
}

@ObjectType('MessageAuthor', { simpleResolvers: true, description: 'Who wrote a message or a chat line: the name the ticket shows and the kind of author; nothing else about them.' })
export class MessageAuthorType {
  @Field({ description: "The author's display name: a customer's first and last name (their username when they have none), an agent's display name, the hub's own name for system lines." })
  name!: string;

  @Field(() => AuthorKind, { description: 'Customer, support agent or the hub itself.' })
  kind!: AuthorKind;
}

@ObjectType('TicketMessage', { simpleResolvers: true, implements: Node, description: 'One e-mail of a ticket thread (TKT-2); `node(id)` fetches it again for anyone who may read its ticket.' })
export class MessageType {
  @Field(() => ID, { description: 'Opaque global id; stable: the same message always has the same id.' })
  id!: string;

  @Field(() => MessageAuthorKind, { description: 'Customer or support agent (also `author.kind`).' })
  authorKind!: MessageAuthorKind;

  @Field({ description: 'Subject of the e-mail; replies keep the thread subject (FUP-1).' })
  subject!: string;

  @Field({ description: 'Sanitized HTML body (FUP-2).' })
  bodyHtml!: string;

  @Field(() => [String], { description: 'Recipients of the e-mail.' })
  recipients!: string[];

  @Field({ description: 'When it was sent.' })
  createdAt!: Date;
}

@ObjectType('ChatTranscriptEntry', { simpleResolvers: true, implements: Node, description: 'One line of a chat transcript (TKT-5); `node(id)` fetches it again for anyone who may read its ticket.' })
export class TranscriptEntryType {
  @Field(() => ID, { description: 'Opaque global id; stable: the same line always has the same id.' })
  id!: string;

  @Field(() => MessageAuthorType, { description: 'Who wrote the line.' })
  author!: MessageAuthorType;

  @Field(() => TranscriptAuthorKind, { description: 'Who wrote the line.' })
  authorKind!: TranscriptAuthorKind;

  @Field({ description: 'Display name of the author (also `author.name`).' })
  authorName!: string;

  @Field({ description: 'When it was sent.' })
  sentAt!: Date;
}

@ObjectType('TicketReference', { simpleResolvers: true, description: 'An earlier ticket or escalation a request referred to when it was raised (FUP-5).' })
export class TicketReferenceType {
  @Field(() => Int, { nullable: true, description: 'Number of the referenced ticket.' })
  ticketNumber?: number | null;

  @Field(() => String, { nullable: true, description: 'Id of the referenced escalation, e.g. CP-10442.' })
  escalationReference?: string | null;
}

@ObjectType('EscalationTimelineEntry', { simpleResolvers: true, description: 'A status an escalation reached, and when (ESC-2).' })
export class TimelineEntryType {
  @Field(() => EscalationStatus, { description: 'The status reached.' })
  status!: EscalationStatus;

  @Field({ description: 'When it was reached.' })
  reachedAt!: Date;
}

@ObjectType('EstimatedResolution', { simpleResolvers: true, description: 'An estimated resolution date: never a guarantee (ESC-4).' })
export class EstimatedResolutionType {
  @Field({ description: 'The estimated date; the same on every read (ESC-4), it does not move with the clock.' })
  date!: Date;

  @Field({ description: 'The date has passed and the escalation is still not resolved: show it as overdue (ESC-4).' })
  overdue!: boolean;

  @Field(() => EstimateSource, { description: 'Who or what produced the estimate.' })
  source!: EstimateSource;

  @Field(() => Int, { nullable: true, description: 'For historical estimates: how many resolved escalations it is based on.' })
  basedOnCount?: number | null;

  @Field({ description: 'Always true: the date is an estimate, not a commitment.' })
  isEstimate!: boolean;

  @Field({ description: 'Wording to show beside the date.' })
  disclaimer!: string;
}

@ObjectType('Escalation', { simpleResolvers: true, implements: Node, description: 'A ticket handed to engineering (ESC-1…4).' })
export class EscalationType {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;

  @Field({ description: "Engineering's own id, often starting `CP-` (ESC-2); can be quoted when contacting support (FUP-5)." })
  reference!: string;

  @Field({ description: 'Description of the problem.' })
  problemDescription!: string;

  @Field(() => EscalationStatus, { description: 'Current status (ESC-3).' })
  status!: EscalationStatus;

  @Field({ description: 'When the escalation was submitted.' })
  submittedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was resolved.' })
  resolvedAt?: Date | null;
}

@InterfaceType('Ticket', {
  implements: Node,
  description: 'A support ticket; one of EmailTicket, PhoneTicket, ChatTicket, ConferenceTicket.',
  autoRegisterImplementations: false,
  resolveType: (value: object) => nodeTypeName(value),
})
export abstract class TicketInterface {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;

  @Field(() => Int, { description: 'The ticket number shown to users and quoted when contacting support again (FUP-5).' })
  number!: number;

  @Field({ description: 'Subject line.' })
  subject!: string;

  @Field({ description: 'Description, in the language it was submitted in (HIST-6).' })
  description!: string;

  @Field({ description: 'BCP-47 tag of the language the description was written in.' })
  descriptionLanguage!: string;

  @Field(() => TicketKind, { description: 'How the ticket was raised (HIST-2).' })
  type!: TicketKind;

  @Field(() => TicketStatus, { description: 'OPEN, CLOSED or ESCALATED (HIST-2, ESC-1).' })
  status!: TicketStatus;

  @Field(() => ProductArea, { description: 'Product area of the request.' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { description: 'Language support works the ticket in.' })
  supportLanguage!: SupportLanguage;

  @Field({ description: 'When the ticket was created (UTC).' })
  createdAt!: Date;

  @Field({ description: 'Last activity on the ticket (UTC): the "last updated" date.' })
  lastActivityAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the ticket was closed.' })
  closedAt?: Date | null;
}

@ObjectType('EmailTicket', { simpleResolvers: true, implements: [Node, TicketInterface], description: 'A ticket raised by e-mail; shows the whole thread (TKT-2).' })
export class EmailTicketType {}

@ObjectType('PhoneTicket', { simpleResolvers: true, implements: [Node, TicketInterface], description: 'A phone callback ticket; no transcript, related e-mails only (TKT-3).' })
export class PhoneTicketType {}

@ObjectType('ChatTicket', { simpleResolvers: true, implements: [Node, TicketInterface], description: 'A chat ticket with its transcript (TKT-5).' })
export class ChatTicketType {}

@ObjectType('ConferenceTicket', { simpleResolvers: true, implements: [Node, TicketInterface], description: 'A scheduled conference call (TKT-4).' })
export class ConferenceTicketType {}

@ObjectType('ConferenceCall', { simpleResolvers: true, description: 'Scheduled call details (TKT-4).' })
export class ConferenceCallType {
  @Field({ description: 'The scheduled start (UTC).' })
  scheduledAt!: Date;

  @Field(() => ConferenceCallStatus, { description: 'PENDING until support accepts, then ACCEPTED.' })
  callStatus!: ConferenceCallStatus;

  @Field(() => String, { nullable: true, description: 'Meeting link.' })
  meetingUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Meeting passcode.' })
  passcode?: string | null;

  @Field({ description: 'Screen sharing was requested.' })
  screenShare!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the user cancelled the call (before support accepted it, ENT-3); the ticket is closed.' })
  cancelledAt?: Date | null;
}

@ObjectType('PhoneCallDetails', { simpleResolvers: true, description: 'What the phone request asked for (CON-7).' })
export class PhoneDetailsType {
  @Field({ description: 'E.164 phone number.' })
  number!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country.' })
  country!: string;

  @Field(() => String, { nullable: true, description: 'Extension.' })
  extension?: string | null;

  @Field({ description: 'Where the confirmation e-mail went.' })
  confirmationEmail!: string;

  @Field({ description: 'Consent to call recording.' })
  recordingConsent!: boolean;
}

@ObjectType('TicketEdge', { simpleResolvers: true, description: 'A ticket in a connection.' })
export class TicketEdge {
  @Field({ description: 'Cursor of this edge.' })
  cursor!: string;

  @Field(() => TicketInterface, { description: 'The ticket.' })
  node!: object;
}

@ObjectType('TicketConnection', { simpleResolvers: true, description: 'A page of tickets.' })
export class TicketConnection {
  @Field(() => [TicketEdge], { description: 'The tickets of this page.' })
  edges!: TicketEdge[];

  @Field(() => PageInfo, { description: 'Paging information.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many tickets match, over all pages.' })
  totalCount!: number;
}

@InputType('DateTimeRange', { description: 'A range of instants: `from` inclusive, `to` exclusive; leave either out for an open end. `from` after `to` is BAD_USER_INPUT.' })
export class DateTimeRange {
  @Field(() => Date, { nullable: true, description: 'Start, inclusive (UTC).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'End, exclusive (UTC).' })
  to?: Date | null;
}

@InputType('TicketFilter', { description: 'Narrows a ticket list (HIST-4).' })
export class TicketFilter {
  @Field(() => [TicketStatus], { nullable: true, description: 'Only these statuses.' })
  status?: TicketStatus[] | null;

  @Field(() => [TicketKind], { nullable: true, description: 'Only these types.' })
  type?: TicketKind[] | null;

  @Field(() => String, { nullable: true, description: 'Matches the ticket number, an escalation id (e.g. CP-10442) or words of the subject.' })
  search?: string | null;

  @Field(() => TicketEscalationFilter, { nullable: true, description: 'By escalation: any, none, or the incident history (HIST-8).' })
  escalation?: TicketEscalationFilter | null;

  @Field(() => [EscalationStatus], { nullable: true, description: 'Only tickets whose escalation is in one of these statuses (ESC-3); tickets without an escalation never match.' })
  escalationStatus?: EscalationStatus[] | null;

  @Field(() => DateTimeRange, { nullable: true, description: 'Created in this range.' })
  createdAt?: DateTimeRange | null;

  @Field(() => DateTimeRange, { nullable: true, description: 'Closed in this range; open tickets never match.' })
  closedAt?: DateTimeRange | null;
}

@InputType('TicketOrder', { description: 'Sort order of a ticket list (HIST-4).' })
export class TicketOrder {
  @Field(() => TicketOrderField, { defaultValue: TicketOrderField.CREATED_AT, description: 'Field to sort by.' })
  field: TicketOrderField = TicketOrderField.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'Direction.' })
  direction: SortDirection = SortDirection.DESC;
}
