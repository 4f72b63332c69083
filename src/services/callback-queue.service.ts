import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Context } from '../context';
import { readWaitingCallbacks } from '../read/callback-queue';
import { ForbiddenReason } from '../auth/errors';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import { CallbackRequest, CallbackState, CallOutcome, ProductArea, SupportLanguage, Ticket, TicketKind, TicketStatus } from '../entities';
import { callbackQueueMoved, ticketUpdated, type DomainEvent } from '../realtime/events';
import { recordEvents } from '../realtime/event-log';
import { minutesUntilLanguageOpens } from './support-hours';

/** Tunables of the callback queue (PHN-2, PHN-3). */
export const CALLBACK_QUEUE_CONFIG = {
  /** How many of the queue's most recent finished calls the average is taken over. */
  recentCalls: 20,
  /** PHN-3 "much longer": at least this factor of the English wait… */
  fallbackFactor: 2,
  /** …and at least this many minutes more. */
  fallbackMinExtraMinutes: 15,
} as const;

/** PHN-3: languages whose coverage is limited (every language but English). */
export function hasLimitedCoverage(language: SupportLanguage): boolean {
  return language !== SupportLanguage.ENGLISH;
}

/** PHN-3: whether the wait in a limited language is much longer than English's. */
export function isMuchLonger(waitMinutes: number, englishWaitMinutes: number): boolean {
  return waitMinutes >= englishWaitMinutes * CALLBACK_QUEUE_CONFIG.fallbackFactor && waitMinutes - englishWaitMinutes >= CALLBACK_QUEUE_CONFIG.fallbackMinExtraMinutes;
}

export interface QueueStatus {
  state: CallbackState;
  language: SupportLanguage;
  productArea: ProductArea;
  /** 1 = next to be called; null once the call started. */
  position: number | null;
  estimatedWaitMinutes: number | null;
  englishFallbackOffered: boolean;
  englishEstimatedWaitMinutes: number | null;
  englishFallbackAccepted: boolean | null;
}

/**
 * Phone callback queues (PHN-1…3). A queue is (language, product area); a waiter's position is one
 * COUNT of earlier WAITING rows in its queue, so a status costs a fixed number of queries however
 * long the queue is.
 */
export class CallbackQueueService {
  constructor(private readonly ctx: Context) {}

  private get em(): EntityManager {
    return this.ctx.em;
  }

  /**
   * Average handle time of the queue's recent finished calls, or the configured default (PHN-2, PHN-5):
   * completed calls only, unanswered ones (NO_ANSWER) left out.
   */
  async averageHandleMinutes(language: SupportLanguage, productArea: ProductArea): Promise<number> {
    const recent = await this.em.find(
      CallbackRequest,
      {
        language,
        productArea,
        state: CallbackState.DONE,
        callStartedAt: { $ne: null },
        callEndedAt: { $ne: null },
        $or: [{ outcome: null }, { outcome: { $ne: CallOutcome.NO_ANSWER } }],
      },
      { orderBy: { callEndedAt: 'desc' }, limit: CALLBACK_QUEUE_CONFIG.recentCalls, fields: ['callStartedAt', 'callEndedAt'] },
    );
    if (recent.length === 0) return this.ctx.settings.callbackDefaultHandleMinutes;
    const total = recent.reduce((sum, r) => sum + (r.callEndedAt!.getTime() - r.callStartedAt!.getTime()), 0);
    return Math.max(1, total / recent.length / 60_000);
  }

  /** WAITING rows of a queue ahead of `request` (or all of them without one): one COUNT query. */
  async waitingAhead(language: SupportLanguage, productArea: ProductArea, request?: CallbackRequest): Promise<number> {
    const where: FilterQuery<CallbackRequest> = { language, productArea, state: CallbackState.WAITING };
    if (request) {
      Object.assign(where, { $or: [{ enqueuedAt: { $lt: request.enqueuedAt } }, { enqueuedAt: request.enqueuedAt, id: { $lt: request.id } }] });
    }
    return this.em.count(CallbackRequest, where);
  }

  /** Position, estimated wait and the English fallback offer of one request (PHN-2, PHN-3). */
  async status(request: CallbackRequest): Promise<QueueStatus> {
    const base = {
      state: request.state,
      language: request.language,
      productArea: request.productArea,
      englishFallbackAccepted: request.englishFallbackAccepted ?? null,
    };
    if (request.state !== CallbackState.WAITING) {
      return { ...base, position: null, estimatedWaitMinutes: null, englishFallbackOffered: request.englishFallbackOffered, englishEstimatedWaitMinutes: null };
    }
    const [ahead, handle] = await Promise.all([this.waitingAhead(request.language, request.productArea, request), this.averageHandleMinutes(request.language, request.productArea)]);
    // CON-8: outside the language's hours nobody calls back until it opens
    const wait = Math.round(ahead * handle) + minutesUntilLanguageOpens(request.language, this.ctx.now());
    let englishWait: number | null = null;
    let offered = request.englishFallbackOffered;
    if (hasLimitedCoverage(request.language) && request.englishFallbackAccepted == null) {
      // a caller moving to English would join behind everyone waiting there
      const [englishWaiting, englishHandle] = await Promise.all([
        this.waitingAhead(SupportLanguage.ENGLISH, request.productArea),
        this.averageHandleMinutes(SupportLanguage.ENGLISH, request.productArea),
      ]);
      englishWait = Math.round(englishWaiting * englishHandle);
      offered = offered || isMuchLonger(wait, englishWait);
    }
    return { ...base, position: ahead + 1, estimatedWaitMinutes: wait, englishFallbackOffered: offered, englishEstimatedWaitMinutes: englishWait };
  }

  /**
   * PHN-4 at scale: the status of every WAITING request of one queue, keyed by ticket id, from a fixed
   * number of queries however long the queue is (the queue's rows in order, its handle time and, for
   * a limited language, the English queue's length and handle time). Same figures as `status`.
   */
  async statusesOfQueue(language: SupportLanguage, productArea: ProductArea): Promise<Map<number, QueueStatus>> {
    const [rows, handle] = await Promise.all([readWaitingCallbacks(this.em, language, productArea), this.averageHandleMinutes(language, productArea)]);
    let englishWait: number | null = null;
    if (hasLimitedCoverage(language) && rows.some((r) => r.englishFallbackAccepted == null)) {
      const [englishWaiting, englishHandle] = await Promise.all([this.waitingAhead(SupportLanguage.ENGLISH, productArea), this.averageHandleMinutes(SupportLanguage.ENGLISH, productArea)]);
      englishWait = Math.round(englishWaiting * englishHandle);
    }
    const out = new Map<number, QueueStatus>();
    const closedFor = minutesUntilLanguageOpens(language, this.ctx.now());
    rows.forEach((request, ahead) => {
      const wait = Math.round(ahead * handle) + closedFor;
      const compared = englishWait !== null && request.englishFallbackAccepted == null;
      out.set(request.ticketId, {
        state: CallbackState.WAITING,
        language,
        productArea,
        englishFallbackAccepted: request.englishFallbackAccepted,
        position: ahead + 1,
        estimatedWaitMinutes: wait,
        englishFallbackOffered: request.englishFallbackOffered || (compared && isMuchLonger(wait, englishWait!)),
        englishEstimatedWaitMinutes: compared ? englishWait : null,
      });
    });
    return out;
  }

  /** The callback request of a phone ticket, if any. */
  forTicket(ticketId: number): Promise<CallbackRequest | null> {
    return this.em.findOne(CallbackRequest, { ticket: ticketId });
  }

  /**
   * Starts the call for the head of a queue: marks it IN_CALL, assigns the ticket to the calling agent
   * and returns it, or null when nobody waits. A conditional UPDATE claims the row, so two agents never
   * take the same caller. After the claim, PHN-4: one queue-move event (each instance recomputes its
   * own waiters' positions) and the ticket's ASSIGNMENT event.
   */
  async takeNext(language: SupportLanguage, productArea: ProductArea): Promise<Ticket | null> {
    if (this.ctx.viewer.kind !== 'agent') throw new Error('takeNext is for agents (guarded by @Authorized)');
    const request = await this.claimHead(language, productArea, this.ctx.now(), this.ctx.viewer.agentId);
    return request?.ticket.getEntity() ?? null;
  }

  private async claimHead(language: SupportLanguage, productArea: ProductArea, now: Date, agentId: string): Promise<CallbackRequest | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      // PHN-5: a closed request left the queue; it is never handed out even if a row says WAITING
      const head = await this.em.findOne(
        CallbackRequest,
        { language, productArea, state: CallbackState.WAITING, ticket: { status: { $ne: TicketStatus.CLOSED } } },
        { orderBy: { enqueuedAt: 'asc', id: 'asc' }, populate: ['ticket'], disableIdentityMap: true },
      );
      if (!head) return null;
      const ticket = head.ticket.getEntity();
      const claimed = await this.em.transactional(async (em) => {
        if ((await em.nativeUpdate(CallbackRequest, { id: head.id, state: CallbackState.WAITING }, { state: CallbackState.IN_CALL, callStartedAt: now })) !== 1) return false;
        await em.nativeUpdate(Ticket, { id: ticket.id }, { assignee: agentId, lastActivityAt: now });
        recordEvents(em, [callbackQueueMoved(language, productArea, ticket.id, now), ticketUpdated(ticket, 'ASSIGNMENT', now)]);
        return true;
      });
      if (claimed) {
        this.em.clear();
        return this.em.findOneOrFail(CallbackRequest, { id: head.id }, { populate: ['ticket'] });
      }
    }
    return null;
  }

  /**
   * PHN-5: the agent who took the call completes it with an outcome; its handle time (start to end)
   * feeds the queue's estimates from now on (PHN-2). After commit: the ticket's CALLBACK event, then a
   * queue move (every waiter of the queue gets a new estimate).
   */
  async complete(ticketId: number, outcome: CallOutcome): Promise<Ticket> {
    const { viewer } = this.ctx;
    if (viewer.kind !== 'agent') throw new Error('complete is for agents (guarded by @Authorized)');
    const now = this.ctx.now();
    const request = await this.em.transactional(async (em) => {
      const request = await em.findOne(CallbackRequest, { ticket: ticketId }, { populate: ['ticket'] });
      if (!request) throw DomainError.input(['input', 'ticketId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.callback.noRequest'));
      if (request.state !== CallbackState.IN_CALL) {
        throw DomainError.state(['input', 'ticketId'], StateReason.CALL_NOT_IN_PROGRESS, this.ctx.t('userError.callback.notInProgress', { state: request.state }));
      }
      const ticket = request.ticket.getEntity();
      if (ticket.assignee?.id !== viewer.agentId) throw DomainError.forbidden(ForbiddenReason.NOT_CALL_AGENT, this.ctx.t('userError.callback.otherAgent'));
      request.state = CallbackState.DONE;
      request.callEndedAt = now;
      request.outcome = outcome;
      ticket.lastActivityAt = now;
      recordEvents(em, [ticketUpdated(ticket, 'CALLBACK', now), callbackQueueMoved(request.language, request.productArea, ticketId, now)]);
      return request;
    });
    return request.ticket.getEntity();
  }

  /**
   * PHN-5: the customer who asked for the callback leaves the queue (a FedRAMP customer too: it is
   * their contact request, not history); the request is CANCELLED and its ticket closed. After commit
   * the queue moves (PHN-4), then the caller's own subscriptions learn it (callbackQueuePosition
   * completes), in the order takeNext publishes them.
   */
  async cancel(ticketId: number): Promise<{ ticket: Ticket; callbackStatus: QueueStatus }> {
    const { viewer } = this.ctx;
    const now = this.ctx.now();
    const request = await this.em.transactional(async (em) => {
      const request = await em.findOne(CallbackRequest, { ticket: ticketId }, { populate: ['ticket'] });
      const ticket = request?.ticket.getEntity();
      if (!request || !ticket || viewer.kind !== 'customer' || ticket.brand.id !== viewer.brandId || ticket.submitter.id !== viewer.accountId) {
        throw DomainError.input(['input', 'ticketId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.callback.notYours'));
      }
      if (request.state !== CallbackState.WAITING) {
        throw DomainError.state(['input', 'ticketId'], StateReason.NOT_WAITING, this.ctx.t('userError.callback.notWaitingState', { state: request.state }));
      }
      CallbackQueueService.leave(request, now);
      ticket.status = TicketStatus.CLOSED;
      ticket.closedAt = ticket.closedAt ?? now;
      ticket.lastActivityAt = now;
      recordEvents(em, [callbackQueueMoved(request.language, request.productArea, ticketId, now), ticketUpdated(ticket, 'CALLBACK', now)]);
      return request;
    });
    return { ticket: request.ticket.getEntity(), callbackStatus: await this.status(request) };
  }

  private static leave(request: CallbackRequest, now: Date): void {
    request.state = CallbackState.CANCELLED;
    request.leftQueueAt = now;
  }

  /**
   * PHN-5: closing a phone ticket that still waits takes it out of its queue, in the caller's
   * transaction. Returns the queue move to record in it (none when it was not waiting).
   */
  static async closeWithTicket(em: EntityManager, ticket: Ticket, now: Date): Promise<DomainEvent[]> {
    if (ticket.kind !== TicketKind.PHONE) return [];
    const request = await em.findOne(CallbackRequest, { ticket: ticket.id });
    if (!request || request.state !== CallbackState.WAITING) return [];
    CallbackQueueService.leave(request, now);
    return [callbackQueueMoved(request.language, request.productArea, ticket.id, now)];
  }
}
