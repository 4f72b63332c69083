import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookEvent } from '../../entities';
import { UserError } from '../types/user-error';

registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description: 'A ticket event a webhook can receive (the `Hub-Event` header and the body\'s `event`).',
  valuesConfig: {
    TICKET_CREATED: { description: 'A ticket was created (any contact method).' },
    TICKET_STATUS_CHANGED: { description: 'A ticket was closed, reopened or escalated.' },
    TICKET_MESSAGE_CREATED: { description: 'A message was added (customer or agent reply, e-mail included).' },
    TICKET_ESCALATION_PROGRESSED: { description: 'An escalation was opened or moved to its next status (ESC-1, ESC-3).' },
    TICKET_ASSIGNED: { description: 'A ticket was assigned to an agent or unassigned.' },
  },
});

/** Where a delivery is. */
export enum WebhookDeliveryStateEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStateEnum, {
  name: 'WebhookDeliveryState',
  description: 'Where a delivery is.',
  valuesConfig: {
    PENDING: { description: 'Waiting for its first attempt or for a retry.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: a permanent refusal (4xx other than 408/429, a redirect, a refused address, webhook paused or removed) or the last retry failed.' },
  },
});

const BRAND_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

@ObjectType('Webhook', { description: "An integration's endpoint for ticket events. The signing secret is shown only when created or rotated." })
export class WebhookType {
  @Field(() => ID, { description: 'Webhook id (also the body\'s `webhookId`).' })
  id!: string;

  @Field({ description: 'Where deliveries are POSTed.' })
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events it receives.' })
  events!: WebhookEvent[];

  @Field(() => [ID], { description: 'The brands whose tickets it hears about.' })
  brandIds!: string[];

  @Field({ description: 'Paused webhooks get no new deliveries; waiting ones fail when their turn comes.' })
  paused!: boolean;

  @Field({ description: 'Registered with a FedRAMP-cleared token (`hub:fedramp`): may receive FedRAMP brands\' events.' })
  fedrampCleared!: boolean;

  @Field(() => String, { nullable: true, description: 'Free text for people.' })
  description?: string | null;

  @Field({ description: 'When it was registered.' })
  createdAt!: Date;

  @Field({ description: 'When it was last changed.' })
  updatedAt!: Date;
}

@ObjectType('WebhookAttempt', { description: 'One HTTP attempt of a delivery.' })
export class WebhookAttemptType {
  @Field(() => Int, { description: 'Attempt number, from 1.' })
  attempt!: number;

  @Field({ description: 'When it started.' })
  at!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null without an answer (timeout, network error, refused address)." })
  statusCode?: number | null;

  @Field(() => Int, { description: 'How long it took, in milliseconds.' })
  durationMs!: number;

  @Field({ description: 'The receiver answered 2xx.' })
  succeeded!: boolean;

  @Field(() => String, { nullable: true, description: 'What went wrong.' })
  error?: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One delivery of one event to one webhook (`Hub-Delivery` is its id).' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'The `Hub-Delivery` header of its requests.' })
  id!: string;

  @Field(() => WebhookEvent, { description: 'The event.' })
  event!: WebhookEvent;

  @Field({ description: 'The domain event id (the body\'s `eventId`): the same on a redelivery; de-duplicate on it.' })
  eventId!: string;

  @Field(() => Int, { nullable: true, description: 'The ticket number.' })
  ticketNumber?: number | null;

  @Field({ description: 'When it was enqueued.' })
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'For a redelivery: the delivery it repeats.' })
  redeliveryOf?: string | null;

  @Field(() => WebhookDeliveryStateEnum, { description: 'Where it is.' })
  state!: WebhookDeliveryStateEnum;

  @Field(() => [WebhookAttemptType], { description: 'Its attempts, oldest first.' })
  attempts!: WebhookAttemptType[];
}

@InputType({ description: 'Register a webhook.' })
export class RegisterWebhookInput {
  @Field({ description: 'An https URL reaching a public address (http and private addresses only where WEBHOOK_ALLOW_PRIVATE_URLS is on).' })
  @Length(1, 2048)
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events to receive (at least one).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  events!: WebhookEvent[];

  @Field(() => [ID], { description: 'The brands whose tickets to hear about (at least one; FedRAMP brands need a `hub:fedramp` token).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(BRAND_ID, { each: true })
  brandIds!: string[];

  @Field(() => String, { nullable: true, description: 'Free text for people.' })
  @IsOptional()
  @MaxLength(200)
  description?: string | null;
}

@InputType({ description: 'Change a webhook; fields left out stay as they are.' })
export class UpdateWebhookInput {
  @Field(() => ID, { description: 'The webhook.' })
  @Length(1, 64)
  id!: string;

  @Field(() => String, { nullable: true, description: 'New URL (same rules as when registering).' })
  @IsOptional()
  @Length(1, 2048)
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true, description: 'New event list.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  events?: WebhookEvent[] | null;

  @Field(() => [ID], { nullable: true, description: 'New brand list.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(BRAND_ID, { each: true })
  brandIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  @IsOptional()
  @MaxLength(200)
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true pauses, false resumes.' })
  paused?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Issue a new signing secret (returned once in `secret`); the old one stops at once.' })
  rotateSecret?: boolean | null;
}

@InputType({ description: 'Remove a webhook.' })
export class RemoveWebhookInput {
  @Field(() => ID, { description: 'The webhook.' })
  @Length(1, 64)
  id!: string;
}

@InputType({ description: 'Send a delivery again.' })
export class RedeliverWebhookInput {
  @Field(() => ID, { description: 'The delivery (`Hub-Delivery`) to repeat.' })
  @Length(1, 64)
  deliveryId!: string;
}

@ObjectType('RegisterWebhookPayload', { description: 'Result of registerWebhook.' })
export class RegisterWebhookPayload {
  @Field(() => WebhookType, { nullable: true, description: 'The new webhook.' })
  webhook?: object | null;

  @Field(() => String, { nullable: true, description: 'The signing secret: shown only here (and when rotated). Keep it secret.' })
  secret?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('UpdateWebhookPayload', { description: 'Result of updateWebhook.' })
export class UpdateWebhookPayload {
  @Field(() => WebhookType, { nullable: true, description: 'The webhook after the change.' })
  webhook?: object | null;

  @Field(() => String, { nullable: true, description: 'The new signing secret when `rotateSecret` was true; null otherwise.' })
  secret?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('RemoveWebhookPayload', { description: 'Result of removeWebhook.' })
export class RemoveWebhookPayload {
  @Field(() => ID, { nullable: true, description: 'The id of the removed webhook.' })
  removedId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('RedeliverWebhookPayload', { description: 'Result of redeliverWebhook.' })
export class RedeliverWebhookPayload {
  @Field(() => WebhookDeliveryType, { nullable: true, description: 'The new delivery (its own `Hub-Delivery`, the same body).' })
  delivery?: object | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
