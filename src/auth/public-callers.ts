import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Context } from '../context';
import { forbidden, ForbiddenReason, unauthenticated } from './errors';
import type { Decision } from './ticket-access';
import type { Viewer } from './viewer';

/**
 * Root fields of the public schema that any caller may use, signed in or not, customer or staff:
 * the status page, the login help CON-1 allows without signing in, and the e-mail manage link (its
 * own token is the credential). Every other root
 * field — query, mutation and subscription, those added later included — is for signed-in customers.
 */
export const ANY_CALLER_FIELDS: Readonly<Record<'Query' | 'Mutation' | 'Subscription', readonly string[]>> = {
  Query: ['applicationStatus', 'loginHelp'],
  Mutation: ['updateEmailPreferencesByLink'],
  Subscription: ['applicationStatusChanged'],
};

const ALLOW: Decision = { allowed: true };

/**
 * May this caller use a customer field of the public schema? Customers may; staff (`hub:agent`) and
 * integration (`hub:integration`) tokens are refused with NOT_A_CUSTOMER — they use the internal
 * schema — and anonymous callers are told to sign in (`null` reason: UNAUTHENTICATED).
 */
export function canUsePublicCustomerField(viewer: Viewer): Decision | { allowed: false; reason: null } {
  if (viewer.kind === 'customer') return ALLOW;
  if (viewer.kind === 'anonymous') return { allowed: false, reason: null };
  return {
    allowed: false,
    reason: ForbiddenReason.NOT_A_CUSTOMER,
    message: 'The public API is for customer accounts; support staff and integrations use /internal/graphql.',
  };
}

function enforce(viewer: Viewer): void {
  const decision = canUsePublicCustomerField(viewer);
  if (decision.allowed) return;
  if (decision.reason === null) throw unauthenticated();
  throw forbidden(decision.reason, decision.message);
}

function guard<T extends GraphQLFieldResolver<unknown, Context>>(inner: T): T {
  return ((root, args, context, info) => {
    enforce(context.viewer);
    return inner(root, args, context, info);
  }) as T;
}

function guardRootFields(type: GraphQLObjectType | null | undefined, open: readonly string[], subscription: boolean): void {
  if (!type) return;
  for (const field of Object.values(type.getFields())) {
    if (open.includes(field.name)) continue;
    if (subscription) {
      // refused when subscribing; the per-event checks of src/realtime stay as they are
      field.subscribe = guard((field.subscribe ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Context>);
    } else field.resolve = guard((field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Context>);
  }
}

/**
 * Applied once to the public schema when it is built (src/schema.ts): every root field outside
 * `ANY_CALLER_FIELDS` refuses non-customers before its resolver runs, over HTTP and WebSocket alike.
 * The field-level roles (`@Authorized`, src/auth/roles.ts) still apply inside.
 */
export function customersOnly(schema: GraphQLSchema): GraphQLSchema {
  guardRootFields(schema.getQueryType(), ANY_CALLER_FIELDS.Query, false);
  guardRootFields(schema.getMutationType(), ANY_CALLER_FIELDS.Mutation, false);
  guardRootFields(schema.getSubscriptionType(), ANY_CALLER_FIELDS.Subscription, true);
  return schema;
}
