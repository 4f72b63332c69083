import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { SupportSettings } from '../config';
import { selectRows, toBoolean } from '../db/read-rows';
import { CallbackRequest, CallbackState, ProductArea, SupportLanguage, Ticket } from '../entities';

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
  constructor(
    private readonly em: EntityManager,
    private readonly settings: Pick<SupportSettings, 'callbackDefaultHandleMinutes'>,
  ) {}

  /** Average handle time of the queue's recent finished calls, or the configured default (PHN-2). */
  async averageHandleMinutes(language: SupportLanguage, productArea: ProductArea): Promise<number> {
    const recent = await this.em.find(
      CallbackRequest,
      { language, productArea, state: CallbackState.DONE, callStartedAt: { $ne: null }, callEndedAt: { $ne: null } },
      { orderBy: { callEndedAt: 'desc' }, limit: CALLBACK_QUEUE_CONFIG.recentCalls, fields: ['callStartedAt', 'callEndedAt'] },
    );
    if (recent.length === 0) return this.settings.callbackDefaultHandleMinutes;
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
    const wait = Math.round(ahead * handle);
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
    // plain rows over a prepared statement, not entities or the query builder: a move re-reads
    // thousands of waiters, and hydrating them (or knex's runner) cost more than the query itself
    const [raw, handle] = await Promise.all([
      selectRows(
        this.em,
        'select ticket_id, english_fallback_offered, english_fallback_accepted from callback_request where language = ? and product_area = ? and state = ? order by enqueued_at asc, id asc',
        [language, productArea, CallbackState.WAITING],
      ),
      this.averageHandleMinutes(language, productArea),
    ]);
    // SQLite gives 0/1 for booleans, PostgreSQL true/false
    const rows = raw.map((r) => ({
      ticketId: Number(r.ticket_id),
      englishFallbackOffered: toBoolean(r.english_fallback_offered),
      englishFallbackAccepted: r.english_fallback_accepted == null ? null : toBoolean(r.english_fallback_accepted),
    }));
    let englishWait: number | null = null;
    if (hasLimitedCoverage(language) && rows.some((r) => r.englishFallbackAccepted == null)) {
      const [englishWaiting, englishHandle] = await Promise.all([this.waitingAhead(SupportLanguage.ENGLISH, productArea), this.averageHandleMinutes(SupportLanguage.ENGLISH, productArea)]);
      englishWait = Math.round(englishWaiting * englishHandle);
    }
    const out = new Map<number, QueueStatus>();
    rows.forEach((request, ahead) => {
      const wait = Math.round(ahead * handle);
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
   * Starts the call for the head of a queue: marks it IN_CALL and returns it, or null when nobody
   * waits. A conditional UPDATE claims the row, so two agents never take the same caller.
   */
  async takeNext(language: SupportLanguage, productArea: ProductArea, now: Date, agentId: string): Promise<CallbackRequest | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = await this.em.findOne(
        CallbackRequest,
        { language, productArea, state: CallbackState.WAITING },
        { orderBy: { enqueuedAt: 'asc', id: 'asc' }, disableIdentityMap: true },
      );
      if (!head) return null;
      const claimed = await this.em.nativeUpdate(CallbackRequest, { id: head.id, state: CallbackState.WAITING }, { state: CallbackState.IN_CALL, callStartedAt: now });
      if (claimed === 1) {
        await this.em.nativeUpdate(Ticket, { id: head.ticket.id }, { assignee: agentId, lastActivityAt: now });
        this.em.clear();
        return this.em.findOneOrFail(CallbackRequest, { id: head.id }, { populate: ['ticket'] });
      }
    }
    return null;
  }
}
