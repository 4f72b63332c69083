import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  canClose,
  canLeaveFeedback,
  canReply,
  canSetProxyAccess,
  effectiveProxyAccess,
  isAuthorizationRefusal,
  TicketActionRefusal,
  type ActionDecision,
  type TicketActionFacts,
} from '../auth/ticket-actions';
import type { Context } from '../context';
import type { MessageKey } from '../i18n';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import type { TicketView } from '../read/tickets';
import { Account, Attachment, ChatParty, type EventLogEntry, Message, MessageAuthorKind, ProxyAccessChange, Ticket, TicketFeedback, TicketStatus } from '../entities';
import { CallbackQueueService } from './callback-queue.service';
import { idempotencyScope, idempotent, requestFingerprint } from './idempotency';
import { ChatService } from './chat.service';
import { ticketUpdated, type TicketChange } from '../realtime/events';
import { recordEvent, recordEvents, ticketEventId } from '../realtime/event-log';
import { MAX_ATTACHMENTS_PER_MESSAGE, StagedUploadUnavailableError, type StagedUpload } from './attachment-storage';
import { TicketQueryService } from './ticket-query.service';
import { sanitizeMessageHtml } from './ticket-rules';

export const MAX_FEEDBACK_COMMENT = 2000;
export const MAX_REPLY_HTML = 100_000;

const TICKET_FIELD = ['input', 'ticketId'];

/** The ticket-state refusals of the action rules: the reason of their INVALID_STATE problem, and its catalog text. */
const STATE_REFUSALS: Partial<Record<TicketActionRefusal, { reason: StateReason; key: MessageKey }>> = {
  [TicketActionRefusal.TICKET_CLOSED]: { reason: StateReason.TICKET_CLOSED, key: 'userError.ticketState.TICKET_CLOSED' },
  [TicketActionRefusal.TICKET_NOT_CLOSED]: { reason: StateReason.TICKET_NOT_CLOSED, key: 'userError.ticketState.TICKET_NOT_CLOSED' },
  [TicketActionRefusal.NO_EMAIL_THREAD]: { reason: StateReason.NO_EMAIL_THREAD, key: 'userError.ticketState.NO_EMAIL_THREAD' },
  [TicketActionRefusal.FEEDBACK_ALREADY_RECEIVED]: { reason: StateReason.FEEDBACK_ALREADY_RECEIVED, key: 'userError.ticketState.FEEDBACK_ALREADY_RECEIVED' },
};

/**
 * Turns a refused decision into a domain error: who-you-are refusals are FORBIDDEN with the reason
 * (its text given at the boundary, `error.FORBIDDEN.<REASON>`); ticket-state refusals are
 * INVALID_STATE on the ticket id with the same reason, the rule's English text and the reason's
 * catalog text for other languages.
 */
export function enforceDecision(decision: ActionDecision): void {
  if (decision.allowed) return;
  const state = STATE_REFUSALS[decision.reason];
  if (isAuthorizationRefusal(decision.reason) || !state) throw DomainError.forbidden(decision.reason, decision.message);
  throw DomainError.refusal(TICKET_FIELD, state.reason, decision.message, state.key);
}

/** The thread's subject (its first e-mail's) and recipients (every address seen in it, first-seen order). */
export function threadOf(ticket: Ticket, messages: readonly Message[]): { subject: string; recipients: string[] } {
  const seen = new Map<string, string>();
  for (const m of messages) for (const r of m.recipients) if (!seen.has(r.toLowerCase())) seen.set(r.toLowerCase(), r);
  return { subject: messages[0]?.subject ?? ticket.subject, recipients: [...seen.values()] };
}

export interface ReplyInput {
  ticketId: number;
  bodyHtml: string;
  attachmentIds?: string[] | null;
  /** Set when the reply arrived by e-mail (CON-10): the sender's `Message-ID`, so a mail delivered twice is stored once. */
  emailMessageId?: string | null;
  /** Issue 20: the client's key; a retry with it returns the first reply instead of posting another. */
  idempotencyKey?: string | null;
}

/**
 * The customer's side of working a ticket: replying (FUP-1…4), closing (CLS-1), feedback (CLS-3) and
 * proxy access (PRX-1…4). Every rule is a function in `src/auth/ticket-actions.ts`; this service
 * gathers the facts, applies the decision, writes in one transaction with its events (the event log).
 */
export class TicketFollowupService {
  private readonly query: TicketQueryService;

  constructor(private readonly ctx: Context) {
    this.query = new TicketQueryService(ctx);
  }

  /** The facts every action rule needs, through loaders. */
  async facts(ticket: TicketView): Promise<TicketActionFacts> {
    const { loaders } = this.ctx;
    const [access, messageCount, feedback] = await Promise.all([
      this.query.accessFacts(ticket),
      loaders.messageCount.load(ticket.id),
      loaders.feedback.load(ticket.id),
    ]);
    return { ...access, kind: ticket.kind, status: ticket.status, messageCount, hasFeedback: feedback !== null };
  }

  /** A ticket the viewer can read, or a NOT_FOUND problem (unknown and unreadable look the same). */
  private async readable(id: number): Promise<Ticket> {
    const ticket = await this.query.findReadable(id);
    if (!ticket) throw DomainError.input(TICKET_FIELD, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.noSuchTicket'));
    return ticket;
  }

  /** Records the ticket's event in the request's unit of work (written by its next flush, with the change). */
  private record(ticket: Ticket, change: TicketChange): void {
    recordEvent(this.ctx.em, ticketUpdated(ticket, change, this.ctx.now()));
  }

  private customerId(): string {
    if (this.ctx.viewer.kind !== 'customer') throw new Error('customer expected');
    return this.ctx.viewer.accountId;
  }

  /**
   * FUP-1…4: a reply joining the ticket's thread, with staged attachments. Idempotent per (author,
   * key) (src/services/idempotency.ts): a retry answers with the first reply even if the ticket was
   * closed meanwhile, and writes, mails and publishes nothing.
   */
  async reply(input: ReplyInput): Promise<{ ticket: Ticket; message: Message; eventId: string | null }> {
    const attachmentIds = input.attachmentIds ?? [];
    const scope = idempotencyScope(this.ctx);
    const fingerprint = requestFingerprint({ ticketId: input.ticketId, bodyHtml: input.bodyHtml, attachmentIds });
    const ticket = await this.readable(input.ticketId);
    let recorded: EventLogEntry[] | undefined;
    const { result: message } = await idempotent(this.ctx, {
      key: input.idempotencyKey,
      find: (em) => em.findOne(Message, { idempotencyScope: scope, idempotencyKey: input.idempotencyKey }),
      sameRequest: (stored) => stored.requestFingerprint === fingerprint,
      write: async () => {
        const written = await this.writeReply(ticket, input, { scope, fingerprint });
        recorded = written.recorded;
        return written.message;
      },
    });
    // the MESSAGE event was recorded in the reply's transaction (a replay records nothing: eventId null)
    return { ticket: await this.ctx.em.findOneOrFail(Ticket, { id: ticket.id }, { refresh: true }), message, eventId: ticketEventId(recorded) };
  }

  private async writeReply(ticket: Ticket, input: ReplyInput, idempotency: { scope: string; fingerprint: string }): Promise<{ message: Message; recorded: EventLogEntry[] }> {
    const attachmentIds = input.attachmentIds ?? [];
    if (attachmentIds.length > MAX_ATTACHMENTS_PER_MESSAGE) {
      throw DomainError.input(['input', 'attachmentIds'], DomainErrorCode.LIMIT_EXCEEDED, this.ctx.t('userError.attachment.tooMany', { max: MAX_ATTACHMENTS_PER_MESSAGE }));
    }
    if (new Set(attachmentIds).size !== attachmentIds.length) {
      throw DomainError.input(['input', 'attachmentIds'], DomainErrorCode.INVALID, this.ctx.t('userError.attachment.duplicate'));
    }
    if (input.bodyHtml.length > MAX_REPLY_HTML) {
      throw DomainError.input(['input', 'bodyHtml'], DomainErrorCode.LIMIT_EXCEEDED, this.ctx.t('userError.tooLong', { max: MAX_REPLY_HTML }));
    }
    const bodyHtml = sanitizeMessageHtml(input.bodyHtml).trim();
    if (!bodyHtml.replace(/<[^>]*>|&nbsp;|\s/g, '') && attachmentIds.length === 0) {
      throw DomainError.input(['input', 'bodyHtml'], DomainErrorCode.REQUIRED, this.ctx.t('userError.reply.empty'));
    }

    enforceDecision(canReply(this.ctx.viewer, await this.facts(ticket)));
    const accountId = this.customerId();

    let uploads: StagedUpload[] = [];
    if (attachmentIds.length) {
      if (!this.ctx.uploads) throw new Error('attachment uploads are not configured');
      try {
        uploads = await this.ctx.uploads.claim(attachmentIds, accountId);
      } catch (error) {
        if (error instanceof StagedUploadUnavailableError) {
          throw DomainError.input(['input', 'attachmentIds', String(error.index)], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.attachment.unavailable'));
        }
        throw error;
      }
    }

    const now = this.ctx.now();
    let message: Message;
    const recorded: EventLogEntry[] = [];
    try {
      message = await this.ctx.em.transactional(async (em) => {
        const fresh = await em.findOneOrFail(Ticket, { id: ticket.id });
        // re-check inside the transaction: the ticket may have been closed meanwhile
        if (fresh.status === TicketStatus.CLOSED) enforceDecision(canReply(this.ctx.viewer, { ...(await this.facts(fresh)), status: fresh.status }));
        const messages = await em.find(Message, { ticket: fresh.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        const thread = threadOf(fresh, messages);
        const created = em.create(Message, {
          ticket: fresh,
          authorKind: MessageAuthorKind.CUSTOMER,
          authorAccount: em.getReference(Account, accountId),
          authorAgent: null,
          subject: thread.subject,
          bodyHtml,
          recipients: thread.recipients,
          emailMessageId: input.emailMessageId ?? this.ctx.mailer?.newMessageId(fresh.id) ?? null,
          createdAt: now,
          ...(input.idempotencyKey ? { idempotencyScope: idempotency.scope, idempotencyKey: input.idempotencyKey, requestFingerprint: idempotency.fingerprint } : {}),
        });
        // CON-10: a customer's reply is copied to the thread's other recipients
        const viewer = this.ctx.viewer;
        const others = viewer.kind === 'customer' ? thread.recipients.filter((r) => r.toLowerCase() !== viewer.account.email.toLowerCase()) : [];
        if (this.ctx.mailer && created.emailMessageId && others.length) {
          const name = viewer.kind === 'customer' ? `${viewer.account.firstName} ${viewer.account.lastName}`.trim() || viewer.account.username : '';
          await this.ctx.mailer.threadMessage(em, {
            ticket: fresh,
            subject: thread.subject,
            bodyHtml,
            author: name,
            messageId: created.emailMessageId,
            earlier: messages.map((m) => m.emailMessageId).filter((id): id is string => Boolean(id)),
          }, others, now);
        }
        for (const u of uploads) {
          em.create(Attachment, {
            message: created,
            fileName: u.fileName,
            contentType: u.contentType,
            sizeBytes: u.sizeBytes,
            sha256: u.sha256,
            storageKey: u.storageKey,
            createdAt: now,
          });
        }
        fresh.lastActivityAt = now;
        recorded.push(recordEvent(em, ticketUpdated(fresh, 'MESSAGE', now)));
        return created;
      });
    } catch (error) {
      if (uploads.length) await this.ctx.uploads!.release(uploads);
      throw error;
    }
    if (uploads.length) await this.ctx.uploads!.finish(uploads);
    this.ctx.loaders.messageCount.clear(ticket.id);
    this.ctx.loaders.messagesByTicket.clear(ticket.id);
    return { message, recorded };
  }

  /** CLS-1: the owner closes an open ticket. */
  async close(ticketId: number): Promise<{ ticket: Ticket; eventId: string | null }> {
    const ticket = await this.readable(ticketId);
    enforceDecision(canClose(this.ctx.viewer, await this.facts(ticket)));
    const now = this.ctx.now();
    const recorded = await this.ctx.em.transactional(async (em) => {
      const closing = await em.findOneOrFail(Ticket, { id: ticket.id });
      closing.status = TicketStatus.CLOSED;
      closing.closedAt = now;
      closing.lastActivityAt = now;
      // PHN-5, CHAT-1: a closed request leaves its queue at once; an open chat ends with its ticket
      return recordEvents(em, [
        ticketUpdated(closing, 'STATUS', now),
        ...(await CallbackQueueService.closeWithTicket(em, closing, now)),
        ...(await ChatService.closeWithTicket(em, closing, ChatParty.CUSTOMER, now)),
      ]);
    });
    Object.assign(ticket, { status: TicketStatus.CLOSED, closedAt: now, lastActivityAt: now });
    return { ticket, eventId: ticketEventId(recorded) };
  }

  /** CLS-3: feedback on a closed ticket, once; a second attempt changes nothing. */
  async leaveFeedback(input: { ticketId: number; rating: number; comment?: string | null }): Promise<{ ticket: Ticket; feedback: TicketFeedback }> {
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
      throw DomainError.input(['input', 'rating'], DomainErrorCode.INVALID, this.ctx.t('userError.feedback.rating', { min: 1, max: 5 }));
    }
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > MAX_FEEDBACK_COMMENT) {
      throw DomainError.input(['input', 'comment'], DomainErrorCode.LIMIT_EXCEEDED, this.ctx.t('userError.feedback.commentTooLong', { max: MAX_FEEDBACK_COMMENT }));
    }
    const ticket = await this.readable(input.ticketId);
    enforceDecision(canLeaveFeedback(this.ctx.viewer, await this.facts(ticket)));
    const feedback = this.ctx.em.create(TicketFeedback, {
      ticket,
      account: this.ctx.em.getReference(Account, this.customerId()),
      rating: input.rating,
      comment,
      createdAt: this.ctx.now(),
    });
    this.record(ticket, 'FEEDBACK');
    try {
      await this.ctx.em.flush();
    } catch (error) {
      // two submissions racing: the unique ticket key keeps the first
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.state(TICKET_FIELD, StateReason.FEEDBACK_ALREADY_RECEIVED, this.ctx.t('userError.ticketState.FEEDBACK_ALREADY_RECEIVED'));
      }
      throw error;
    }
    this.ctx.loaders.feedback.clear(ticket.id).prime(ticket.id, feedback);
    return { ticket, feedback };
  }

  /**
   * PRX-1…4: grant or revoke support proxy access for the viewer's own account on one ticket. A row
   * is recorded only when the ticket-level value changes, so the history reads as grants and
   * revokes. Revoking does not end a proxy session already running (that lives in the support
   * tooling); it prevents new ones.
   */
  async setProxyAccess(input: { ticketId: number; granted: boolean }): Promise<Ticket> {
    const ticket = await this.readable(input.ticketId);
    enforceDecision(canSetProxyAccess(this.ctx.viewer, await this.query.accessFacts(ticket)));
    const accountId = this.customerId();
    const history = await this.ctx.em.find(ProxyAccessChange, { ticket: ticket.id, account: accountId }, { orderBy: { changedAt: 'asc', id: 'asc' } });
    const latest = history[history.length - 1];
    if (!latest || latest.granted !== input.granted) {
      this.ctx.em.create(ProxyAccessChange, { ticket, account: this.ctx.em.getReference(Account, accountId), granted: input.granted, changedAt: this.ctx.now() });
      this.record(ticket, 'PROXY_ACCESS');
      await this.ctx.em.flush();
      this.ctx.loaders.proxyChanges.clear({ ticketId: ticket.id, accountId });
    }
    return ticket;
  }

  /** PRX-3: the viewer's effective proxy access on a ticket, with its history. */
  async proxyAccessOf(ticket: TicketView, account: { id: string; supportAccessGranted: boolean }) {
    const changes = await this.ctx.loaders.proxyChanges.load({ ticketId: ticket.id, accountId: account.id });
    return { ...effectiveProxyAccess(account.supportAccessGranted, changes), history: changes };
  }
}
