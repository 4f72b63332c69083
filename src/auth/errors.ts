import { GraphQLError } from 'graphql';

/** Why an allowed identity may not see or do a thing; sent as `extensions.reason`. */
export enum ForbiddenReason {
  FEDRAMP_RESTRICTED = 'FEDRAMP_RESTRICTED',
  NOT_BRAND_ADMIN = 'NOT_BRAND_ADMIN',
  NOT_A_CUSTOMER = 'NOT_A_CUSTOMER',
  NOT_STAFF = 'NOT_STAFF',
  NOT_AN_AGENT = 'NOT_AN_AGENT',
  NOT_AN_INTEGRATION = 'NOT_AN_INTEGRATION',
  NOT_TICKET_PARTICIPANT = 'NOT_TICKET_PARTICIPANT',
  NOT_BILLING_CONTACT = 'NOT_BILLING_CONTACT',
  /** PREF-3 / FED-3: free accounts and FedRAMP users have no e-mail preferences. */
  EMAIL_PREFERENCES_NOT_ELIGIBLE = 'EMAIL_PREFERENCES_NOT_ELIGIBLE',
  /** ENT-3: only the user who scheduled a conference call changes it. */
  NOT_TICKET_OWNER = 'NOT_TICKET_OWNER',
  /** PHN-5: another agent is on this call. */
  NOT_CALL_AGENT = 'NOT_CALL_AGENT',
  /** CHAT-2: another agent is in this chat. */
  NOT_CHAT_AGENT = 'NOT_CHAT_AGENT',
  /** CHAT-2: only the customer who started the chat writes in it or ends it. */
  NOT_CHAT_CUSTOMER = 'NOT_CHAT_CUSTOMER',
  /** CHAT-2: only a customer or an agent writes in a chat. */
  NOT_A_CHAT_PARTY = 'NOT_A_CHAT_PARTY',
}

/** Codes of every error this API raises as a GraphQL error (not a userError). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The database cannot be reached; retry later (HTTP 503 when nothing could be answered). */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** Anything unexpected; the message is generic and `extensions.requestId` points at the log line. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Missing, malformed, expired or unverifiable credentials. */
export function unauthenticated(message = 'Sign in to use this operation: send Authorization: Bearer <token>.'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/** A known identity asking for something the rules do not allow. */
export function forbidden(reason: ForbiddenReason, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, reason } });
}

/**
 * Why a query argument is refused, sent as `extensions.reason` of BAD_USER_INPUT where the problem has
 * a name a client can act on (LANG-1: its text is `error.BAD_USER_INPUT.<REASON>` in other languages).
 */
export enum InputErrorReason {
  /** `after` / `before` is not a cursor of this list and order (e.g. one kept from another order): start again from the first page. */
  INVALID_CURSOR = 'INVALID_CURSOR',
  /** A date range's `from` is after its `to`. */
  INVALID_RANGE = 'INVALID_RANGE',
}

/** Input the client can correct, outside a mutation payload (query arguments, ids). */
export function badUserInput(message: string, field?: string, reason?: InputErrorReason): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), ...(reason ? { reason } : {}) } });
}

/** The database is down or unreachable: fail fast with a code clients can retry on. */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError('The service is temporarily unavailable (database unreachable). Retry shortly.', {
    extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, http: { status: 503 } },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

/** The FED-1 refusal, identical wherever ticket history is asked for. */
export function fedrampHistoryRestricted(): GraphQLError {
  return forbidden(
    ForbiddenReason.FEDRAMP_RESTRICTED,
    'Support ticket history is not available to FedRAMP accounts. You can still contact support.',
  );
}
