import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { CallOutcome, ProductArea, SupportLanguage } from '../../entities';
import { CallbackQueueService } from '../../services/callback-queue.service';
import { ChatService } from '../../services/chat.service';
import { chatSessionView } from '../chat-support';
import { ChatSessionType, EndChatInput, EndChatPayload, SetChatTypingInput, SetChatTypingPayload, type ChatSessionView } from '../types/chat.types';
import { inputIdOf } from '../types/node';
import { TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';

@InputType({ description: 'A chat queue: language and product area (CHAT-1).' })
export class TakeNextChatInput {
  @Field(() => SupportLanguage, { description: 'Queue language.' })
  language!: SupportLanguage;

  @Field(() => ProductArea, { description: 'Queue product area.' })
  productArea!: ProductArea;
}

@ObjectType({ description: 'Result of takeNextChat.' })
export class TakeNextChatPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The chat ticket the agent joined; null when nobody waits.' })
  ticket?: object | null;

  @Field(() => ChatSessionType, { nullable: true, description: 'The chat, ACTIVE.' })
  chat?: ChatSessionView | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Complete a phone call the agent took (PHN-5).' })
export class CompleteCallbackInput {
  @Field(() => ID, { description: 'The phone ticket.' })
  ticketId!: string;

  @Field(() => CallOutcome, { description: 'How the call ended.' })
  outcome!: CallOutcome;
}

@ObjectType({ description: 'Result of completeCallback.' })
export class CompleteCallbackPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The phone ticket.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems (e.g. CALL_NOT_IN_PROGRESS); empty on success.' })
  userErrors!: UserError[];
}

const chatIdOf = (ctx: Context, input: { ticketId: string }) => inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.chat.noSuchChat');

/**
 * The agent's side of live chat (CHAT-1, CHAT-2) and of finishing a call (PHN-5). Agents send their
 * chat lines with `appendChatTranscript`; they follow a chat live with `chatUpdated` on
 * ws://…/internal/graphql (src/resolvers/internal/agent-realtime.resolver.ts).
 */
@Resolver()
export class ChatWorkResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => TakeNextChatPayload, { description: 'Join the chat at the head of a queue (CHAT-1): it becomes ACTIVE and the ticket is assigned to the calling agent.' })
  async takeNextChat(@Ctx() ctx: Context, @Arg('input', () => TakeNextChatInput, { description: 'The queue.' }) input: TakeNextChatInput) {
    const joined = await new ChatService(ctx).takeNext(input.language, input.productArea);
    return joined ? { ticket: joined.ticket, chat: await chatSessionView(ctx, joined.session) } : { ticket: null, chat: null };
  }

  @Authorized(Role.AGENT)
  @Mutation(() => EndChatPayload, { description: 'End a chat the agent is in (CHAT-2); its transcript stays on the ticket (TKT-5).' })
  async endChat(@Ctx() ctx: Context, @Arg('input', () => EndChatInput, { description: 'The chat.' }) input: EndChatInput) {
    const { ticket, session } = await new ChatService(ctx).end(chatIdOf(ctx, input));
    return { ticket, chat: await chatSessionView(ctx, session) };
  }

  @Authorized(Role.AGENT)
  @Mutation(() => SetChatTypingPayload, { description: 'Tell the customer the agent is typing (or stopped); ephemeral, never stored.' })
  async setChatTyping(@Ctx() ctx: Context, @Arg('input', () => SetChatTypingInput, { description: 'The signal.' }) input: SetChatTypingInput) {
    await new ChatService(ctx).typing(chatIdOf(ctx, input), input.typing);
    return { sent: true };
  }

  @Authorized(Role.AGENT)
  @Mutation(() => CompleteCallbackPayload, { description: 'Complete a call the agent took (PHN-5); its handle time feeds the queue’s estimates (PHN-2).' })
  async completeCallback(@Ctx() ctx: Context, @Arg('input', () => CompleteCallbackInput, { description: 'The call.' }) input: CompleteCallbackInput) {
    const ticketId = inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.callback.noRequest');
    return { ticket: await new CallbackQueueService(ctx).complete(ticketId, input.outcome) };
  }
}
