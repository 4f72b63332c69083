import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { CallbackQueueService } from '../../services/callback-queue.service';
import { ChatService } from '../../services/chat.service';
import { ConferenceService } from '../../services/conference.service';
import { chatSessionView } from '../chat-support';
import { EndChatInput, EndChatPayload, SendChatMessageInput, SendChatMessagePayload, SetChatTypingInput, SetChatTypingPayload } from '../types/chat.types';
import { inputIdOf } from '../types/node';
import { TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';
import { CallbackQueueStatusType } from './contact.types';

@InputType({ description: 'Leave the callback queue (PHN-5).' })
export class CancelCallbackInput {
  @Field(() => ID, { description: 'The phone ticket.' })
  ticketId!: string;
}

@ObjectType({ description: 'Result of cancelCallback.' })
export class CancelCallbackPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The phone ticket, closed.' })
  ticket?: object | null;

  @Field(() => CallbackQueueStatusType, { nullable: true, description: 'The request, CANCELLED.' })
  callbackStatus?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new slot for a conference call support has not accepted yet (ENT-3).' })
export class RescheduleConferenceCallInput {
  @Field(() => ID, { description: 'The conference ticket.' })
  ticketId!: string;

  @Field({ description: "New start; in the future, inside the specialists' hours, at most 180 days ahead." })
  scheduledAt!: Date;
}

@InputType({ description: 'Cancel a conference call support has not accepted yet (ENT-3).' })
export class CancelConferenceCallInput {
  @Field(() => ID, { description: 'The conference ticket.' })
  ticketId!: string;
}

@ObjectType({ description: 'Result of rescheduleConferenceCall and cancelConferenceCall.' })
export class ConferenceCallChangePayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The conference ticket.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems (e.g. CALL_ALREADY_ACCEPTED); empty on success.' })
  userErrors!: UserError[];
}

const chatIdOf = (ctx: Context, input: { ticketId: string }) => inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.chat.noSuchChat');
const conferenceIdOf = (ctx: Context, input: { ticketId: string }) => inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.conference.notFound');

/**
 * The customer's side of conversations that finish (CHAT-1, CHAT-2, PHN-5, ENT-3): chat lines, ending
 * a chat, leaving the callback queue, rescheduling or cancelling a conference call. Thin: decode the
 * id, call one service method.
 */
@Resolver()
export class ConversationResolver {
  @Authorized(Role.CUSTOMER)
  @Mutation(() => SendChatMessagePayload, { description: 'Send a line to your chat once an agent joined (CHAT-2); both sides see it live (chatUpdated). Safe to retry with an `idempotencyKey`.' })
  async sendChatMessage(@Ctx() ctx: Context, @Arg('input', () => SendChatMessageInput, { description: 'The line.' }) input: SendChatMessageInput) {
    const { session, lines, eventId } = await new ChatService(ctx).send(chatIdOf(ctx, input), [input.text], ['input', 'text'], input.idempotencyKey);
    return { line: lines[0], chat: await chatSessionView(ctx, session), eventId };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => EndChatPayload, { description: 'End your chat; while it still waits, this leaves the queue and cancels it (CHAT-1, CHAT-2).' })
  async endChat(@Ctx() ctx: Context, @Arg('input', () => EndChatInput, { description: 'The chat.' }) input: EndChatInput) {
    const { ticket, session } = await new ChatService(ctx).end(chatIdOf(ctx, input));
    return { ticket, chat: await chatSessionView(ctx, session) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => SetChatTypingPayload, { description: 'Tell the agent you are typing (or stopped); ephemeral, never stored.' })
  async setChatTyping(@Ctx() ctx: Context, @Arg('input', () => SetChatTypingInput, { description: 'The signal.' }) input: SetChatTypingInput) {
    await new ChatService(ctx).typing(chatIdOf(ctx, input), input.typing);
    return { sent: true };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CancelCallbackPayload, { description: 'Leave the callback queue (PHN-5): the request is cancelled and its ticket closed; the callers behind move up.' })
  cancelCallback(@Ctx() ctx: Context, @Arg('input', () => CancelCallbackInput, { description: 'The phone request.' }) input: CancelCallbackInput) {
    return new CallbackQueueService(ctx).cancel(inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.callback.notYours'));
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => ConferenceCallChangePayload, { description: 'Move a conference call support has not accepted yet to another slot (ENT-3).' })
  async rescheduleConferenceCall(@Ctx() ctx: Context, @Arg('input', () => RescheduleConferenceCallInput, { description: 'The new slot.' }) input: RescheduleConferenceCallInput) {
    return { ticket: await new ConferenceService(ctx).reschedule(conferenceIdOf(ctx, input), input.scheduledAt) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => ConferenceCallChangePayload, { description: 'Cancel a conference call support has not accepted yet (ENT-3); its ticket is closed.' })
  async cancelConferenceCall(@Ctx() ctx: Context, @Arg('input', () => CancelConferenceCallInput, { description: 'The call.' }) input: CancelConferenceCallInput) {
    return { ticket: await new ConferenceService(ctx).cancel(conferenceIdOf(ctx, input)) };
  }
}
