import { ConnectionException } from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode } from '../auth/errors';
import { DomainError } from '../domain/errors';
import { toGraphQLError } from '../resolvers/domain-error.mapper';
import { localizeErrorMessage } from '../i18n/errors';
import type { DatabaseAvailability } from './database-availability';
import type { Logger } from './logger';
import { currentScope } from './request-context';

/**
 * Network and server-state codes meaning "the database is not there right now": node's, and
 * PostgreSQL's SQLSTATE class 08 (connection exception) and 57P0x (shutting down, starting up) —
 * except 08P01, protocol violation, which PostgreSQL also answers for a NUL byte in a bound
 * parameter: the caller's bad text, not an outage (clients would retry it and alerts would fire).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  '08000', '08001', '08003', '08004', '08006', '08007',
  '57P01', '57P02', '57P03',
]);
const UNAVAILABLE_MESSAGE = /Connection terminated|Connection ended unexpectedly|timeout exceeded when trying to connect|Timeout acquiring a connection|terminating connection due to administrator command|the database system is (starting up|shutting down)/i;

/** True when the error (or anything it wraps) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (current instanceof ConnectionException || e.name === 'KnexTimeoutError') return true;
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

const GENERIC_MESSAGE = 'Internal server error. Quote the requestId when you report it.';

/** `extensions.code` of an APQ request whose `sha256Hash` is not the hash of its `query` (HTTP 400). */
export const PERSISTED_QUERY_HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH';
/** Apollo's message for it; Apollo gives the error no code of its own (it would read INTERNAL_SERVER_ERROR). */
const APQ_HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

/**
 * Apollo `formatError` of both schemas, the one place errors leave the server:
 * - a service's DomainError that reached here is mapped by src/resolvers/domain-error.mapper.ts;
 * - errors raised on purpose carry a code (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, the limits'
 *   codes, Apollo's own parse/validation codes…) and pass through unchanged;
 * - type-graphql input validation failures become BAD_USER_INPUT with `validationErrors`;
 * - a database that cannot be reached becomes DATABASE_UNAVAILABLE (the outage is logged once, by `availability`);
 * - anything else is unexpected: it is logged with the request id and answered as
 *   INTERNAL_SERVER_ERROR with that id. In production the message is generic and no stack trace or
 *   SQL leaves the server.
 * Then the message is put in the request's language when its code has a catalog text (LANG-1).
 */
export function createErrorFormatter(opts: { schema: 'public' | 'internal'; production: boolean; logger: Logger; availability?: DatabaseAvailability }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let result = formatError(formatted, error, opts);
    // the request's log line and metrics count what was actually sent
    const scope = currentScope();
    // LANG-1: the text in the request's language where the code has one in the catalog
    const localized = scope?.locale && localizeErrorMessage(scope.locale, result.extensions?.code, result.extensions?.reason);
    if (localized) result = { ...result, message: localized };
    if (scope) {
      scope.schema ??= opts.schema;
      scope.errorCodes.push(String(result.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
    }
    return result;
  };
}

function formatError(formatted: GraphQLFormattedError, error: unknown, opts: { production: boolean; logger: Logger; availability?: DatabaseAvailability }): GraphQLFormattedError {
  const original = unwrapResolverError(error) as { name?: string; validationErrors?: unknown } | undefined;
  if (original instanceof DomainError) {
    // a domain refusal outside a userErrors payload (queries, field resolvers): the one mapper decides
    const mapped = toGraphQLError(original);
    return { ...formatted, message: mapped.message, extensions: { ...mapped.extensions } };
  }
  if (original?.name === 'ArgumentValidationError') {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT, validationErrors: original.validationErrors } };
  }
  const requestId = currentScope()?.requestId;
  if (formatted.message === APQ_HASH_MISMATCH_MESSAGE) {
    return { message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.', extensions: { code: PERSISTED_QUERY_HASH_MISMATCH, requestId } };
  }
  const code = formatted.extensions?.code;
  if (code === ErrorCode.DATABASE_UNAVAILABLE) return { ...formatted, extensions: { ...formatted.extensions, requestId } };
  if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;

  if (isDatabaseUnavailable(error)) {
    // one log line per outage (its start and end), not one per refused request: src/observability/database-availability.ts
    opts.availability?.failed(original ?? error);
    return {
      message: 'The service is temporarily unavailable (database unreachable). Retry shortly.',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, requestId },
    };
  }
  opts.logger.error({ requestId, err: original, path: formatted.path }, 'unexpected error');
  return {
    message: opts.production ? GENERIC_MESSAGE : formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      requestId,
      // development keeps Apollo's stack trace for debugging; production never sends one
      ...(!opts.production && formatted.extensions?.stacktrace ? { stacktrace: formatted.extensions.stacktrace } : {}),
    },
  };
}
