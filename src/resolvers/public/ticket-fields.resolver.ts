import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { AccountName, EscalationRow, MessageRow } from '../../loaders';
import type { TicketView } from '../../read/tickets';
import { EscalationStatus, ParticipantRole, TicketKind } from '../../entities';
import { estimateResolution, isOverdue } from '../../services/escalation-estimate.service';
import { ChatService } from '../../services/chat.service';
import { supportHandling, type SupportHandling } from '../../services/support-hours';
import { chatSessionView } from '../chat-support';
import { ChatSessionType, type ChatSessionView } from '../types/chat.types';
import { type AuthorKind, EstimateSource } from '../types/enums';
import { toGlobalId } from '../types/node';
import {
  AttachmentType,
  ChatTicketType,
  ConferenceCallType,
  ConferenceTicketType,
  EscalationType,
  EstimatedResolutionType,
  MessageAuthorType,
  MessageType,
  PhoneDetailsType,
  PhoneTicketType,
  SharedResourceType,
  SupportHandlingType,
  SupportRepresentativeType,
  TicketInterface,
  TicketParticipantType,
  TicketReferenceType,
  TimelineEntryType,
  TranscriptEntryType,
} from '../types/ticket.types';
import { Message, type Attachment, type ChatTranscriptEntry } from '../../entities';
import { lineAuthor, lineText, messageAuthor } from '../message-author';


const participantOf = (account: AccountName, role: ParticipantRole): TicketParticipantType => ({
  username: account.username,
  displayName: `${account.firstName} ${account.lastName}`,
  role,
});

/** Fields every ticket kind shares (TKT-1); relations go through the request's loaders. */
@Resolver(() => TicketInterface)
export class TicketFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() ticket: TicketView): string {
    return toGlobalId('Ticket', ticket.id);
  }

  @FieldResolver(() => Int)
  number(@Root() ticket: TicketView): number {
    return ticket.id;
  }

  @FieldResolver(() => TicketKind)
  type(@Root() ticket: TicketView): TicketKind {
    return ticket.kind;
  }

  @FieldResolver(() => String)
  async description(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<string> {
    return ticket.description ?? (await ctx.loaders.ticketDescription.load(ticket.id)) ?? '';
  }

  @FieldResolver(() => TicketParticipantType, { description: 'The user who submitted the ticket.' })
  submitter(@Root() ticket: TicketView, @Ctx() ctx: Context): TicketParticipantType | Promise<TicketParticipantType> {
    const known = ctx.loaders.known.accounts.get(ticket.submitter.id);
    if (known) return participantOf(known, ParticipantRole.SUBMITTER);
    return ctx.loaders.account.load(ticket.submitter.id).then((account) => participantOf(account!, ParticipantRole.SUBMITTER));
  }

  @FieldResolver(() => [TicketParticipantType], { description: 'Every user associated with the ticket, submitter first (HIST-3, TKT-1).' })
  participants(@Root() ticket: TicketView, @Ctx() ctx: Context): TicketParticipantType[] | Promise<TicketParticipantType[]> {
    const { known } = ctx.loaders;
    const rows = known.participantsByTicket.get(ticket.id);
    if (rows && rows.every((row) => known.accounts.has(row.accountId))) {
      return rows.map((row) => participantOf(known.accounts.get(row.accountId)!, row.role));
    }
    return this.loadParticipants(ticket, ctx);
  }

  private async loadParticipants(ticket: TicketView, ctx: Context): Promise<TicketParticipantType[]> {
    const rows = await ctx.loaders.participantsByTicket.load(ticket.id);
    const accounts = await ctx.loaders.account.loadMany(rows.map((p) => p.accountId));
    return rows.flatMap((row, i) => {
      const account = accounts[i];
      if (!account || account instanceof Error) return [];
      return [participantOf(account, row.role)];
    });
  }

  @FieldResolver(() => SupportRepresentativeType, { nullable: true, description: 'The assigned support representative.' })
  assignee(@Root() ticket: TicketView, @Ctx() ctx: Context): SupportRepresentativeType | null | Promise<SupportRepresentativeType | null> {
    if (!ticket.assignee) return null;
    const known = ctx.loaders.known.agents.get(ticket.assignee.id);
    if (known) return { name: known.displayName };
    return ctx.loaders.agent.load(ticket.assignee.id).then((agent) => (agent ? { name: agent.displayName } : null));
  }

  @FieldResolver(() => EscalationType, { nullable: true, description: 'Escalation progress, when the ticket was escalated (ESC-1…4).' })
  escalation(@Root() ticket: TicketView, @Ctx() ctx: Context): EscalationRow | null | Promise<EscalationRow | null> {
    const known = ctx.loaders.known.escalationByTicket;
    if (known.has(ticket.id)) return known.get(ticket.id)!;
    return ctx.loaders.escalationByTicket.load(ticket.id);
  }

  @FieldResolver(() => [SharedResourceType], { description: 'Support resources shared during the interaction (TKT-1).' })
  sharedResources(@Root() ticket: TicketView, @Ctx() ctx: Context) {
    return ctx.loaders.resourcesByTicket.load(ticket.id);
  }

  @FieldResolver(() => [TicketReferenceType], { description: 'Earlier tickets and escalations this request referred to (FUP-5).' })
  async references(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<TicketReferenceType[]> {
    const rows = await ctx.loaders.referencesByTicket.load(ticket.id);
    return Promise.all(
      rows.map(async (row) => ({
        ticketNumber: row.referencedTicket?.id ?? null,
        escalationReference: row.referencedEscalation ? ((await ctx.loaders.escalation.load(row.referencedEscalation.id))?.reference ?? null) : null,
      })),
    );
  }

  @FieldResolver(() => SupportHandlingType, { description: 'Who handles the ticket now and since when; a request handed over to Enterprise Support shows it here (ENT-4).' })
  supportHandling(@Root() ticket: TicketView, @Ctx() ctx: Context): SupportHandling {
    return supportHandling(ticket, ctx.now());
  }

  @FieldResolver(() => [MessageType], { description: 'The e-mail thread (TKT-2) or related e-mails (TKT-3, TKT-5), oldest first.' })
  messages(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<MessageSource[]> {
    return ctx.loaders.messagesByTicket.load(ticket.id);
  }
}

/** A message as a list (read side) or a mutation / `node(id)` (entity) gives it. */
type MessageSource = MessageRow | Message;

const authorIdsOf = (m: MessageSource) =>
  m instanceof Message ? { accountId: m.authorAccount?.id ?? null, agentId: m.authorAgent?.id ?? null } : { accountId: m.authorAccountId, agentId: m.authorAgentId };

@Resolver(() => MessageType)
export class MessageFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() message: MessageSource): string {
    return toGlobalId('TicketMessage', message.id);
  }

  @FieldResolver(() => MessageAuthorType, { description: 'Who wrote it: the name the ticket shows and the kind of author.' })
  async author(@Root() message: MessageSource, @Ctx() ctx: Context): Promise<MessageAuthorType> {
    const { accountId, agentId } = authorIdsOf(message);
    return messageAuthor(ctx, message.authorKind as unknown as AuthorKind, accountId ? await ctx.loaders.account.load(accountId) : null, agentId ? await ctx.loaders.agent.load(agentId) : null);
  }

  @FieldResolver(() => [AttachmentType], { description: 'Attached files.' })
  attachments(@Root() message: MessageRow, @Ctx() ctx: Context) {
    return ctx.loaders.attachmentsByMessage.load(message.id);
  }
}

@Resolver(() => AttachmentType)
export class AttachmentFieldsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'FUP-6: a short-lived signed link (see ATTACHMENT_URL_TTL_SECONDS, 5 minutes by default) that downloads the file for the viewer it was issued to, as long as they may still read the ticket. Served as a download (`Content-Disposition: attachment`), never as a page. Fetch the ticket again for a fresh link.',
  })
  url(@Root() attachment: Attachment, @Ctx() ctx: Context): Promise<string | null> | null {
    return ctx.attachmentLinks?.urlFor(attachment.id, ctx.viewer, ctx.now()) ?? null;
  }
}

@Resolver(() => PhoneTicketType)
export class PhoneTicketResolver {
  @FieldResolver(() => PhoneDetailsType, { nullable: true, description: 'What the phone request asked for.' })
  phoneCall(@Root() ticket: TicketView) {
    return ticket.phone ?? null;
  }
}

@Resolver(() => ChatTicketType)
export class ChatTicketResolver {
  @FieldResolver(() => ChatSessionType, { nullable: true, description: 'The live chat: queue position while waiting, the agent who joined, how it ended (CHAT-1, CHAT-2); null for chats recorded after the fact.' })
  async chat(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<ChatSessionView | null> {
    const session = await new ChatService(ctx).sessionOf(ticket.id);
    return session ? chatSessionView(ctx, session) : null;
  }

  @FieldResolver(() => [TranscriptEntryType], { description: 'The chat transcript, oldest line first (TKT-5).' })
  transcript(@Root() ticket: TicketView, @Ctx() ctx: Context) {
    return ctx.loaders.transcriptByTicket.load(ticket.id);
  }
}

@Resolver(() => ConferenceTicketType)
export class ConferenceTicketResolver {
  @FieldResolver(() => ConferenceCallType, { nullable: true, description: 'Scheduled time, call status, meeting link and passcode (TKT-4).' })
  conferenceCall(@Root() ticket: TicketView) {
    return ticket.conference ?? null;
  }
}

@Resolver(() => TranscriptEntryType)
export class TranscriptEntryFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() line: ChatTranscriptEntry): string {
    return toGlobalId('ChatTranscriptEntry', line.id);
  }

  @FieldResolver(() => MessageAuthorType, { description: 'Who wrote the line: the name recorded with it and the kind of author.' })
  author(@Root() line: ChatTranscriptEntry, @Ctx() ctx: Context): MessageAuthorType {
    return lineAuthor(ctx, line);
  }

  @FieldResolver(() => String, { description: "The text: what its author wrote, or for the hub's own lines (agent joined, chat ended) a notice in the answer's language." })
  text(@Root() line: ChatTranscriptEntry, @Ctx() ctx: Context): string {
    return lineText(ctx, line);
  }
}

@Resolver(() => EscalationType)
export class EscalationFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() escalation: EscalationRow): string {
    return toGlobalId('Escalation', escalation.id);
  }

  @FieldResolver(() => [TimelineEntryType], { description: 'Statuses reached so far, in order, each with its date (ESC-2, ESC-3).' })
  timeline(@Root() escalation: EscalationRow, @Ctx() ctx: Context) {
    return ctx.loaders.timelineByEscalation.load(escalation.id);
  }

  @FieldResolver(() => EstimatedResolutionType, {
    nullable: true,
    description: 'Before RESOLVED: the date set by engineering, else an estimate from similar escalations; null when resolved or without history (ESC-4).',
  })
  async estimatedResolution(@Root() escalation: EscalationRow, @Ctx() ctx: Context): Promise<EstimatedResolutionType | null> {
    if (escalation.status === EscalationStatus.RESOLVED) return null;
    if (escalation.estimatedResolutionAt) {
      const overdue = isOverdue(escalation.estimatedResolutionAt, ctx.now());
      const disclaimer = ctx.t(overdue ? 'escalation.disclaimer.engineeringOverdue' : 'escalation.disclaimer.engineering');
      return { date: escalation.estimatedResolutionAt, overdue, source: EstimateSource.ENGINEERING, basedOnCount: null, isEstimate: true, disclaimer };
    }
    const stats = await ctx.loaders.resolutionStats.load(escalation.productArea);
    const estimate = estimateResolution(escalation.submittedAt, stats, ctx.now());
    if (!estimate || !stats) return null;
    return {
      date: estimate.date,
      overdue: estimate.overdue,
      source: EstimateSource.HISTORICAL_ESTIMATE,
      basedOnCount: stats.count,
      isEstimate: true,
      disclaimer: ctx.t(estimate.overdue ? 'escalation.disclaimer.historicalOverdue' : 'escalation.disclaimer.historical', { count: stats.count }),
    };
  }
}
