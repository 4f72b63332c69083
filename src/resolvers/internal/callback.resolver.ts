import { Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { ProductArea, SupportLanguage } from '../../entities';
import { CallbackQueueService } from '../../services/callback-queue.service';
import { EnterpriseService } from '../../services/enterprise.service';
import { TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';

@InputType({ description: 'A callback queue: language and product area (PHN-2).' })
export class TakeNextCallbackInput {
  @Field(() => SupportLanguage, { description: 'Queue language.' })
  language!: SupportLanguage;

  @Field(() => ProductArea, { description: 'Queue product area.' })
  productArea!: ProductArea;
}

@ObjectType({ description: 'Result of takeNextCallback.' })
export class TakeNextCallbackPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The phone ticket whose call starts now; null when nobody waits.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Forward an account-team question to Enterprise Support (ENT-5).' })
export class ForwardToEnterpriseSupportInput {
  @Field(() => ID, { description: 'The account the question is for; it becomes the submitter.' })
  @Length(1, 64)
  accountId!: string;

  @Field(() => ProductArea, { description: 'Product area.' })
  productArea!: ProductArea;

  @Field({ description: 'Subject.' })
  @Length(1, 300)
  subject!: string;

  @Field({ defaultValue: '', description: 'The forwarded question.' })
  @Length(0, 50_000)
  description!: string;
}

@ObjectType({ description: 'Result of forwardToEnterpriseSupport.' })
export class ForwardToEnterpriseSupportPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket, awaiting the user’s verification.' })
  ticket?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

/** Agents: the phone callback queues (PHN-1) and Enterprise forwarding (ENT-5). */
@Resolver()
export class CallbackResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => TakeNextCallbackPayload, { description: 'Start the call for the head of a callback queue: marks it IN_CALL, assigns the ticket to the calling agent and returns it.' })
  async takeNextCallback(@Ctx() ctx: Context, @Arg('input', () => TakeNextCallbackInput, { description: 'The request.' }) input: TakeNextCallbackInput) {
    return { ticket: await new CallbackQueueService(ctx).takeNext(input.language, input.productArea) };
  }

  @Authorized(Role.AGENT)
  @Mutation(() => ForwardToEnterpriseSupportPayload, { description: 'Create a ticket for a question an account team forwards to Enterprise Support; it waits for the user to verify (ENT-5).' })
  async forwardToEnterpriseSupport(@Ctx() ctx: Context, @Arg('input', () => ForwardToEnterpriseSupportInput, { description: 'The request.' }) input: ForwardToEnterpriseSupportInput) {
    return { ticket: await new EnterpriseService(ctx).forward(input) };
  }
}
