import type { MessageKey, Translate } from '../i18n';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { canEndChat, canFollowChat, canSendChatLine, ChatRefusal, type ChatDecision, type ChatFacts } from '../auth/chat-access';
import type { Viewer } from '../auth/viewer';
import { ForbiddenReason } from '../auth/errors';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import {
  Agent,
  ChatParty,
  ChatSession,
  ChatState,
  ChatTranscriptEntry,
  ProductArea,
  SupportLanguage,
  Ticket,
  TicketKind,
  TicketParticipant,
  TicketStatus,
  TranscriptAuthorKind,
} from '../entities';
import { chatQueueMoved, chatUpdated, ticketUpdated, type DomainEvent } from '../realtime/events';
import { idempotencyScope, idempotent, requestFingerprint } from './idempotency';
import { recordEvents, ticketEventId } from '../realtime/event-log';

/** Limits of live chat (CHAT-1, CHAT-2); documented in docs/chat-and-calls.md. */
export const CHAT_LIMITS = {
  /** Characters per line, after trimming. */
  maxLineLength: 2000,
  /** At most this many lines per side of one chat… */
  linesPerWindow: 5,
  /** …within this many seconds. */
  windowSeconds: 10,
  /** How many of the queue's most recent finished chats the handle-time average is taken over. */
  recentChats: 20,
  /** Handle time assumed while a queue has no finished chat yet, in minutes. */
  defaultHandleMinutes: 5,
} as const;

/** A chat's place in its queue (CHAT-1). */
export interface ChatQueueStatus {
  state: ChatState;
  language: SupportLanguage;
  productArea: ProductArea;
  /** 1 = next to be taken; null once an agent joined. */
  position: number | null;
  estimatedWaitMinutes: number | null;
}

/** A chat as one of its sides sees it: the ticket, the session and the facts the rules read. */
export interface ChatView {
  ticket: Ticket;
  session: ChatSession;
  facts: ChatFacts;
}

const TICKET_FIELD = ['input', 'ticketId'];

// control characters other than tab and line feed never reach a transcript
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** CHAT-2: a line as stored: plain text (never HTML), line breaks normalized, control characters removed, trimmed. */
export function normalizeChatLine(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
}

/**
 * Turns a refused chat decision into the service's domain error. A state refusal keeps the rule's
 * English text and names its catalog text by reason (an agent waiting for a chat is told to take it).
 */
function enforce(decision: ChatDecision, viewer: Viewer): void {
  if (decision.allowed) return;
  if (decision.kind === 'forbidden') throw DomainError.forbidden(decision.reason, decision.message);
  const key: MessageKey = viewer.kind === 'agent' && decision.reason === ChatRefusal.CHAT_WAITING_FOR_AGENT ? 'userError.chat.takeFirst' : `userError.refusal.${decision.reason}`;
  throw DomainError.refusal(TICKET_FIELD, decision.reason, decision.message, key);
}

/**
 * Live chat (CHAT-1, CHAT-2, TKT-5): the queue a chat waits in, agents taking chats, lines both
 * ways, typing signals and the end. Rules are the functions of src/auth/chat-access.ts; every write is
 * one transaction, and events are published after it commits. Inputs are plain (numeric ticket ids).
 */
export class ChatService {
  constructor(private readonly ctx: Context) {}

  private get em(): EntityManager {
    return this.ctx.em;
  }

  /** Average time from an agent joining to the end, over the queue's recent finished chats (CHAT-1). */
  async averageHandleMinutes(language: SupportLanguage, productArea: ProductArea): Promise<number> {
    const recent = await this.em.find(
      ChatSession,
      { language, productArea, state: ChatState.ENDED, joinedAt: { $ne: null }, endedAt: { $ne: null } },
      { orderBy: { endedAt: 'desc' }, limit: CHAT_LIMITS.recentChats, fields: ['joinedAt', 'endedAt'] },
    );
    if (recent.length === 0) return CHAT_LIMITS.defaultHandleMinutes;
    const total = recent.reduce((sum, s) => sum + (s.endedAt!.getTime() - s.joinedAt!.getTime()), 0);
    return Math.max(1, total / recent.length / 60_000);
  }

  /** WAITING chats of a queue ahead of `session` (all of them without one): one COUNT. */
  waitingAhead(language: SupportLanguage, productArea: ProductArea, session?: ChatSession): Promise<number> {
    const where: FilterQuery<ChatSession> = { language, productArea, state: ChatState.WAITING };
    if (session) Object.assign(where, { $or: [{ enqueuedAt: { $lt: session.enqueuedAt } }, { enqueuedAt: session.enqueuedAt, id: { $lt: session.id } }] });
    return this.em.count(ChatSession, where);
  }

  /** CHAT-1: position and estimated wait of a waiting chat; nulls once an agent joined. */
  async queueStatus(session: ChatSession): Promise<ChatQueueStatus> {
    const base = { state: session.state, language: session.language, productArea: session.productArea };
    if (session.state !== ChatState.WAITING) return { ...base, position: null, estimatedWaitMinutes: null };
    const [ahead, handle] = await Promise.all([this.waitingAhead(session.language, session.productArea, session), this.averageHandleMinutes(session.language, session.productArea)]);
    return { ...base, position: ahead + 1, estimatedWaitMinutes: Math.round(ahead * handle) };
  }

  /** The estimated wait for a chat started now in this queue (supportOptions). */
  async estimatedWaitForNew(language: SupportLanguage, productArea: ProductArea): Promise<number> {
    const [waiting, handle] = await Promise.all([this.waitingAhead(language, productArea), this.averageHandleMinutes(language, productArea)]);
    return Math.round(waiting * handle);
  }

  /** The session of a chat ticket, if it is a live chat (recorded chats have none). */
  sessionOf(ticketId: number): Promise<ChatSession | null> {
    return this.em.findOne(ChatSession, { ticket: ticketId });
  }

  /** The facts the chat rules read, from the ticket, its participants and its session. */
  async factsOf(ticket: Ticket, session: ChatSession, em: EntityManager = this.em): Promise<ChatFacts> {
    const participants = await em.find(TicketParticipant, { ticket: ticket.id }, { fields: ['account'] });
    return {
      brandId: ticket.brand.id,
      submitterId: ticket.submitter.id,
      participantIds: participants.map((p) => p.account.id),
      createdAt: ticket.createdAt,
      state: session.state,
      agentId: session.agent?.id ?? null,
    };
  }

  /**
   * A chat the viewer may follow (RT-3 rules of `canFollowChat`), or a refusal: NOT_FOUND when the
   * viewer may not know it exists (another brand, another customer's chat, not a live chat), FORBIDDEN
   * FEDRAMP_RESTRICTED for a FedRAMP customer's own chat once it ended.
   */
  async followable(ticketId: number, em: EntityManager = this.em): Promise<ChatView> {
    const ticket = await em.findOne(Ticket, { id: ticketId });
    const session = ticket?.kind === TicketKind.CHAT ? await em.findOne(ChatSession, { ticket: ticketId }) : null;
    if (!ticket || !session) throw DomainError.input(TICKET_FIELD, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.chat.noSuchChat'));
    const facts = await this.factsOf(ticket, session, em);
    const decision = canFollowChat(this.ctx.viewer, facts);
    if (!decision.allowed) {
      if (decision.reason === ForbiddenReason.FEDRAMP_RESTRICTED) throw DomainError.forbidden(decision.reason, decision.message);
      throw DomainError.input(TICKET_FIELD, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.chat.noSuchChat'));
    }
    return { ticket, session, facts };
  }

  /** The caller as a transcript author. */
  private author(): { kind: TranscriptAuthorKind; party: ChatParty; name: string } {
    const { viewer } = this.ctx;
    if (viewer.kind === 'customer') return { kind: TranscriptAuthorKind.CUSTOMER, party: ChatParty.CUSTOMER, name: `${viewer.account.firstName} ${viewer.account.lastName}`.trim() };
    if (viewer.kind === 'agent') return { kind: TranscriptAuthorKind.AGENT, party: ChatParty.AGENT, name: viewer.agent.displayName };
    throw DomainError.forbidden(ForbiddenReason.NOT_A_CHAT_PARTY, this.ctx.t('userError.chat.notAParty'));
  }

  /** CHAT-2 limits of one line: plain text, not empty, at most `maxLineLength` characters. */
  private static line(t: Translate, text: string, field: string[]): string {
    const line = normalizeChatLine(text);
    if (!line) throw DomainError.input(field, DomainErrorCode.REQUIRED, t('userError.chat.emptyLine'), StateReason.EMPTY_LINE);
    if (line.length > CHAT_LIMITS.maxLineLength) {
      throw DomainError.input(field, DomainErrorCode.LIMIT_EXCEEDED, t('userError.chat.lineTooLong', { limit: CHAT_LIMITS.maxLineLength }), StateReason.LINE_TOO_LONG);
    }
    return line;
  }

  /** CHAT-2 rate limit: at most `linesPerWindow` lines per side of one chat within `windowSeconds` (counted in the database, so on every instance). */
  private async withinRate(em: EntityManager, ticketId: number, kind: TranscriptAuthorKind, adding: number, now: Date): Promise<void> {
    const since = new Date(now.getTime() - CHAT_LIMITS.windowSeconds * 1000);
    const recent = await em.count(ChatTranscriptEntry, { ticket: ticketId, authorKind: kind, sentAt: { $gt: since } });
    if (recent + adding > CHAT_LIMITS.linesPerWindow) {
      throw DomainError.input(
        ['input', 'text'],
        DomainErrorCode.LIMIT_EXCEEDED,
        this.ctx.t('userError.chat.rateLimited', { lines: CHAT_LIMITS.linesPerWindow, seconds: CHAT_LIMITS.windowSeconds }),
        StateReason.CHAT_RATE_LIMITED,
      );
    }
  }

  /**
   * CHAT-2: the caller (the chat's customer or its agent) sends lines; both sides see them live.
   * Idempotent per (author, key) (src/services/idempotency.ts): a retry answers with the lines the key
   * sent first, even after the chat ended, and stores and publishes nothing.
   */
  async send(ticketId: number, texts: string[], field: string[] = ['input', 'text'], idempotencyKey?: string | null): Promise<ChatView & { lines: ChatTranscriptEntry[]; eventId: string | null }> {
    const scope = idempotencyScope(this.ctx);
    const fingerprint = requestFingerprint({ ticketId, texts });
    const { result } = await idempotent(this.ctx, {
      key: idempotencyKey,
      find: async (em) => {
        const sent = await em.find(ChatTranscriptEntry, { idempotencyScope: scope, idempotencyKey }, { orderBy: { idempotencyPosition: 'asc' } });
        return sent.length ? { view: await this.followable(sent[0].ticket.id, em), lines: sent, eventId: null } : null;
      },
      sameRequest: (stored) => stored.lines[0].requestFingerprint === fingerprint,
      write: () => this.writeLines(ticketId, texts, field, idempotencyKey ? { scope, key: idempotencyKey, fingerprint } : null),
    });
    // the lines' events were recorded in the event log with them (a replay records nothing: eventId null)
    const { view, lines, eventId } = result;
    return { ...view, lines, eventId };
  }

  private async writeLines(ticketId: number, texts: string[], field: string[], idempotency: { scope: string; key: string; fingerprint: string } | null): Promise<{ view: ChatView; lines: ChatTranscriptEntry[]; eventId: string | null }> {
    if (texts.length === 0) throw DomainError.input(field, DomainErrorCode.REQUIRED, this.ctx.t('userError.chat.noLines'), StateReason.EMPTY_LINE);
    const clean = texts.map((text, i) => ChatService.line(this.ctx.t, text, texts.length > 1 ? [...field, String(i)] : field));
    const author = this.author();
    const now = this.ctx.now();
    const written = await this.em.transactional(async (em) => {
      const view = await this.followable(ticketId, em);
      enforce(canSendChatLine(this.ctx.viewer, view.facts), this.ctx.viewer);
      await this.withinRate(em, ticketId, author.kind, clean.length, now);
      // keep the order of lines sent together even when they share the instant
      const lines = clean.map((text, i) =>
        em.create(ChatTranscriptEntry, {
          ticket: view.ticket,
          authorKind: author.kind,
          authorName: author.name,
          text,
          sentAt: new Date(now.getTime() + i),
          ...(idempotency ? { idempotencyScope: idempotency.scope, idempotencyKey: idempotency.key, idempotencyPosition: i, requestFingerprint: idempotency.fingerprint } : {}),
        }),
      );
      view.ticket.lastActivityAt = now;
      // the lines' ids name them in their events
      await em.flush();
      const recorded = recordEvents(em, [...lines.map((line) => chatUpdated(view.ticket, 'LINE', { lineId: line.id }, now)), ticketUpdated(view.ticket, 'TRANSCRIPT', now)]);
      return { view, lines, recorded };
    });
    return { view: written.view, lines: written.lines, eventId: ticketEventId(written.recorded) };
  }

  /**
   * Typing signals (welcome, never stored): published to the other side while the chat is ACTIVE. Not
   * a domain fact, so not in the event log: bus (and Redis) only, never replayed (docs/realtime.md).
   */
  async typing(ticketId: number, typing: boolean): Promise<ChatView> {
    const author = this.author();
    const view = await this.followable(ticketId);
    enforce(canSendChatLine(this.ctx.viewer, view.facts), this.ctx.viewer);
    this.ctx.events?.publish(chatUpdated(view.ticket, 'TYPING', { party: author.party, typing }, this.ctx.now()));
    return view;
  }

  /**
   * CHAT-1: an agent takes the head of a chat queue: it becomes ACTIVE with the agent, the ticket is
   * assigned to them, and a line says they joined. A conditional UPDATE claims the row, so two agents
   * never take the same chat; a chat whose ticket is closed is never handed out.
   */
  async takeNext(language: SupportLanguage, productArea: ProductArea): Promise<ChatView | null> {
    const { viewer } = this.ctx;
    if (viewer.kind !== 'agent') throw DomainError.forbidden(ForbiddenReason.NOT_AN_AGENT, this.ctx.t('userError.chat.agentsOnly'));
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = await this.em.findOne(
        ChatSession,
        { language, productArea, state: ChatState.WAITING, ticket: { status: { $ne: TicketStatus.CLOSED } } },
        { orderBy: { enqueuedAt: 'asc', id: 'asc' }, disableIdentityMap: true },
      );
      if (!head) return null;
      const joined = await this.join(head.ticket.id, viewer.agentId, viewer.agent.displayName);
      if (joined) return joined;
    }
    return null;
  }

  /**
   * CHAT-1: `agentId` joins the waiting chat of `ticketId` (takeNextChat, or assignTicket on a waiting
   * chat): null when it is not waiting any more.
   */
  async join(ticketId: number, agentId: string, agentName: string): Promise<(ChatView & { eventId: string | null }) | null> {
    const now = this.ctx.now();
    // the claim and what follows from it commit together: a chat is never ACTIVE without its agent
    const view = await this.em.transactional(async (em) => {
      const claimed = await em.nativeUpdate(ChatSession, { ticket: ticketId, state: ChatState.WAITING }, { state: ChatState.ACTIVE, agent: agentId, joinedAt: now });
      if (claimed !== 1) return null;
      // refreshed: the caller may hold them from before the claim
      const ticket = await em.findOneOrFail(Ticket, { id: ticketId }, { refresh: true });
      const session = await em.findOneOrFail(ChatSession, { ticket: ticketId }, { refresh: true });
      ticket.assignee = em.getReference(Agent, agentId) as never;
      ticket.lastActivityAt = now;
      em.create(ChatTranscriptEntry, {
        ticket,
        authorKind: TranscriptAuthorKind.SYSTEM,
        authorName: 'Support',
        text: `${agentName} joined the chat.`,
        systemNotice: { code: 'AGENT_JOINED', agentName },
        sentAt: now,
      });
      const recorded = recordEvents(em, [chatQueueMoved(session.language, session.productArea, now), chatUpdated(ticket, 'AGENT_JOINED', {}, now), ticketUpdated(ticket, 'ASSIGNMENT', now)]);
      return { ticket, session, facts: await this.factsOf(ticket, session, em), recorded };
    });
    if (!view) return null;
    const { recorded, ...joined } = view;
    return { ...joined, eventId: ticketEventId(recorded) };
  }

  /**
   * CHAT-1, CHAT-2: the caller ends the chat. The customer leaving the queue before an agent joined
   * cancels it (and closes its ticket); after that either side ends it, and its transcript stays on
   * the ticket (TKT-5).
   */
  async end(ticketId: number): Promise<ChatView> {
    const author = this.author();
    const now = this.ctx.now();
    let wasWaiting = false;
    const view = await this.em.transactional(async (em) => {
      const view = await this.followable(ticketId, em);
      enforce(canEndChat(this.ctx.viewer, view.facts), this.ctx.viewer);
      wasWaiting = view.session.state === ChatState.WAITING;
      ChatService.finish(em, view.ticket, view.session, author.party, now);
      recordEvents(em, ChatService.endEvents(view.ticket, view.session, wasWaiting, now));
      return view;
    });
    return { ...view, facts: { ...view.facts, state: view.session.state } };
  }

  /** Ends or cancels an open session inside the caller's transaction (no flush, no events). */
  private static finish(em: EntityManager, ticket: Ticket, session: ChatSession, by: ChatParty, now: Date): void {
    const waiting = session.state === ChatState.WAITING;
    session.state = waiting ? ChatState.CANCELLED : ChatState.ENDED;
    session.endedAt = now;
    session.endedBy = by;
    ticket.lastActivityAt = now;
    em.create(ChatTranscriptEntry, {
      ticket,
      authorKind: TranscriptAuthorKind.SYSTEM,
      authorName: 'Support',
      text: waiting ? 'The customer left the queue; the chat was cancelled.' : `The chat was ended by the ${by === ChatParty.CUSTOMER ? 'customer' : 'agent'}.`,
      systemNotice: { code: waiting ? 'QUEUE_LEFT' : by === ChatParty.CUSTOMER ? 'ENDED_BY_CUSTOMER' : 'ENDED_BY_AGENT' },
      sentAt: now,
    });
    // a cancelled chat never happened: its ticket is closed with it
    if (waiting && ticket.status !== TicketStatus.CLOSED) {
      ticket.status = TicketStatus.CLOSED;
      ticket.closedAt = now;
    }
  }

  private static endEvents(ticket: Ticket, session: ChatSession, wasWaiting: boolean, now: Date): DomainEvent[] {
    const events = [chatUpdated(ticket, 'ENDED', {}, now), ticketUpdated(ticket, wasWaiting ? 'STATUS' : 'TRANSCRIPT', now)];
    if (wasWaiting) events.push(chatQueueMoved(session.language, session.productArea, now));
    return events;
  }

  /**
   * PHN-5's counterpart for chat: closing a chat ticket (closeTicket, setTicketStatus CLOSED) ends
   * its open chat in the same transaction. Returns the events to record in it.
   */
  static async closeWithTicket(em: EntityManager, ticket: Ticket, by: ChatParty, now: Date): Promise<DomainEvent[]> {
    if (ticket.kind !== TicketKind.CHAT) return [];
    const session = await em.findOne(ChatSession, { ticket: ticket.id });
    if (!session || (session.state !== ChatState.WAITING && session.state !== ChatState.ACTIVE)) return [];
    const wasWaiting = session.state === ChatState.WAITING;
    ChatService.finish(em, ticket, session, by, now);
    return ChatService.endEvents(ticket, session, wasWaiting, now).filter((e) => e.type !== 'TICKET_UPDATED');
  }
}
