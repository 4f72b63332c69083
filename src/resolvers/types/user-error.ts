import { GraphQLError } from 'graphql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Refusal } from '../../services/refusal';

/** Codes of problems the user can fix; returned in `userErrors`, never thrown. */
export enum UserErrorCode {
  INVALID = 'INVALID',
  REQUIRED = 'REQUIRED',
  NOT_FOUND = 'NOT_FOUND',
  TAKEN = 'TAKEN',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  INVALID_STATE = 'INVALID_STATE',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why an input was refused.',
  valuesConfig: {
    INVALID: { description: 'The value is malformed or not allowed.' },
    REQUIRED: { description: 'A required value is missing.' },
    NOT_FOUND: { description: 'A referenced object does not exist or is not visible.' },
    TAKEN: { description: 'The value is already used.' },
    LIMIT_EXCEEDED: { description: 'A documented limit would be exceeded.' },
    INVALID_STATE: { description: 'The object is not in a state that allows this change.' },
  },
});

@ObjectType('UserError', { description: 'A problem with the input that the user can fix; nothing was changed.' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field, e.g. ["input", "email"].' })
  field!: string[];

  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;

  @Field({ description: 'Human-readable explanation.' })
  message!: string;
}

/** Raised by services for fixable input; resolvers turn it into `userErrors` in the payload. */
export class UserInputError extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }

  static of(field: string[], code: UserErrorCode, message: string): UserInputError {
    return new UserInputError([{ field, code, message }]);
  }
}

/** A service's `Refusal` as the API answers it: FORBIDDEN with its reason, or one userError. */
export function fromRefusal(refusal: Refusal): UserInputError | GraphQLError {
  if (refusal.kind === 'forbidden') return new GraphQLError(refusal.message, { extensions: { code: 'FORBIDDEN', reason: refusal.reason } });
  return UserInputError.of(refusal.field, refusal.code as UserErrorCode, `${refusal.message} (${refusal.reason})`);
}

/** Runs a mutation body; a UserInputError (or an input Refusal) becomes `{ userErrors }` with nothing else set. */
export async function withUserErrors<T extends object>(body: () => Promise<T>): Promise<T & { userErrors: UserError[] }> {
  try {
    return { ...(await body()), userErrors: [] };
  } catch (error) {
    const mapped = error instanceof Refusal ? fromRefusal(error) : error;
    if (mapped instanceof UserInputError) return { userErrors: mapped.errors } as T & { userErrors: UserError[] };
    throw mapped;
  }
}
