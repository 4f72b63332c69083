import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import type { Context } from '../context';
import {
  Account,
  Agent,
  ChatParty,
  ChatState,
  ChatTranscriptEntry,
  ConferenceCallStatus,
  ESCALATION_ORDER,
  Escalation,
  EscalationStatus,
  EscalationTimelineEntry,
  Message,
  MessageAuthorKind,
  SharedResource,
  Ticket,
  TicketKind,
  TicketStatus,
  TranscriptAuthorKind,
} from '../entities';
import { ticketUpdated, type DomainEvent, type TicketChange } from '../realtime/events';
import { recordEvents, ticketEventId } from '../realtime/event-log';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import { CallbackQueueService } from './callback-queue.service';
import type { Translate } from '../i18n';
import { ChatService } from './chat.service';
import { idempotencyScope, idempotent, requestFingerprint } from './idempotency';
import { threadOf } from './ticket-followup.service';
import { sanitizeMessageHtml } from './ticket-rules';

const TICKET_FIELD = ['input', 'ticketId'];
/** What an agent tried on a ticket that waits for verification or is closed (the `action` of those messages). */
type WorkAction = 'assigning' | 'replying' | 'status' | 'escalating' | 'call';

/** One line an agent records in a chat transcript (TKT-5). */
export interface TranscriptLine {
  authorKind: TranscriptAuthorKind;
  authorName: string;
  text: string;
}

/** ESC-3: the status after `current`, or null when resolved. */
export function nextEscalationStatus(current: EscalationStatus): EscalationStatus | null {
  const i = ESCALATION_ORDER.indexOf(current);
  return i >= 0 && i < ESCALATION_ORDER.length - 1 ? ESCALATION_ORDER[i + 1] : null;
}

/**
 * Ticket work for support agents (internal schema). Every change bumps the ticket's last activity and,
 * records a TICKET_UPDATED event (in its transaction) naming the kind of change.
 */
/** A ticket after an agent's change, with the `eventId` of the TICKET_UPDATED event it recorded (null: none). */
export interface TicketChanged {
  ticket: Ticket;
  eventId: string | null;
}

export class TicketWorkService {
  constructor(private readonly ctx: Context) {}

  private agentId(): string {
    if (this.ctx.viewer.kind !== 'agent') throw new Error('agent expected');
    return this.ctx.viewer.agentId;
  }

  /**
   * Runs `change` on the ticket in one transaction, bumps lastActivityAt, records in the same transaction
   * the ticket's event, then any events `change` returns, e.g. a queue move (published once committed).
   */
  private async change(
    id: number,
    kind: TicketChange,
    change: (ticket: Ticket, now: Date, em: EntityManager) => Promise<DomainEvent[] | void> | DomainEvent[] | void,
  ): Promise<TicketChanged> {
    const now = this.ctx.now();
    const { ticket, recorded } = await this.ctx.em.transactional(async (em) => {
      const ticket = await em.findOne(Ticket, { id });
      if (!ticket) throw DomainError.input(TICKET_FIELD, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.noSuchTicket'));
      const events = (await change(ticket, now, em)) ?? [];
      ticket.lastActivityAt = now;
      return { ticket, recorded: recordEvents(em, [ticketUpdated(ticket, kind, now), ...events]) };
    });
    return { ticket, eventId: ticketEventId(recorded) };
  }

  /**
   * ENT-5: a ticket forwarded to Enterprise Support waits, untouched, until its user verifies: no
   * reply, assignment, status change or escalation before that.
   */
  private static verified(t: Translate, ticket: Ticket, action: WorkAction): void {
    if (ticket.awaitingVerification) {
      throw DomainError.state(TICKET_FIELD, StateReason.AWAITING_VERIFICATION, t('userError.work.awaitingVerification', { action }));
    }
  }

  private static notClosed(t: Translate, ticket: Ticket, action: WorkAction): void {
    if (ticket.status === TicketStatus.CLOSED) throw DomainError.state(TICKET_FIELD, StateReason.TICKET_CLOSED, t('userError.work.ticketClosed', { action }));
  }

  /** Assigns the ticket to an agent (the caller when `agentId` is omitted). */
  async assign(input: { ticketId: number; agentId?: string | null }): Promise<TicketChanged> {
    const agentId = input.agentId ?? this.agentId();
    // CHAT-1: assigning a waiting chat is an agent joining it (it leaves the queue)
    const chat = new ChatService(this.ctx);
    const session = await chat.sessionOf(input.ticketId);
    if (session?.state === ChatState.WAITING) {
      const agent = await this.ctx.em.findOne(Agent, { id: agentId });
      if (!agent) throw DomainError.input(['input', 'agentId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.work.noAgent', { agentId }));
      const joined = await chat.join(session.ticket.id, agent.id, agent.displayName);
      if (joined) return { ticket: joined.ticket, eventId: joined.eventId };
    }
    return this.change(input.ticketId, 'ASSIGNMENT', async (ticket, _now, em) => {
      TicketWorkService.verified(this.ctx.t, ticket, 'assigning');
      const agent = await em.findOne(Agent, { id: agentId });
      if (!agent) throw DomainError.input(['input', 'agentId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.work.noAgent', { agentId }));
      ticket.assignee = em.getReference(Agent, agent.id) as never;
    });
  }

  /**
   * An agent e-mail in the ticket's thread: same subject, thread recipients unless given; sanitized
   * (FUP-2). Idempotent per (agent, key) like the customer's reply (src/services/idempotency.ts).
   */
  async postReply(input: { ticketId: number; bodyHtml: string; recipients?: string[] | null; idempotencyKey?: string | null }): Promise<TicketChanged & { message: Message }> {
    const scope = idempotencyScope(this.ctx);
    const fingerprint = requestFingerprint({ ticketId: input.ticketId, bodyHtml: input.bodyHtml, recipients: input.recipients ?? null });
    const { result } = await idempotent(this.ctx, {
      key: input.idempotencyKey,
      find: async (em) => {
        const message = await em.findOne(Message, { idempotencyScope: scope, idempotencyKey: input.idempotencyKey });
        return message ? { ticket: await em.findOneOrFail(Ticket, { id: message.ticket.id }), message, eventId: null } : null;
      },
      sameRequest: (stored) => stored.message.requestFingerprint === fingerprint,
      write: () => this.writeReply(input, input.idempotencyKey ? { idempotencyScope: scope, idempotencyKey: input.idempotencyKey, requestFingerprint: fingerprint } : {}),
    });
    return result;
  }

  private async writeReply(input: { ticketId: number; bodyHtml: string; recipients?: string[] | null }, idempotency: Partial<Pick<Message, 'idempotencyScope' | 'idempotencyKey' | 'requestFingerprint'>>): Promise<TicketChanged & { message: Message }> {
    const bodyHtml = sanitizeMessageHtml(input.bodyHtml).trim();
    if (!bodyHtml) throw DomainError.input(['input', 'bodyHtml'], DomainErrorCode.REQUIRED, this.ctx.t('userError.work.emptyReply'));
    let message!: Message;
    const changed = await this.change(input.ticketId, 'MESSAGE', async (ticket, now, em) => {
      TicketWorkService.verified(this.ctx.t, ticket, 'replying');
      TicketWorkService.notClosed(this.ctx.t, ticket, 'replying');
      const messages = await em.find(Message, { ticket: ticket.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const thread = threadOf(ticket, messages);
      const agent = await em.findOneOrFail(Agent, { id: this.agentId() });
      // a ticket without e-mails yet (a phone request, a recorded ticket) starts its thread with the submitter
      const recipients = input.recipients?.length ? input.recipients
        : thread.recipients.length ? thread.recipients
        : [(await em.findOneOrFail(Account, { id: ticket.submitter.id })).email];
      message = em.create(Message, {
        ticket,
        authorKind: MessageAuthorKind.AGENT,
        authorAccount: null,
        authorAgent: agent,
        subject: thread.subject,
        bodyHtml,
        recipients,
        emailMessageId: this.ctx.mailer?.newMessageId(ticket.id) ?? null,
        createdAt: now,
        ...idempotency,
      });
      // CON-10: every support reply is mailed to the thread's recipients
      if (this.ctx.mailer && message.emailMessageId) {
        await this.ctx.mailer.threadMessage(em, {
          ticket,
          subject: thread.subject,
          bodyHtml,
          author: agent.displayName,
          messageId: message.emailMessageId,
          earlier: messages.map((m) => m.emailMessageId).filter((id): id is string => Boolean(id)),
        }, recipients, now);
      }
    });
    return { ...changed, message };
  }

  /**
   * Appends lines to a chat ticket's transcript (TKT-5). On a live chat (CHAT-2) these are the agent's
   * lines: only the agent who joined sends them, AGENT lines only (the customer writes with
   * sendChatMessage), recorded under the agent's own name, with the chat's length and rate limits;
   * both sides see them live. Recorded chats (no live session) take any lines, as before.
   */
  async appendTranscript(input: { ticketId: number; lines: TranscriptLine[]; idempotencyKey?: string | null }): Promise<TicketChanged & { lines: ChatTranscriptEntry[] }> {
    const chat = new ChatService(this.ctx);
    const id = input.ticketId;
    if (await chat.sessionOf(id)) {
      const other = input.lines.findIndex((line) => line.authorKind !== TranscriptAuthorKind.AGENT);
      if (other >= 0) {
        throw DomainError.input(['input', 'lines', String(other), 'authorKind'], DomainErrorCode.INVALID, this.ctx.t('userError.work.agentLinesOnly'));
      }
      const { ticket, lines, eventId } = await chat.send(id, input.lines.map((line) => line.text), ['input', 'lines'], input.idempotencyKey);
      return { ticket, lines, eventId };
    }
    const scope = idempotencyScope(this.ctx);
    const fingerprint = requestFingerprint({ ticketId: id, lines: input.lines.map((l) => [l.authorKind, l.authorName, l.text]) });
    const { result } = await idempotent(this.ctx, {
      key: input.idempotencyKey,
      find: async (em) => {
        const lines = await em.find(ChatTranscriptEntry, { idempotencyScope: scope, idempotencyKey: input.idempotencyKey }, { orderBy: { idempotencyPosition: 'asc' } });
        return lines.length ? { ticket: await em.findOneOrFail(Ticket, { id: lines[0].ticket.id }), lines, eventId: null } : null;
      },
      sameRequest: (stored) => stored.lines[0].requestFingerprint === fingerprint,
      write: async () => {
        let lines: ChatTranscriptEntry[] = [];
        const changed = await this.change(id, 'TRANSCRIPT', (ticket, now, em) => {
          if (ticket.kind !== TicketKind.CHAT) throw DomainError.state(TICKET_FIELD, StateReason.NOT_A_CHAT_TICKET, this.ctx.t('userError.work.notAChat'));
          if (input.lines.length === 0) throw DomainError.input(['input', 'lines'], DomainErrorCode.REQUIRED, this.ctx.t('userError.work.noLines'));
          const keyed = (i: number) => (input.idempotencyKey ? { idempotencyScope: scope, idempotencyKey: input.idempotencyKey, idempotencyPosition: i, requestFingerprint: fingerprint } : {});
          // keep the order of the lines even when they share the instant
          lines = input.lines.map((line, i) => em.create(ChatTranscriptEntry, { ticket, ...line, sentAt: new Date(now.getTime() + i), ...keyed(i) }));
        });
        return { ...changed, lines };
      },
    });
    return result;
  }

  /** OPEN or CLOSED; ESCALATED is reached only through escalateTicket. */
  setStatus(input: { ticketId: number; status: TicketStatus }): Promise<TicketChanged> {
    return this.change(input.ticketId, 'STATUS', async (ticket, now, em) => {
      if (input.status === TicketStatus.ESCALATED) {
        throw DomainError.input(['input', 'status'], DomainErrorCode.INVALID, this.ctx.t('userError.work.useEscalate'));
      }
      TicketWorkService.verified(this.ctx.t, ticket, 'status');
      const closing = input.status === TicketStatus.CLOSED && ticket.status !== TicketStatus.CLOSED;
      ticket.status = input.status;
      ticket.closedAt = input.status === TicketStatus.CLOSED ? (ticket.closedAt ?? now) : null;
      // PHN-5, CHAT-1: a closed request leaves its queue at once; an open chat ends with its ticket
      if (!closing) return [];
      return [...(await CallbackQueueService.closeWithTicket(em, ticket, now)), ...(await ChatService.closeWithTicket(em, ticket, ChatParty.AGENT, now))];
    });
  }

  /** ESC-1: hands the ticket to engineering; the escalation starts SUBMITTED with its timeline entry. */
  async escalate(input: { ticketId: number; reference: string; problemDescription: string; estimatedResolutionAt?: Date | null }): Promise<TicketChanged> {
    try {
      return await this.change(input.ticketId, 'ESCALATION', async (ticket, now, em) => {
        TicketWorkService.verified(this.ctx.t, ticket, 'escalating');
        TicketWorkService.notClosed(this.ctx.t, ticket, 'escalating');
        if (await em.count(Escalation, { ticket: ticket.id })) {
          throw DomainError.state(TICKET_FIELD, StateReason.ALREADY_ESCALATED, this.ctx.t('userError.work.alreadyEscalated'));
        }
        const escalation = em.create(Escalation, {
          ticket,
          reference: input.reference,
          problemDescription: input.problemDescription,
          productArea: ticket.productArea,
          status: EscalationStatus.SUBMITTED,
          estimatedResolutionAt: input.estimatedResolutionAt ?? null,
          submittedAt: now,
          resolvedAt: null,
        });
        em.create(EscalationTimelineEntry, { escalation, status: EscalationStatus.SUBMITTED, reachedAt: now });
        ticket.status = TicketStatus.ESCALATED;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.input(['input', 'reference'], DomainErrorCode.TAKEN, this.ctx.t('userError.work.referenceTaken'));
      }
      throw error;
    }
  }

  /** ESC-3: moves the escalation to exactly the next status, with its timeline entry; RESOLVED sets resolvedAt. */
  advanceEscalation(input: { ticketId: number; status: EscalationStatus }): Promise<TicketChanged> {
    return this.change(input.ticketId, 'ESCALATION', async (ticket, now, em) => {
      const escalation = await em.findOne(Escalation, { ticket: ticket.id });
      if (!escalation) throw DomainError.state(TICKET_FIELD, StateReason.NOT_ESCALATED, this.ctx.t('userError.work.notEscalated'));
      const next = nextEscalationStatus(escalation.status);
      if (next !== input.status) {
        throw DomainError.state(
          ['input', 'status'],
          StateReason.ESCALATION_OUT_OF_ORDER,
          next ? this.ctx.t('userError.work.escalationNext', { status: escalation.status, next }) : this.ctx.t('userError.work.escalationResolved'),
        );
      }
      escalation.status = next;
      if (next === EscalationStatus.RESOLVED) escalation.resolvedAt = now;
      em.create(EscalationTimelineEntry, { escalation, status: next, reachedAt: now });
    });
  }

  /** TKT-4: support accepts a scheduled conference call, optionally setting the meeting link and passcode. */
  acceptConferenceCall(input: { ticketId: number; meetingUrl?: string | null; passcode?: string | null }): Promise<TicketChanged> {
    return this.change(input.ticketId, 'CONFERENCE', (ticket) => {
      if (ticket.kind !== TicketKind.CONFERENCE || !ticket.conference) {
        throw DomainError.state(TICKET_FIELD, StateReason.NOT_A_CONFERENCE_TICKET, this.ctx.t('userError.work.notAConference'));
      }
      if (ticket.conference.callStatus === ConferenceCallStatus.ACCEPTED) {
        throw DomainError.state(TICKET_FIELD, StateReason.CALL_ALREADY_ACCEPTED, this.ctx.t('userError.work.callAccepted'));
      }
      TicketWorkService.notClosed(this.ctx.t, ticket, 'call');
      ticket.conference = {
        ...ticket.conference,
        callStatus: ConferenceCallStatus.ACCEPTED,
        meetingUrl: input.meetingUrl ?? ticket.conference.meetingUrl ?? null,
        passcode: input.passcode ?? ticket.conference.passcode ?? null,
      };
    });
  }

  /** TKT-1: links a support resource to the ticket. */
  shareResource(input: { ticketId: number; title: string; url: string }): Promise<TicketChanged> {
    return this.change(input.ticketId, 'RESOURCE', (ticket, now, em) => {
      em.create(SharedResource, { ticket, title: input.title, url: input.url, sharedBy: em.getReference(Agent, this.agentId()), sharedAt: now });
    });
  }
}
