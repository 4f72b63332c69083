import { describe, expect, it } from 'vitest';
import { GraphQLEnumType } from 'graphql';
import { ForbiddenReason } from '../src/auth/errors';
import { DomainError, DomainErrorCode, StateReason } from '../src/domain/errors';
import { toGraphQLError, toUserError } from '../src/resolvers/domain-error.mapper';
import { buildInternalSchema, buildPublicSchema } from '../src/schema';

/** Table of the one mapper: each domain code outside a userErrors payload, and inside one. */
const OUTSIDE_A_PAYLOAD: Record<DomainErrorCode, string> = {
  [DomainErrorCode.INVALID]: 'BAD_USER_INPUT',
  [DomainErrorCode.REQUIRED]: 'BAD_USER_INPUT',
  [DomainErrorCode.NOT_FOUND]: 'NOT_FOUND',
  [DomainErrorCode.TAKEN]: 'BAD_USER_INPUT',
  [DomainErrorCode.LIMIT_EXCEEDED]: 'BAD_USER_INPUT',
  [DomainErrorCode.INVALID_STATE]: 'BAD_USER_INPUT',
  [DomainErrorCode.FORBIDDEN]: 'FORBIDDEN',
};

describe('domain errors and their one mapper', () => {
  it.each(Object.values(DomainErrorCode))('%s outside a userErrors payload is a GraphQL error with its code', (code) => {
    const error =
      code === DomainErrorCode.FORBIDDEN
        ? DomainError.forbidden(ForbiddenReason.NOT_A_CUSTOMER, 'no')
        : code === DomainErrorCode.INVALID_STATE
          ? DomainError.state(['input', 'ticketId'], StateReason.TICKET_CLOSED, 'closed')
          : DomainError.input(['input', 'x'], code, 'bad');
    const mapped = toGraphQLError(error);
    expect(mapped.extensions.code).toBe(OUTSIDE_A_PAYLOAD[code]);
    if (code === DomainErrorCode.FORBIDDEN) expect(mapped.extensions.reason).toBe('NOT_A_CUSTOMER');
    else expect(mapped.extensions.field).toBe(code === DomainErrorCode.INVALID_STATE ? 'input.ticketId' : 'input.x');
  });

  it('a fixable problem keeps its path, code and reason as a userError', () => {
    const [problem] = DomainError.state(['input', 'ticketId'], StateReason.NO_EMAIL_THREAD, 'No thread.').problems;
    expect(toUserError(problem)).toEqual({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'NO_EMAIL_THREAD', message: 'No thread.' });
    expect(toUserError(DomainError.input(['input', 'subject'], DomainErrorCode.REQUIRED, 'Required.').problems[0]).reason).toBeNull();
  });

  it('FORBIDDEN is never a userError', () => {
    expect(DomainError.forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, 'no').fixable).toBe(false);
    expect(DomainError.input(['input'], DomainErrorCode.INVALID, 'bad').fixable).toBe(true);
  });

  it('both schemas list every StateReason as a UserErrorReason value', async () => {
    for (const schema of [await buildPublicSchema(), await buildInternalSchema()]) {
      const type = schema.getType('UserErrorReason');
      expect(type).toBeInstanceOf(GraphQLEnumType);
      expect((type as GraphQLEnumType).getValues().map((v) => v.value).sort()).toEqual(Object.values(StateReason).sort());
    }
  });
});
