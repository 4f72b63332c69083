import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, IsUrl, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { EscalationStatus, TicketStatus, TranscriptAuthorKind } from '../../entities/enums';
import { MessageType, TicketInterface, TranscriptEntryType } from '../types/ticket.types';
import { IdempotentMessageInput } from '../types/idempotency';
import { UserError } from '../types/user-error';

@ObjectType('TicketWorkPayload', { description: 'Result of an agent ticket-work mutation.' })
export class TicketWorkPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket after the change.' })
  ticket?: object | null;

  @Field(() => ID, { nullable: true, description: 'The `eventId` of the TICKET_UPDATED event this mutation recorded; subscribe with `after:` it to get exactly the later changes. Null when it recorded none (a retry with the same `idempotencyKey`, a userError).' })
  eventId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('PostAgentReplyPayload', { description: 'Result of postAgentReply.' })
export class PostAgentReplyPayload extends TicketWorkPayload {
  @Field(() => MessageType, { nullable: true, description: 'The stored e-mail (the first one, on a retry with the same `idempotencyKey`); its `id` is stable.' })
  message?: object | null;
}

@ObjectType('AppendChatTranscriptPayload', { description: 'Result of appendChatTranscript.' })
export class AppendChatTranscriptPayload extends TicketWorkPayload {
  @Field(() => [TranscriptEntryType], { nullable: true, description: 'The stored lines, in order (the first ones, on a retry with the same `idempotencyKey`); their ids are stable.' })
  lines?: object[] | null;
}

@InputType({ description: 'Assign a ticket.' })
export class AssignTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => ID, { nullable: true, description: 'The agent; defaults to the caller.' })
  @IsOptional()
  @Length(1, 64)
  agentId?: string | null;
}

@InputType({ description: 'An agent e-mail in the ticket thread.' })
export class PostAgentReplyInput extends IdempotentMessageInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field({ description: 'HTML body; sanitized before it is stored (FUP-2).' })
  @Length(1, 100_000)
  bodyHtml!: string;

  @Field(() => [String], { nullable: true, description: "Recipients; defaults to the thread's." })
  @IsOptional()
  @IsEmail({}, { each: true })
  @ArrayMaxSize(50)
  recipients?: string[] | null;
}

@InputType({ description: 'A chat transcript line to append.' })
export class TranscriptLineInput {
  @Field(() => TranscriptAuthorKind, { description: 'Who wrote it.' })
  authorKind!: TranscriptAuthorKind;

  @Field({ description: 'Author display name.' })
  @Length(1, 200)
  authorName!: string;

  @Field({ description: 'Text.' })
  @Length(1, 20_000)
  text!: string;
}

@InputType({ description: 'Lines to append to a chat transcript.' })
export class AppendChatTranscriptInput extends IdempotentMessageInput {
  @Field(() => ID, { description: 'The chat ticket.' })
  ticketId!: string;

  @Field(() => [TranscriptLineInput], { description: 'Lines, in order.' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: TranscriptLineInput[];
}

@InputType({ description: 'Set a ticket to OPEN or CLOSED (ESCALATED goes through escalateTicket).' })
export class SetTicketStatusInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => TicketStatus, { description: 'OPEN or CLOSED.' })
  status!: TicketStatus;
}

@InputType({ description: 'Hand a ticket to engineering (ESC-1).' })
export class EscalateTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field({ description: 'Engineering id, e.g. CP-10442.' })
  @Matches(/^[A-Z]{1,10}-\d{1,12}$/)
  reference!: string;

  @Field({ description: 'Problem description.' })
  @Length(1, 20_000)
  problemDescription!: string;

  @Field(() => Date, { nullable: true, description: 'Estimated resolution set by engineering; not guaranteed (ESC-4).' })
  estimatedResolutionAt?: Date | null;
}

@InputType({ description: 'Move an escalation to its next status (ESC-3 order only).' })
export class AdvanceEscalationInput {
  @Field(() => ID, { description: 'The escalated ticket.' })
  ticketId!: string;

  @Field(() => EscalationStatus, { description: 'Must be the status right after the current one.' })
  status!: EscalationStatus;
}

@InputType({ description: 'Accept a scheduled conference call (TKT-4).' })
export class AcceptConferenceCallInput {
  @Field(() => ID, { description: 'The conference ticket.' })
  ticketId!: string;

  @Field(() => String, { nullable: true, description: 'Meeting link.' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  meetingUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Meeting passcode.' })
  @IsOptional()
  @Length(1, 50)
  passcode?: string | null;
}

@InputType({ description: 'Share a support resource on a ticket (TKT-1).' })
export class ShareResourceInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field({ description: 'Title.' })
  @Length(1, 300)
  title!: string;

  @Field({ description: 'Link (http or https).' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  url!: string;
}
