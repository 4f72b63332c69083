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
import { WebhookResolver } from './resolvers/internal/webhook.resolver';
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
  TranscriptEntryFieldsResolver,
  TicketFieldsResolver,
} from './resolvers/public/ticket-fields.resolver';
import { ContactResolver, CreateTicketPayloadResolver, EmailTicketEnterpriseResolver, PhoneTicketCallbackResolver, TicketTopicResolver } from './resolvers/public/contact.resolver';
import { TicketResolver } from './resolvers/public/ticket.resolver';
import { RealtimeResolver } from './resolvers/public/realtime.resolver';
import { resolveSubscriptionPayloadsDirectly } from './resolvers/subscription-payloads';
import { mapMutationErrors } from './resolvers/domain-error.mapper';
import { subscriptionPubSub } from './realtime/pubsub';
import { ViewerResolver } from './resolvers/public/viewer.resolver';
import { ViewerCapabilitiesResolver } from './resolvers/public/viewer-capabilities.resolver';
import { NodeResolver } from './resolvers/public/node.resolver';
import { ChatTicketType, ConferenceTicketType, EmailTicketType, EscalationType, PhoneTicketType } from './resolvers/types/ticket.types';
import { nodeTypeName } from './resolvers/types/node';

/** Field resolvers of the types both schemas share. */
const SHARED_TYPE_RESOLVERS = [
  TicketFieldsResolver,
  MessageFieldsResolver,
  TranscriptEntryFieldsResolver,
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

/** Descriptions of the root operation types (type-graphql has no option for them); every schema must give all three. */
interface RootDescriptions {
  query: string;
  mutation: string;
  subscription: string;
}

function describeRoots(schema: GraphQLSchema, text: RootDescriptions): GraphQLSchema {
  const roots = [
    [schema.getQueryType(), text.query],
    [schema.getMutationType(), text.mutation],
    [schema.getSubscriptionType(), text.subscription],
  ] as const;
  for (const [type, description] of roots) if (type) type.description = description;
  return schema;
}

const PUBLIC_ROOTS: RootDescriptions = {
  query:
    'Reads of the Customer Success Hub for a signed-in customer: the viewer and their profile sections, ticket history, contact options and hours, and (without sign-in) the status page. A refused part is null with its error on its own path; the rest of the answer still resolves.',
  mutation:
    'Changes a customer makes: contacting support, replying to and closing tickets, proxy access, e-mail preferences and billing contacts. Each takes one `input` and answers a payload with `userErrors` for anything the user can fix.',
  subscription:
    'Live updates over WebSocket (graphql-transport-ws) or server-sent events: ticket changes, the callback queue, live chat and the status page; every event is authorized for each subscriber when it is delivered (RT-3).',
};

const INTERNAL_ROOTS: RootDescriptions = {
  query: 'Reads for support agents: any ticket, by global id.',
  mutation:
    'Ticket work for support agents (assign, reply, escalate, callbacks, chats, conference calls) and provisioning for the CRM integration (brands, accounts, account teams, contracts, linked accounts, status page).',
  subscription: 'Live updates for support agents on `ws://…/internal/graphql`: ticket changes and live chats, each event authorized at delivery (RT-3).',
};

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
  const schema = customersOnly(describeRoots(finish(await buildSchema({
    ...common,
    resolvers: [ViewerResolver, ViewerCapabilitiesResolver, NodeResolver, TicketResolver, TicketFollowupResolver, TicketCapabilitiesResolver, ContactResolver, CreateTicketPayloadResolver, ConversationResolver, ProfileFieldsResolver, ProfileResolver, ...SHARED_TYPE_RESOLVERS, RealtimeResolver],
    // real time: subscriptions have their own `subscribe` over the domain event bus (src/realtime)
    pubSub: subscriptionPubSub,
  })), PUBLIC_ROOTS));
  resolveSubscriptionPayloadsDirectly(schema);
  return schema;
}

/** The internal schema: support agents and provisioning integrations; its subscriptions are on `ws://…/internal/graphql`. */
export async function buildInternalSchema(): Promise<GraphQLSchema> {
  const schema = describeRoots(finish(
    await buildSchema({
      ...common,
      resolvers: [ProvisioningResolver, AgentTicketResolver, TicketWorkResolver, CallbackResolver, ChatWorkResolver, ApplicationStatusAdminResolver, WebhookResolver, ...SHARED_TYPE_RESOLVERS, AgentRealtimeResolver],
      pubSub: subscriptionPubSub,
    }),
  ), INTERNAL_ROOTS);
  resolveSubscriptionPayloadsDirectly(schema);
  return schema;
}
