import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import type { Webhook } from '../../entities';
import { WebhookService, type WebhookDeliveryView } from '../../services/webhook.service';
import {
  RedeliverWebhookInput,
  RedeliverWebhookPayload,
  RegisterWebhookInput,
  RegisterWebhookPayload,
  RemoveWebhookInput,
  RemoveWebhookPayload,
  UpdateWebhookInput,
  UpdateWebhookPayload,
  WebhookDeliveryType,
  WebhookType,
} from './webhook.types';

/** The delivery log as the schema shows it (the ticket by its number). */
function deliveryOf(view: WebhookDeliveryView) {
  return { ...view, ticketNumber: view.ticketId };
}

/** Webhooks of integrations (internal schema only, docs/webhooks.md). */
@Resolver(() => WebhookType)
export class WebhookResolver {
  @Authorized(Role.INTEGRATION)
  @Query(() => [WebhookType], { description: "The calling integration's webhooks, oldest first." })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return new WebhookService(ctx).list();
  }

  @FieldResolver(() => [WebhookDeliveryType], { description: 'The delivery log, newest first: each delivery with its attempts (status code, duration, error, time).' })
  async deliveries(@Root() hook: Webhook, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 20, description: 'How many (at most 100).' }) first: number) {
    return (await new WebhookService(ctx).deliveries(hook, first)).map(deliveryOf);
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => RegisterWebhookPayload, { description: 'Register an endpoint for ticket events; the signing secret is returned once.' })
  registerWebhook(@Ctx() ctx: Context, @Arg('input', () => RegisterWebhookInput, { description: 'The endpoint URL, the events to deliver and the brands whose tickets they cover.' }) input: RegisterWebhookInput) {
    return new WebhookService(ctx).register(input);
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => UpdateWebhookPayload, { description: 'Change, pause or resume a webhook, or rotate its secret.' })
  updateWebhook(@Ctx() ctx: Context, @Arg('input', () => UpdateWebhookInput, { description: 'The webhook and what to change (URL, events, brands, description, pause, secret rotation); fields left out stay.' }) input: UpdateWebhookInput) {
    return new WebhookService(ctx).update(input);
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => RemoveWebhookPayload, { description: 'Remove a webhook and its delivery log.' })
  async removeWebhook(@Ctx() ctx: Context, @Arg('input', () => RemoveWebhookInput, { description: 'The webhook to remove.' }) input: RemoveWebhookInput) {
    return { removedId: await new WebhookService(ctx).remove(input.id) };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => RedeliverWebhookPayload, { description: "Send a delivery's body again, as a new delivery." })
  async redeliverWebhook(@Ctx() ctx: Context, @Arg('input', () => RedeliverWebhookInput, { description: 'The earlier delivery whose body is sent again.' }) input: RedeliverWebhookInput) {
    return { delivery: deliveryOf(await new WebhookService(ctx).redeliver(input.deliveryId)) };
  }
}
