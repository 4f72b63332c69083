import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ContactRequest } from '../../domain/contact';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import type { TicketView } from '../../read/tickets';
import { ProductArea, SupportLanguage } from '../../entities';
import { EnterpriseService } from '../../services/enterprise.service';
import { TicketCreateService, unavailableReasonOf, type TopicOption } from '../../services/ticket-create.service';
import { loginHelp, type LoginHelp } from '../../services/login-help';
import { UnavailableReason } from '../../services/support-hours';
import type { QueueStatus } from '../../services/callback-queue.service';
import { inputIdOf, ticketOrEscalationRef } from '../types/node';
import { EmailTicketType, PhoneTicketType, TicketInterface } from '../types/ticket.types';
import {
  CallbackQueueStatusType,
  ChooseCallbackLanguageInput,
  ChooseCallbackLanguagePayload,
  CreateEmailTicketInput,
  CreateTicketPayload,
  EnterpriseVerificationType,
  LoginHelpType,
  RequestPhoneCallbackInput,
  SupportTopicOptionType,
  ScheduleConferenceCallInput,
  StartChatInput,
  ProductAreaInfoType,
  SupportLanguageHoursType,
  SupportOptionsType,
  VerifyEnterpriseAccountInput,
  VerifyEnterpriseAccountPayload,
} from './contact.types';

/** The request with its FUP-5 references decoded from global ids. */
function withReferences<T extends { references?: string[] | null }>(input: T): Omit<T, 'references'> & ContactRequest {
  return { ...input, references: input.references?.map(ticketOrEscalationRef) ?? null };
}

function verificationOf(ticket: TicketView): EnterpriseVerificationType {
  return {
    enterprise: ticket.enterprise,
    awaitingVerification: ticket.awaitingVerification,
    enterpriseAccessAllowed: ticket.enterpriseAccessAllowed ?? null,
    verifiedAt: ticket.verifiedAt ?? null,
  };
}

/** Contacting support (CON-1…9, PHN-3, ENT-1…5): signed-in customers only (CON-1). */
@Resolver()
export class ContactResolver {
  @Authorized(Role.CUSTOMER)
  @Query(() => SupportOptionsType, { description: 'The contact methods available now for a product area and language, and why the others are not (CON-2…8, ENT-1).' })
  supportOptions(
    @Ctx() ctx: Context,
    @Arg('productArea', () => ProductArea, { description: 'Product area (CON-3).' }) productArea: ProductArea,
    @Arg('language', () => SupportLanguage, { description: 'Support language (CON-5, CON-8).' }) language: SupportLanguage,
  ) {
    return new TicketCreateService(ctx).supportOptions(productArea, language);
  }

  @Query(() => LoginHelpType, { description: 'CON-1: the login and account-creation help, the one help available without signing in (any caller; texts in the answer language).' })
  loginHelp(@Ctx() ctx: Context): LoginHelp {
    return loginHelp(ctx.t);
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => [ProductAreaInfoType], { description: 'Every product area with its name and description in the answer language, the topics the viewer can pick for it and where its requests go (CON-2, CON-3, LANG-1).' })
  productAreas(@Ctx() ctx: Context) {
    return new TicketCreateService(ctx).productAreas();
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => [SupportLanguageHoursType], { description: 'For each support language, the hours of every contact method as data, and whether each is open now (CON-5, CON-6, CON-8).' })
  supportHours(@Ctx() ctx: Context) {
    return new TicketCreateService(ctx).supportHours();
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CreateTicketPayload, { description: 'Open an e-mail ticket (CON-6); a confirmation e-mail is queued (CON-9).' })
  async createEmailTicket(@Ctx() ctx: Context, @Arg('input', () => CreateEmailTicketInput, { description: 'The request.' }) input: CreateEmailTicketInput) {
    const service = new TicketCreateService(ctx);
    const created = await service.createEmailTicket(withReferences(input));
    // CON-8: accepted outside the language's hours, it says when it is picked up
    return { ...created, pickUpAt: null, pickUpNotice: null, ...service.emailPickUp(input.language) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CreateTicketPayload, { description: 'Ask for a phone callback (CON-7); joins the callback queue (PHN-1).' })
  async requestPhoneCallback(@Ctx() ctx: Context, @Arg('input', () => RequestPhoneCallbackInput, { description: 'The request.' }) input: RequestPhoneCallbackInput) {
    return new TicketCreateService(ctx).requestPhoneCallback(withReferences(input));
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CreateTicketPayload, { description: 'Start a chat, while chat is available (CON-5).' })
  async startChat(@Ctx() ctx: Context, @Arg('input', () => StartChatInput, { description: 'The request.' }) input: StartChatInput) {
    return new TicketCreateService(ctx).startChat(withReferences(input));
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CreateTicketPayload, { description: 'Schedule a conference call with a support specialist (ENT-3).' })
  async scheduleConferenceCall(@Ctx() ctx: Context, @Arg('input', () => ScheduleConferenceCallInput, { description: 'The request.' }) input: ScheduleConferenceCallInput) {
    return new TicketCreateService(ctx).scheduleConferenceCall(withReferences(input));
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => ChooseCallbackLanguagePayload, { description: 'Answer the English fallback offer of a waiting phone request (PHN-3).' })
  async chooseCallbackLanguage(@Ctx() ctx: Context, @Arg('input', () => ChooseCallbackLanguageInput, { description: 'The request.' }) input: ChooseCallbackLanguageInput) {
    return new TicketCreateService(ctx).chooseCallbackLanguage({ ...input, ticketId: inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId'], 'userError.callback.notYours') });
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => VerifyEnterpriseAccountPayload, { description: 'Verify the account on a ticket forwarded to Enterprise Support, and say whether it may access the account (ENT-5).' })
  async verifyEnterpriseAccount(@Ctx() ctx: Context, @Arg('input', () => VerifyEnterpriseAccountInput, { description: 'The request.' }) input: VerifyEnterpriseAccountInput) {
    const ticket = await new EnterpriseService(ctx).verify(inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId']), input.allowEnterpriseAccess);
    return { ticket, verification: verificationOf(ticket) };
  }
}

/** CON-2: the topic a ticket was filed under. */
@Resolver(() => TicketInterface)
export class TicketTopicResolver {
  @FieldResolver(() => SupportTopicOptionType, { nullable: true, description: 'CON-2: the topic picked on the contact page, with its texts in the answer language; null for tickets filed without one (recorded by support, by e-mail, or before topics).' })
  topic(@Root() ticket: TicketView, @Ctx() ctx: Context): TopicOption | null {
    return ticket.topic ? new TicketCreateService(ctx).topicOption(ticket.topic) : null;
  }
}

/** PHN-2, PHN-3: a phone ticket's place in its callback queue. */
@Resolver(() => PhoneTicketType)
export class PhoneTicketCallbackResolver {
  @FieldResolver(() => CallbackQueueStatusType, { nullable: true, description: 'Position, estimated wait and English fallback offer while the callback is pending (PHN-2, PHN-3).' })
  callbackStatus(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<QueueStatus | null> {
    return new TicketCreateService(ctx).callbackStatus(ticket.id);
  }
}

/** ENT-5: verification state of tickets forwarded to Enterprise Support (always e-mail tickets). */
@Resolver(() => EmailTicketType)
export class EmailTicketEnterpriseResolver {
  @FieldResolver(() => EnterpriseVerificationType, { description: 'Enterprise Support handling and the ENT-5 verification state.' })
  enterpriseVerification(@Root() ticket: TicketView): EnterpriseVerificationType {
    return verificationOf(ticket);
  }
}

/** CON-4: a create refused because the method is not available now says why, beside its userError. */
@Resolver(() => CreateTicketPayload)
export class CreateTicketPayloadResolver {
  @FieldResolver(() => UnavailableReason, { nullable: true, description: 'When refused because the method is not available now, why.' })
  unavailableReason(@Root() payload: CreateTicketPayload): UnavailableReason | null {
    return payload.userErrors.map((e) => unavailableReasonOf(e.reason)).find((r) => r !== null) ?? null;
  }
}
