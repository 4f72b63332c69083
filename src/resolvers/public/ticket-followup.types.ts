import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ProxyAccessSource, TicketActionRefusal } from '../../auth/ticket-actions';
import { MessageType, TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';
import { IdempotentMessageInput } from '../types/idempotency';

registerEnumType(TicketActionRefusal, {
  name: 'TicketActionRefusal',
  description: 'Why the viewer cannot act on a ticket (also `extensions.reason` of FORBIDDEN errors).',
  valuesConfig: {
    NOT_A_CUSTOMER: { description: 'Only customer accounts act on their tickets.' },
    FEDRAMP_RESTRICTED: { description: 'FedRAMP accounts have no ticket history (FED-1).' },
    NOT_TICKET_OWNER: { description: 'Only the submitter (and, for replies, their brand administrators) may do this.' },
    NOT_TICKET_PARTICIPANT: { description: 'Only users associated with the ticket may do this.' },
    TICKET_CLOSED: { description: 'The ticket is closed (FUP-4, CLS-2).' },
    TICKET_NOT_CLOSED: { description: 'Feedback is left once the ticket is closed (CLS-3).' },
    NO_EMAIL_THREAD: { description: 'The ticket has no e-mail thread to reply to (FUP-1).' },
    FEEDBACK_ALREADY_RECEIVED: { description: 'Feedback was already left (CLS-3).' },
  },
});
registerEnumType(ProxyAccessSource, {
  name: 'ProxyAccessSource',
  description: 'Where an effective proxy-access value comes from (PRX-3).',
  valuesConfig: {
    TICKET_OVERRIDE: { description: "Set on this ticket by the user; overrides the account's default." },
    ACCOUNT_DEFAULT: { description: 'The account-level "grant support access" setting.' },
    ENTERPRISE_VERIFICATION: { description: 'The answer the user gave when verifying a ticket forwarded to Enterprise Support (ENT-5); a later per-ticket setting overrides it.' },
  },
});

@ObjectType('TicketFeedback', { description: 'Feedback left on a closed ticket (CLS-3).' })
export class TicketFeedbackType {
  @Field(() => Int, { description: 'Rating from 1 (poor) to 5 (excellent).' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Optional comment.' })
  comment?: string | null;

  @Field({ description: 'When the feedback was left.' })
  createdAt!: Date;
}

@ObjectType('ProxyAccessChange', { description: 'A grant or revoke of support proxy access, and when (PRX-4).' })
export class ProxyAccessChangeType {
  @Field({ description: 'True for a grant, false for a revoke.' })
  granted!: boolean;

  @Field({ description: 'When it was set.' })
  changedAt!: Date;
}

@ObjectType('TicketProxyAccess', { description: "Support's permission to log into the viewer's own account for this ticket (PRX-1…4)." })
export class TicketProxyAccessType {
  @Field({ description: 'Whether support may start a proxy session now.' })
  granted!: boolean;

  @Field(() => ProxyAccessSource, { description: 'Ticket override or account default (PRX-3).' })
  source!: ProxyAccessSource;

  @Field(() => [ProxyAccessChangeType], { description: "The viewer's grants and revokes on this ticket, oldest first (PRX-4)." })
  history!: ProxyAccessChangeType[];
}

@InputType('ReplyToTicketInput', { description: 'A reply joining the ticket thread (FUP-1).' })
export class ReplyToTicketInput extends IdempotentMessageInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field({ description: 'Rich text (bold, links, lists); sanitized before it is stored (FUP-2).' })
  bodyHtml!: string;

  @Field(() => [ID], { nullable: true, description: 'Upload ids from `POST /uploads`, at most 5 (FUP-3).' })
  attachmentIds?: string[] | null;
}

@ObjectType('ReplyToTicketPayload', { description: 'Result of replyToTicket.' })
export class ReplyToTicketPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket, with the reply in its thread.' })
  ticket?: object | null;

  @Field(() => MessageType, { nullable: true, description: 'The stored reply (the first one, on a retry with the same `idempotencyKey`); its `id` is stable.' })
  message?: object | null;

  @Field(() => ID, { nullable: true, description: 'The `eventId` of the TICKET_UPDATED event this mutation recorded; subscribe with `after:` it to get exactly the later changes. Null when it recorded none (a retry with the same `idempotencyKey`, a userError).' })
  eventId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType('CloseTicketInput', { description: 'Close a ticket (CLS-1).' })
export class CloseTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;
}

@ObjectType('CloseTicketPayload', { description: 'Result of closeTicket.' })
export class CloseTicketPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The closed ticket.' })
  ticket?: object | null;

  @Field(() => ID, { nullable: true, description: 'The `eventId` of the TICKET_UPDATED event this mutation recorded; subscribe with `after:` it to get exactly the later changes. Null when it recorded none (a userError).' })
  eventId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType('LeaveTicketFeedbackInput', { description: 'Feedback on a closed ticket, once (CLS-3).' })
export class LeaveTicketFeedbackInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => Int, { description: 'From 1 (poor) to 5 (excellent).' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Optional comment, at most 2000 characters.' })
  comment?: string | null;
}

@ObjectType('LeaveTicketFeedbackPayload', { description: 'Result of leaveTicketFeedback.' })
export class LeaveTicketFeedbackPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket, now in its thank-you state.' })
  ticket?: object | null;

  @Field(() => TicketFeedbackType, { nullable: true, description: 'The feedback stored.' })
  feedback?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType('SetTicketProxyAccessInput', { description: "Grant or revoke support's proxy access to the viewer's own account for one ticket (PRX-1, PRX-2)." })
export class SetTicketProxyAccessInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field({ description: 'True to grant, false to revoke. Revoking does not end a session already running (PRX-4).' })
  granted!: boolean;
}

@ObjectType('SetTicketProxyAccessPayload', { description: 'Result of setTicketProxyAccess.' })
export class SetTicketProxyAccessPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket; read `proxyAccess` for the effective value.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
