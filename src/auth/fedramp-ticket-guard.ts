import { defaultFieldResolver, type GraphQLFieldResolver, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Context } from '../context';
import { fedrampHistoryRestricted } from './errors';
import type { Viewer } from './viewer';

/**
 * FED-1: what a FedRAMP customer may see of their own ticket when a contact mutation hands it back
 * (create, idempotent retry, callback language choice, Enterprise verification): the receipt of
 * what they submitted and the live contact-flow state, never the history that followed.
 */
export const FEDRAMP_TICKET_RECEIPT_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'number',
  'type',
  'subject',
  'description',
  'descriptionLanguage',
  'productArea',
  'supportLanguage',
  'createdAt',
  'phoneCall',
  'callbackStatus',
  'chat',
  'enterpriseVerification',
]);

/** May this viewer read this field of a ticket? Everyone but FedRAMP customers may read all of them. */
export function canReadTicketField(viewer: Viewer, field: string): boolean {
  if (viewer.kind !== 'customer' || !viewer.isFedramp) return true;
  return FEDRAMP_TICKET_RECEIPT_FIELDS.has(field);
}

function isTicketType(type: GraphQLObjectType): boolean {
  return type.getInterfaces().some((i) => i.name === 'Ticket');
}

/** Resolvers already wrapped (a type shared by both schemas is guarded once). */
const GUARDED = new WeakSet<GraphQLFieldResolver<unknown, Context>>();

/**
 * Applies `canReadTicketField` to every field of every ticket type, whichever operation returned
 * the ticket: a new mutation cannot forget the FED-1 rule. It wraps the resolvers of the ticket
 * types once, after the schema is built, instead of running as a type-graphql global middleware:
 * a global middleware puts an async middleware chain on every field of every type (account names,
 * timeline dates, …), a measurable share of the cost of listing tickets (docs/performance.md).
 * Receipt fields are readable by everyone, so they keep their resolvers untouched.
 */
export function guardTicketFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__') || !isTicketType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (FEDRAMP_TICKET_RECEIPT_FIELDS.has(field.name)) continue;
      if (field.resolve && GUARDED.has(field.resolve)) continue;
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Context, info) => {
        if (!canReadTicketField(context.viewer, info.fieldName)) throw fedrampHistoryRestricted();
        return resolve(source, args, context, info);
      };
      GUARDED.add(field.resolve);
    }
  }
  return schema;
}
