import { ChatState } from '../entities/enums';
import { ForbiddenReason } from './errors';
import { canReadTicket, type Decision, type TicketAccessFacts } from './ticket-access';
import type { Viewer } from './viewer';

/** What the chat rules need: the ticket's access facts, the chat's state and the agent who joined. */
export interface ChatFacts extends TicketAccessFacts {
  state: ChatState;
  agentId: string | null;
}

/** Why the chat's state refuses an action (the caller-related refusals are `ForbiddenReason`s). */
export enum ChatRefusal {
  CHAT_WAITING_FOR_AGENT = 'CHAT_WAITING_FOR_AGENT',
  CHAT_ENDED = 'CHAT_ENDED',
}

/** `forbidden` refusals are about the caller, `state` ones about the chat. */
export type ChatDecision =
  | { allowed: true }
  | { allowed: false; kind: 'forbidden'; reason: ForbiddenReason; message: string }
  | { allowed: false; kind: 'state'; reason: ChatRefusal; message: string };

const ALLOW = { allowed: true } as const;

/** A chat is open (live) until it ended or was cancelled. */
export function isChatOpen(state: ChatState): boolean {
  return state === ChatState.WAITING || state === ChatState.ACTIVE;
}

function isChatCustomer(viewer: Viewer, facts: ChatFacts): boolean {
  return viewer.kind === 'customer' && viewer.brandId === facts.brandId && facts.submitterId === viewer.accountId;
}

/**
 * CHAT-1, CHAT-2, FED-1, RT-3: may the viewer follow the chat live (queue position, lines, end)?
 * Agents follow every chat. The chat's customer follows it; a FedRAMP customer only while it is open
 * (contacting support is allowed, its history is not). Anyone else who can read the ticket (a brand
 * administrator of its brand) may watch it, never across brands.
 */
export function canFollowChat(viewer: Viewer, facts: ChatFacts): Decision {
  if (viewer.kind === 'agent') return ALLOW;
  if (isChatCustomer(viewer, facts)) {
    if (viewer.kind === 'customer' && viewer.isFedramp && !isChatOpen(facts.state)) {
      return { allowed: false, reason: ForbiddenReason.FEDRAMP_RESTRICTED, message: 'This chat has ended: its transcript is ticket history, which is not available to FedRAMP accounts.' };
    }
    return ALLOW;
  }
  if (canReadTicket(viewer, facts)) return ALLOW;
  return { allowed: false, reason: ForbiddenReason.NOT_TICKET_PARTICIPANT, message: 'The chat does not exist or you cannot follow it.' };
}

/**
 * The notice that a chat ended goes to whoever could follow it just before it ended (a FedRAMP
 * customer learns that their chat is over, without its transcript).
 */
export function canReceiveChatEnd(viewer: Viewer, facts: ChatFacts): Decision {
  return canFollowChat(viewer, { ...facts, state: ChatState.ACTIVE });
}

function stateRefusal(state: ChatState, party: 'customer' | 'agent'): ChatDecision {
  if (state === ChatState.WAITING) {
    return {
      allowed: false,
      kind: 'state',
      reason: ChatRefusal.CHAT_WAITING_FOR_AGENT,
      message: party === 'agent' ? 'No agent has joined this chat yet: take it first (takeNextChat or assignTicket).' : 'No agent has joined this chat yet: lines can be sent once one joins.',
    };
  }
  return { allowed: false, kind: 'state', reason: ChatRefusal.CHAT_ENDED, message: 'This chat has ended; start a new chat and reference this ticket.' };
}

/** CHAT-2: the chat's customer, or the agent who joined it, may send a line while it is ACTIVE. */
export function canSendChatLine(viewer: Viewer, facts: ChatFacts): ChatDecision {
  if (viewer.kind === 'agent') {
    if (facts.state === ChatState.ACTIVE && facts.agentId !== viewer.agentId) {
      return { allowed: false, kind: 'forbidden', reason: ForbiddenReason.NOT_CHAT_AGENT, message: 'Another agent is in this chat.' };
    }
    return facts.state === ChatState.ACTIVE ? ALLOW : stateRefusal(facts.state, 'agent');
  }
  if (!isChatCustomer(viewer, facts)) {
    return { allowed: false, kind: 'forbidden', reason: ForbiddenReason.NOT_CHAT_CUSTOMER, message: 'Only the customer who started this chat can write in it.' };
  }
  return facts.state === ChatState.ACTIVE ? ALLOW : stateRefusal(facts.state, 'customer');
}

/**
 * CHAT-1, CHAT-2: the customer ends the chat (leaving the queue while WAITING cancels it); the agent
 * who joined ends it while ACTIVE. An ended chat cannot be ended again.
 */
export function canEndChat(viewer: Viewer, facts: ChatFacts): ChatDecision {
  if (viewer.kind === 'agent') {
    if (facts.state === ChatState.ACTIVE && facts.agentId !== viewer.agentId) {
      return { allowed: false, kind: 'forbidden', reason: ForbiddenReason.NOT_CHAT_AGENT, message: 'Another agent is in this chat.' };
    }
    return facts.state === ChatState.ACTIVE ? ALLOW : stateRefusal(facts.state, 'agent');
  }
  if (!isChatCustomer(viewer, facts)) {
    return { allowed: false, kind: 'forbidden', reason: ForbiddenReason.NOT_CHAT_CUSTOMER, message: 'Only the customer who started this chat can end it.' };
  }
  return isChatOpen(facts.state) ? ALLOW : stateRefusal(facts.state, 'customer');
}
