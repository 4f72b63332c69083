import { defaultFieldResolver, getNamedType, GraphQLError, GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode, forbidden } from '../auth/errors';
import { DomainError, DomainErrorCode, type FixableCode, type InputProblem } from '../domain/errors';
import type { Context } from '../context';
import { DEFAULT_LOCALE, type Locale, type MessageKey, type Translate } from '../i18n';
import { UserErrorCode, type UserError } from './types/user-error';

/**
 * The one place domain errors become GraphQL answers (STYLE.md "Errors mapped in one place"):
 * - in a mutation whose payload has `userErrors`, every fixable problem (a service's DomainError, and
 *   the input's class-validator failures) is a userError with its field path, and nothing else is set;
 * - anywhere else a DomainError is a GraphQL error with `extensions.code` (`toGraphQLError`).
 * Both switches are exhaustive: a new DomainErrorCode does not compile until it is mapped here.
 */

function unreachable(value: never): never {
  throw new Error(`unmapped domain error code ${String(value)}`);
}

function userErrorCode(code: FixableCode): UserErrorCode {
  switch (code) {
    case DomainErrorCode.INVALID:
      return UserErrorCode.INVALID;
    case DomainErrorCode.REQUIRED:
      return UserErrorCode.REQUIRED;
    case DomainErrorCode.NOT_FOUND:
      return UserErrorCode.NOT_FOUND;
    case DomainErrorCode.TAKEN:
      return UserErrorCode.TAKEN;
    case DomainErrorCode.LIMIT_EXCEEDED:
      return UserErrorCode.LIMIT_EXCEEDED;
    case DomainErrorCode.INVALID_STATE:
      return UserErrorCode.INVALID_STATE;
    default:
      return unreachable(code);
  }
}

/**
 * The catalog text a problem shows in non-English answers, if any: the one it was raised with when its
 * message is English (an access rule's refusal, a detail in English), else for developer-facing
 * checks (class-validator) the text of its code (LANG-1).
 */
function catalogKeyOf(problem: InputProblem): MessageKey | undefined {
  if (problem.messageKey) return problem.messageKey;
  if (!problem.generic) return undefined;
  return problem.code === DomainErrorCode.REQUIRED ? 'userError.required' : `userError.code.${problem.code}`;
}

/**
 * LANG-1: a problem's message in the answer language. English keeps the message as raised (it may name
 * a field or a figure); other languages get the catalog text `catalogKeyOf` names, else the message as
 * the service wrote it (a service's own texts come from `ctx.t`, and are not replaced by a vaguer one).
 */
export function localizedMessage(problem: InputProblem, locale: Locale, t: Translate): string {
  if (locale === DEFAULT_LOCALE) return problem.message;
  const key = catalogKeyOf(problem);
  return key ? t(key) : problem.message;
}

/** A fixable problem as the `UserError` type shows it, its message in the answer language when `ctx` says one. */
export function toUserError(problem: InputProblem, ctx?: Pick<Context, 'locale' | 't'>): UserError {
  const message = ctx?.t ? localizedMessage(problem, ctx.locale, ctx.t) : problem.message;
  return { field: problem.field, code: userErrorCode(problem.code), reason: problem.reason ?? null, message };
}

/** A domain error outside a userErrors payload (queries, field resolvers, payloads without userErrors). */
export function toGraphQLError(error: DomainError): GraphQLError {
  const code = error.code;
  const first = error.problems[0];
  const detail = first ? { field: first.field.join('.'), ...(first.reason ? { reason: first.reason } : {}) } : {};
  switch (code) {
    case DomainErrorCode.FORBIDDEN:
      return forbidden(error.forbiddenReason as Parameters<typeof forbidden>[0], error.message);
    case DomainErrorCode.NOT_FOUND:
      return new GraphQLError(error.message, { extensions: { code: ErrorCode.NOT_FOUND, ...detail } });
    case DomainErrorCode.INVALID:
    case DomainErrorCode.REQUIRED:
    case DomainErrorCode.TAKEN:
    case DomainErrorCode.LIMIT_EXCEEDED:
    case DomainErrorCode.INVALID_STATE:
      return new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...detail } });
    default:
      return unreachable(code);
  }
}

/** Value at `path` inside the raw arguments (to tell a missing value from a malformed one). */
function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const LIMIT_CONSTRAINTS = new Set(['arrayMaxSize', 'maxLength', 'max']);

/** class-validator's errors of one argument as problems, one per failing field (its first constraint). */
function validationProblems(errors: readonly ValidationError[], argName: string | undefined, args: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [];
  const walk = (list: readonly ValidationError[], at: string[]) => {
    for (const e of list) {
      const field = [...at, e.property];
      const constraints = Object.entries(e.constraints ?? {});
      if (constraints.length) {
        const [name, message] = constraints[0];
        const value = valueAt(args, field);
        const blank = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
        const code = blank ? DomainErrorCode.REQUIRED : LIMIT_CONSTRAINTS.has(name) ? DomainErrorCode.LIMIT_EXCEEDED : DomainErrorCode.INVALID;
        problems.push({ field, code, message: `${message}.`, generic: true });
      }
      if (e.children?.length) walk(e.children, field);
    }
  };
  walk(errors, argName ? [argName] : []);
  return problems;
}

/** The fixable problems an error stands for in a mutation, or null when it is not the caller's to fix. */
function fixableProblems(error: unknown, argName: string | undefined, args: Record<string, unknown>): readonly InputProblem[] | null {
  if (error instanceof DomainError) return error.fixable ? error.problems : null;
  if (error instanceof ArgumentValidationError) {
    const problems = validationProblems((error.extensions.validationErrors ?? []) as ValidationError[], argName, args);
    return problems.length ? problems : null;
  }
  return null;
}

/**
 * Wraps every mutation whose payload has `userErrors`: the resolver returns its payload without them;
 * a fixable problem answers `{ userErrors }` with every other field null. Anything else thrown passes
 * on (a DomainError as its GraphQL error). Applied once when the schema is built.
 */
export function mapMutationErrors(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const payload = getNamedType(field.type);
    const withUserErrors = payload instanceof GraphQLObjectType && 'userErrors' in payload.getFields();
    const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
    const argName = field.args.length === 1 ? field.args[0].name : undefined;
    field.resolve = async (root, args, context, info) => {
      try {
        const result = await resolve(root, args, context, info);
        return withUserErrors ? { ...(result as object), userErrors: [] } : result;
      } catch (error) {
        const problems = withUserErrors ? fixableProblems(error, argName, args) : null;
        if (problems) return { userErrors: problems.map((problem) => toUserError(problem, context as Context | undefined)) };
        throw error instanceof DomainError ? toGraphQLError(error) : error;
      }
    };
  }
  return schema;
}
