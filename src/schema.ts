import { GraphQLInterfaceType, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { guardTicketFields } from './auth/fedramp-ticket-guard';
import { authChecker } from './auth/roles';
import { customersOnly } from './auth/public-callers';
import { storableMutationText } from './edge/input';
import { AgentRealtimeResolver } from './resolvers/internal/agent-realtime.resolver';
import { AgentTicketResolver } from './resolvers/internal/agent-ticket.resolver';
import { CallbackResolver } from './resolvers/internal/callback.resolver';
import { ApplicationStatusAdminResolver } from './resolvers/internal/application-status.resolver';
import { ProvisioningResolver } from './resolvers/internal/provisioning.resolver';
import { TicketWorkResolver } from './resolvers/internal/ticket-work.resolver';
import { ChatWorkResolver } from './resolvers/internal/chat-work.resolver';
import { ConversationResolver } from './resolvers/public/conversation.resolver';
import { TicketCapabilitiesResolver, TicketFollowupResolver } from './resolvers/public/ticket-followup.resolver';
import { ApplicationComponentStatusFieldsResolver, ProfileFieldsResolver, ProfileResolver } from './resolvers/public/profile.resolver';
import {
  AttachmentFieldsResolver,
  ChatTicketResolver,
  ConferenceTicketResolver,
  EscalationFieldsResolver,
  MessageFieldsResolver,
  PhoneTicketResolver,
  TicketFieldsResolver,
} from './resolvers/public/ticket-fields.resolver';
import { ContactResolver, CreateTicketPayloadResolver, EmailTicketEnterpriseResolver, PhoneTicketCallbackResolver, TicketTopicResolver } from './resolvers/public/contact.resolver';
import { TicketResolver } from './resolvers/public/ticket.resolver';
import { RealtimeResolver } from './resolvers/public/realtime.resolver';
import { resolveSubscriptionPayloadsDirectly } from './resolvers/subscription-payloads';
import { mapMutationErrors } from './resolvers/domain-error.mapper';
import { subscriptionPubSub } from './realtime/pubsub';
import { ViewerResolver } from './resolvers/public/viewer.resolver';
import { ChatTicketType, ConferenceTicketType, EmailTicketType, EscalationType, PhoneTicketType } from './resolvers/types/ticket.types';
import { nodeTypeName } from './resolvers/types/node';

/** Field resolvers of the types both schemas share. */
const SHARED_TYPE_RESOLVERS = [
  TicketFieldsResolver,
  MessageFieldsResolver,
  AttachmentFieldsResolver,
  ApplicationComponentStatusFieldsResolver,
  PhoneTicketResolver,
  ChatTicketResolver,
  ConferenceTicketResolver,
  EscalationFieldsResolver,
  PhoneTicketCallbackResolver,
  EmailTicketEnterpriseResolver,
  TicketTopicResolver,
] as const;

/** Implementations of Node/Ticket are listed, never auto-registered, so nothing slips into a schema. */
const TICKET_TYPES = [EmailTicketType, PhoneTicketType, ChatTicketType, ConferenceTicketType, EscalationType];

const common = {
  authChecker,
  scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  orphanedTypes: TICKET_TYPES,
};

/**
 * type-graphql wraps every `resolveType` in an async function, so each ticket of a list cost a
 * promise (and a trip through the microtask queue) to learn its own type. Both abstract types
 * (Node, Ticket) are decided by `nodeTypeName`, which is synchronous: it is set back as their
 * `resolveType`. A new interface must say how it resolves; building the schema fails until it does.
 */
function synchronousResolveTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLInterfaceType) || type.name.startsWith('__')) continue;
    if (type.name !== 'Node' && type.name !== 'Ticket') throw new Error(`interface ${type.name} needs a synchronous resolveType`);
    type.resolveType = (value: unknown) => nodeTypeName(value as object);
  }
  return schema;
}

/**

 * Schema-wide changes after building: synchronous type resolution, the FED-1 field guard, the
 * refusal of unstorable text in mutation arguments (src/edge/input.ts), and outermost the one mapper
 * of domain errors (userErrors in mutations, src/resolvers/domain-error.mapper.ts).
 */
const finish = (schema: GraphQLSchema) => mapMutationErrors(storableMutationText(guardTicketFields(synchronousResolveTypes(schema))));

/**
 * The public schema: customers and partners. Built only from public resolvers; every root field
 * outside `ANY_CALLER_FIELDS` refuses staff and integration tokens (`customersOnly`, src/auth).
 */
export async function buildPublicSchema(): Promise<GraphQLSchema> {
  const schema = customersOnly(finish(await buildSchema({
    ...common,
    resolvers: [ViewerResolver, TicketResolver, TicketFollowupResolver, TicketCapabilitiesResolver, ContactResolver, CreateTicketPayloadResolver, ConversationResolver, ProfileFieldsResolver, ProfileResolver, ...SHARED_TYPE_RESOLVERS, RealtimeResolver],
    // real time: subscriptions have their own `subscribe` over the domain event bus (src/realtime)
    pubSub: subscriptionPubSub,
  })));
  resolveSubscriptionPayloadsDirectly(schema);
  return schema;
}

/** The internal schema: support agents and provisioning integrations; its subscriptions are on `ws://…/internal/graphql`. */
export async function buildInternalSchema(): Promise<GraphQLSchema> {
  const schema = finish(
    await buildSchema({
      ...common,
      resolvers: [ProvisioningResolver, AgentTicketResolver, TicketWorkResolver, CallbackResolver, ChatWorkResolver, ApplicationStatusAdminResolver, ...SHARED_TYPE_RESOLVERS, AgentRealtimeResolver],
      pubSub: subscriptionPubSub,
    }),
  );
  resolveSubscriptionPayloadsDirectly(schema);
  return schema;
}
