import type { GraphQLObjectType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
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

/**
 * Applies `canReadTicketField` to every field of every ticket type, whichever operation returned
 * the ticket: a new mutation cannot forget the FED-1 rule.
 */
export const fedrampTicketGuard: MiddlewareFn<Context> = ({ context, info }, next) => {
  if (!canReadTicketField(context.viewer, info.fieldName) && isTicketType(info.parentType)) {
    throw fedrampHistoryRestricted();
  }
  return next();
};
