import { canFollowChat, canReceiveChatEnd, isChatOpen } from '../auth/chat-access';
import { forbidden, ForbiddenReason } from '../auth/errors';
import type { Context } from '../context';
import { ChatSession, ChatState, ChatTranscriptEntry, Ticket } from '../entities';
import { currentState, deliver } from '../realtime/delivery';
import { EventRoute, Topic, type ChatChange } from '../realtime/events';
import { ChatService } from '../services/chat.service';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { toGraphQLError } from './domain-error.mapper';
import { ChatChangeKind, type ChatEventType, type ChatSessionView } from './types/chat.types';
import { numericIdOf, toGlobalId } from './types/node';

/** A chat session as the API shows it: queue status while waiting, the agent's name once joined. */
export async function chatSessionView(ctx: Context, session: ChatSession): Promise<ChatSessionView> {
  const [queue, agent] = await Promise.all([
    new ChatService(ctx).queueStatus(session),
    session.agent ? ctx.loaders.agent.load(session.agent.id) : Promise.resolve(null),
  ]);
  return {
    state: session.state,
    language: session.language,
    productArea: session.productArea,
    position: queue.position,
    estimatedWaitMinutes: queue.estimatedWaitMinutes,
    agentName: agent?.displayName ?? null,
    enqueuedAt: session.enqueuedAt,
    joinedAt: session.joinedAt ?? null,
    endedAt: session.endedAt ?? null,
    endedBy: session.endedBy ?? null,
  };
}

/**
 * `chatUpdated(ticketId)` for both schemas (customers on /graphql, agents on /internal/graphql):
 * the current state first, then every queue move, join, line, typing signal and the end, each one
 * re-read and authorized for this subscriber at delivery (RT-3, `canFollowChat`); completes after
 * the chat ended. Refused up front (FORBIDDEN) when the viewer may not follow the chat.
 */
export async function subscribeToChat(ctx: Context, ticketGlobalId: string) {
  const id = numericIdOf('Ticket', ticketGlobalId);
  let session: ChatSession;
  let brandId: string;
  try {
    const view = await new ChatService(ctx).followable(id);
    session = view.session;
    brandId = view.ticket.brand.id;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === DomainErrorCode.FORBIDDEN) throw toGraphQLError(error);
    throw forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, 'The chat does not exist or you cannot follow it.');
  }
  const queue = { language: session.language as string, productArea: session.productArea as string };
  const state = () => currentState({ type: Topic.CHAT_UPDATED, ticketId: id, brandId, change: 'STATE' });
  return deliver<ChatEventType>(ctx, {
    initial: state(),
    resyncOnResume: state,
    routes: [EventRoute.chat(id), EventRoute.chatQueues],
    accept: (event) =>
      (event.type === Topic.CHAT_UPDATED && event.ticketId === id) ||
      (event.type === Topic.CHAT_QUEUE_MOVED && event.language === queue.language && event.productArea === queue.productArea),
    resolve: async (event, fresh) => {
      if (event.type !== Topic.CHAT_UPDATED && event.type !== Topic.CHAT_QUEUE_MOVED) return null;
      const service = new ChatService(fresh);
      const [ticket, current] = await Promise.all([fresh.em.findOne(Ticket, { id }), service.sessionOf(id)]);
      if (!ticket || !current) return null;
      const change: ChatChange = event.type === Topic.CHAT_QUEUE_MOVED ? 'QUEUE_MOVED' : event.change;
      if (change === 'QUEUE_MOVED' && current.state !== ChatState.WAITING) return null;
      const facts = await service.factsOf(ticket, current);
      // the end notice reaches whoever could follow the chat until then (a FedRAMP customer, without the transcript)
      const decision = change === 'ENDED' ? canReceiveChatEnd(fresh.viewer, facts) : canFollowChat(fresh.viewer, facts);
      if (!decision.allowed) return null;
      const line = event.type === Topic.CHAT_UPDATED && change === 'LINE' && event.lineId ? await fresh.em.findOne(ChatTranscriptEntry, { id: event.lineId, ticket: id }) : null;
      if (change === 'LINE' && !line) return null;
      const value: ChatEventType = {
        eventId: event.eventId,
        ticketId: toGlobalId('Ticket', id),
        change: change as ChatChangeKind,
        chat: await chatSessionView(fresh, current),
        line,
        typingParty: event.type === Topic.CHAT_UPDATED && change === 'TYPING' ? ((event.party as ChatEventType['typingParty']) ?? null) : null,
        typing: event.type === Topic.CHAT_UPDATED && change === 'TYPING' ? (event.typing ?? null) : null,
      };
      return { value, last: !isChatOpen(current.state) };
    },
  });
}
