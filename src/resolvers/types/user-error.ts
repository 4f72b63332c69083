import { GraphQLError } from 'graphql';
import { Ctx, Field, FieldResolver, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { CATALOGS, translate, type MessageKey, type MessageParams } from '../../i18n';
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

  @Field({ description: 'Human-readable explanation, in the answer language (extensions.language) where the catalog has it.' })
  message!: string;

  /** LANG-1: the catalog text of `message` (not in the schema); without it the message is shown as raised. */
  messageKey?: MessageKey;
  messageParams?: MessageParams;
}

/** A userError whose text comes from the catalog: English in `message`, translated when answered. */
export function localizedUserError(field: string[], code: UserErrorCode, messageKey: MessageKey, messageParams?: MessageParams): UserError {
  return { field, code, message: translate('en', messageKey, messageParams), messageKey, messageParams };
}

/**
 * LANG-1: a userError's message in the answer language. English keeps the message as raised (it may
 * name a field or a code); other languages get the catalog text of its key, when it has one.
 */
@Resolver(() => UserError)
export class UserErrorFieldsResolver {
  @FieldResolver(() => String, { description: 'Human-readable explanation, in the answer language (extensions.language) where the catalog has it.' })
  message(@Root() error: UserError, @Ctx() ctx: Context): string {
    return error.messageKey && ctx.locale !== 'en' ? ctx.t(error.messageKey, error.messageParams) : error.message;
  }
}

/** Raised by services for fixable input; resolvers turn it into `userErrors` in the payload. */
export class UserInputError extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }

  static of(field: string[], code: UserErrorCode, message: string): UserInputError {
    return new UserInputError([{ field, code, message }]);
  }

  /** One userError with a catalog text (LANG-1). */
  static localized(field: string[], code: UserErrorCode, messageKey: MessageKey, messageParams?: MessageParams): UserInputError {
    return new UserInputError([localizedUserError(field, code, messageKey, messageParams)]);
  }
}

/** A service's `Refusal` as the API answers it: FORBIDDEN with its reason, or one userError. */
export function fromRefusal(refusal: Refusal): UserInputError | GraphQLError {
  if (refusal.kind === 'forbidden') return new GraphQLError(refusal.message, { extensions: { code: 'FORBIDDEN', reason: refusal.reason } });
  // LANG-1: a reason with a catalog text (`userError.refusal.<REASON>`) is shown in the answer language
  const key = `userError.refusal.${refusal.reason}`;
  const messageKey = key in CATALOGS.en ? (key as MessageKey) : undefined;
  return new UserInputError([{ field: refusal.field, code: refusal.code as UserErrorCode, message: `${refusal.message} (${refusal.reason})`, messageKey }]);
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
