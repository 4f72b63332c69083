import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CallOutcome, ChatParty, ChatState, ProductArea, SupportLanguage } from '../../entities/enums';
import type { ChatTranscriptEntry } from '../../entities';
import { TicketInterface, TranscriptEntryType } from './ticket.types';
import { UserError } from './user-error';
import { IdempotentMessageInput } from './idempotency';

registerEnumType(ChatState, {
  name: 'ChatState',
  description: 'Where a live chat is (CHAT-1, CHAT-2).',
  valuesConfig: {
    WAITING: { description: 'In the queue of its product area and language; no agent yet.' },
    ACTIVE: { description: 'An agent joined; customer and agent exchange lines.' },
    ENDED: { description: 'Ended by the customer or the agent; the transcript stays on the ticket (TKT-5).' },
    CANCELLED: { description: 'The customer left the queue before an agent joined; the ticket is closed.' },
  },
});
registerEnumType(ChatParty, { name: 'ChatParty', description: 'A side of a chat.', valuesConfig: { CUSTOMER: { description: 'The customer.' }, AGENT: { description: 'The support agent.' } } });
registerEnumType(CallOutcome, {
  name: 'CallOutcome',
  description: 'How a phone call ended (PHN-5).',
  valuesConfig: {
    RESOLVED: { description: 'Solved on the call.' },
    FOLLOW_UP: { description: 'Support follows up (e-mail, escalation).' },
    NO_ANSWER: { description: 'Nobody answered the callback; not counted in the handle-time average (PHN-2).' },
  },
});

/** Mirrors `ChatChange` in src/realtime/events.ts. */
export enum ChatChangeKind {
  STATE = 'STATE',
  QUEUE_MOVED = 'QUEUE_MOVED',
  AGENT_JOINED = 'AGENT_JOINED',
  LINE = 'LINE',
  TYPING = 'TYPING',
  ENDED = 'ENDED',
}
registerEnumType(ChatChangeKind, {
  name: 'ChatChange',
  description: 'What happened in a chat (CHAT-1, CHAT-2).',
  valuesConfig: {
    STATE: { description: 'The current state, delivered first when subscribing (and again after an event outage).' },
    QUEUE_MOVED: { description: 'The queue moved: new position and estimated wait.' },
    AGENT_JOINED: { description: 'An agent joined: lines can be exchanged.' },
    LINE: { description: 'A new transcript line (`line`).' },
    TYPING: { description: 'A side started or stopped typing (`typingParty`, `typing`); never stored.' },
    ENDED: { description: 'The chat ended or was cancelled; the subscription completes after this event.' },
  },
});

/** A chat as the API shows it. */
export interface ChatSessionView {
  state: ChatState;
  language: SupportLanguage;
  productArea: ProductArea;
  position: number | null;
  estimatedWaitMinutes: number | null;
  agentName: string | null;
  enqueuedAt: Date;
  joinedAt: Date | null;
  endedAt: Date | null;
  endedBy: ChatParty | null;
}

@ObjectType('ChatSession', { simpleResolvers: true, description: 'A live chat: its queue position while waiting, the agent who joined, how it ended (CHAT-1, CHAT-2).' })
export class ChatSessionType {
  @Field(() => ChatState, { description: 'WAITING, ACTIVE, ENDED or CANCELLED.' })
  state!: ChatState;

  @Field(() => SupportLanguage, { description: 'Queue language.' })
  language!: SupportLanguage;

  @Field(() => ProductArea, { description: 'Queue product area.' })
  productArea!: ProductArea;

  @Field(() => Int, { nullable: true, description: '1 = next to be taken; null once an agent joined.' })
  position!: number | null;

  @Field(() => Int, { nullable: true, description: "Estimated wait in minutes, from the queue's recent chat durations; null once an agent joined." })
  estimatedWaitMinutes!: number | null;

  @Field(() => String, { nullable: true, description: 'Display name of the agent who joined.' })
  agentName!: string | null;

  @Field({ description: 'When the chat joined the queue.' })
  enqueuedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the agent joined.' })
  joinedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the chat ended or was cancelled.' })
  endedAt!: Date | null;

  @Field(() => ChatParty, { nullable: true, description: 'Who ended it.' })
  endedBy!: ChatParty | null;
}

@ObjectType('ChatEvent', { simpleResolvers: true, description: 'Something that happened in a chat the subscriber may follow (CHAT-1, CHAT-2, RT-3).' })
export class ChatEventType {
  @Field(() => ID, { description: 'Unique per event.' })
  eventId!: string;

  @Field(() => ID, { description: 'Global id of the chat ticket.' })
  ticketId!: string;

  @Field(() => ChatChangeKind, { description: 'What happened.' })
  change!: ChatChangeKind;

  @Field(() => ChatSessionType, { description: 'The chat as it is now.' })
  chat!: ChatSessionView;

  @Field(() => TranscriptEntryType, { nullable: true, description: 'The new line, for LINE events.' })
  line!: ChatTranscriptEntry | null;

  @Field(() => ChatParty, { nullable: true, description: 'Who is (or stopped) typing, for TYPING events.' })
  typingParty!: ChatParty | null;

  @Field(() => Boolean, { nullable: true, description: 'True when typing started, false when it stopped (TYPING events).' })
  typing!: boolean | null;
}

@InputType({ description: 'A line to a chat (CHAT-2): plain text, at most 2000 characters, at most 5 lines per 10 seconds per side.' })
export class SendChatMessageInput extends IdempotentMessageInput {
  @Field(() => ID, { description: 'The chat ticket.' })
  ticketId!: string;

  @Field({ description: 'Plain text (never interpreted as HTML); trimmed, control characters removed.' })
  text!: string;
}

@ObjectType({ description: 'Result of sendChatMessage.' })
export class SendChatMessagePayload {
  @Field(() => TranscriptEntryType, { nullable: true, description: 'The line as stored (the first one, on a retry with the same `idempotencyKey`); its `id` is stable.' })
  line?: ChatTranscriptEntry | null;

  @Field(() => ChatSessionType, { nullable: true, description: 'The chat.' })
  chat?: ChatSessionView | null;

  @Field(() => ID, { nullable: true, description: 'The `eventId` of the TICKET_UPDATED (TRANSCRIPT) event this line recorded; ticket subscriptions resume with `after:` it to get exactly the later changes. Null when it recorded none (a retry with the same `idempotencyKey`, a userError).' })
  eventId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems (a reason in the message, e.g. CHAT_ENDED); empty on success; nothing was stored otherwise.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A chat to end (or, while it waits, to leave the queue of).' })
export class EndChatInput {
  @Field(() => ID, { description: 'The chat ticket.' })
  ticketId!: string;
}

@ObjectType({ description: 'Result of endChat.' })
export class EndChatPayload {
  @Field(() => ChatSessionType, { nullable: true, description: 'The chat, ENDED or CANCELLED.' })
  chat?: ChatSessionView | null;

  @Field(() => TicketInterface, { nullable: true, description: 'The chat ticket; its transcript stays in the history (TKT-5).' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'An ephemeral typing signal (never stored).' })
export class SetChatTypingInput {
  @Field(() => ID, { description: 'The chat ticket.' })
  ticketId!: string;

  @Field({ description: 'True when typing starts, false when it stops.' })
  typing!: boolean;
}

@ObjectType({ description: 'Result of setChatTyping.' })
export class SetChatTypingPayload {
  @Field(() => Boolean, { nullable: true, description: 'True when the signal was sent to the other side; null when refused.' })
  sent?: boolean | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
