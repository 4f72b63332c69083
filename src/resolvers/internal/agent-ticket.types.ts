import { ArrayMaxSize, IsEmail, IsOptional, IsUrl, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import {
  EscalationStatus,
  MessageAuthorKind,
  ProductArea,
  SupportLanguage,
  TicketKind,
  TicketStatus,
  TranscriptAuthorKind,
  ConferenceCallStatus,
} from '../../entities/enums';
import { TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';

@InputType({ description: 'An e-mail of the thread.' })
export class SeedMessageInput {
  @Field(() => MessageAuthorKind, { description: 'Customer or agent.' })
  authorKind!: MessageAuthorKind;

  @Field(() => String, { nullable: true, description: 'Subject; defaults to the ticket subject.' })
  @IsOptional()
  @Length(1, 300)
  subject?: string | null;

  @Field({ description: 'HTML body; sanitized before it is stored.' })
  @Length(1, 100_000)
  bodyHtml!: string;

  @Field(() => [String], { nullable: true, description: 'Recipients.' })
  @IsOptional()
  @IsEmail({}, { each: true })
  recipients?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Sent at; defaults to now.' })
  createdAt?: Date | null;
}

@InputType({ description: 'A chat transcript line.' })
export class SeedTranscriptInput {
  @Field(() => TranscriptAuthorKind, { description: 'Who wrote it.' })
  authorKind!: TranscriptAuthorKind;

  @Field({ description: 'Author display name.' })
  @Length(1, 200)
  authorName!: string;

  @Field({ description: 'Text.' })
  @Length(1, 20_000)
  text!: string;

  @Field(() => Date, { nullable: true, description: 'Sent at; defaults to now.' })
  sentAt?: Date | null;
}

@InputType({ description: 'Phone request details.' })
export class SeedPhoneInput {
  @Field({ description: 'E.164 number.' })
  @Matches(/^\+[1-9]\d{6,14}$/)
  number!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country.' })
  @Matches(/^[A-Z]{2}$/)
  country!: string;

  @Field(() => String, { nullable: true, description: 'Extension.' })
  @IsOptional()
  @Matches(/^\d{1,10}$/)
  extension?: string | null;

  @Field({ description: 'Confirmation e-mail.' })
  @IsEmail()
  confirmationEmail!: string;

  @Field({ defaultValue: true, description: 'Consent to call recording.' })
  recordingConsent!: boolean;
}

@InputType({ description: 'Conference call details.' })
export class SeedConferenceInput {
  @Field({ description: 'Scheduled start.' })
  scheduledAt!: Date;

  @Field(() => ConferenceCallStatus, { defaultValue: ConferenceCallStatus.PENDING, description: 'Call status.' })
  callStatus!: ConferenceCallStatus;

  @Field(() => String, { nullable: true, description: 'Meeting link.' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  meetingUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Passcode.' })
  @IsOptional()
  @Length(1, 50)
  passcode?: string | null;

  @Field({ defaultValue: false, description: 'Screen share requested.' })
  screenShare!: boolean;
}

@InputType({ description: 'A timeline entry.' })
export class SeedTimelineInput {
  @Field(() => EscalationStatus, { description: 'Status reached.' })
  status!: EscalationStatus;

  @Field({ description: 'When.' })
  reachedAt!: Date;
}

@InputType({ description: 'An escalation with its timeline.' })
export class SeedEscalationInput {
  @Field({ description: 'Engineering id, e.g. CP-10442.' })
  @Matches(/^[A-Z]{1,10}-\d{1,12}$/)
  reference!: string;

  @Field({ description: 'Problem description.' })
  @Length(1, 20_000)
  problemDescription!: string;

  @Field(() => [SeedTimelineInput], { description: 'Statuses reached, in ESC-3 order; the last is the current status.' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(5)
  timeline!: SeedTimelineInput[];

  @Field(() => Date, { nullable: true, description: 'Estimated resolution set by engineering.' })
  estimatedResolutionAt?: Date | null;
}

@InputType({ description: 'A shared support resource.' })
export class SeedResourceInput {
  @Field({ description: 'Title.' })
  @Length(1, 300)
  title!: string;

  @Field({ description: 'Link.' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  url!: string;
}

@InputType({ description: 'Record a ticket of any kind, with its details (agents; also how tests build situations).' })
export class RecordTicketInput {
  @Field(() => TicketKind, { description: 'Kind.' })
  kind!: TicketKind;

  @Field(() => ID, { description: 'Submitting account id.' })
  @Length(1, 64)
  submitterId!: string;

  @Field(() => [ID], { nullable: true, description: 'Additional associated account ids (same brand).' })
  @IsOptional()
  @ArrayMaxSize(50)
  participantIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Subject; defaults per HIST-7.' })
  @IsOptional()
  @Length(1, 300)
  subject?: string | null;

  @Field({ defaultValue: '', description: 'Description, stored as written (HIST-6).' })
  @Length(0, 50_000)
  description!: string;

  @Field({ defaultValue: 'en', description: 'Language the description is written in (BCP-47).' })
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
  descriptionLanguage!: string;

  @Field(() => ProductArea, { description: 'Product area.' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { defaultValue: SupportLanguage.ENGLISH, description: 'Support language.' })
  supportLanguage!: SupportLanguage;

  @Field(() => TicketStatus, { defaultValue: TicketStatus.OPEN, description: 'Status; ESCALATED needs `escalation`.' })
  status!: TicketStatus;

  @Field(() => Date, { nullable: true, description: 'Created at (for imported history); defaults to now.' })
  createdAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Assigned agent id.' })
  @IsOptional()
  @Length(1, 64)
  assigneeId?: string | null;

  @Field(() => [SeedMessageInput], { nullable: true, description: 'E-mail thread.' })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(200)
  messages?: SeedMessageInput[] | null;

  @Field(() => [SeedTranscriptInput], { nullable: true, description: 'Chat transcript (chat tickets).' })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(1000)
  transcript?: SeedTranscriptInput[] | null;

  @Field(() => SeedPhoneInput, { nullable: true, description: 'Phone details (phone tickets).' })
  @IsOptional()
  @ValidateNested()
  phone?: SeedPhoneInput | null;

  @Field(() => SeedConferenceInput, { nullable: true, description: 'Conference details (conference tickets).' })
  @IsOptional()
  @ValidateNested()
  conference?: SeedConferenceInput | null;

  @Field(() => [SeedResourceInput], { nullable: true, description: 'Shared resources.' })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(100)
  sharedResources?: SeedResourceInput[] | null;

  @Field(() => SeedEscalationInput, { nullable: true, description: 'Escalation with timeline.' })
  @IsOptional()
  @ValidateNested()
  escalation?: SeedEscalationInput | null;
}

@ObjectType({ description: 'Result of recordTicket.' })
export class RecordTicketPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
