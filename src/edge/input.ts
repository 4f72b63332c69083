import {
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../auth/errors';
import { DomainError, DomainErrorCode } from '../domain/errors';

/**
 * What every operation's input must pass before anything runs, on both schemas, over HTTP (the
 * Apollo plugin below) and WebSocket (src/realtime/ws-server.ts): the variables must fit their
 * declared types, and no text may hold what the databases cannot store — a NUL character
 * (PostgreSQL refuses it in `text`) or an unpaired UTF-16 surrogate (not valid UTF-8). Both are the
 * caller's fault: BAD_USER_INPUT, HTTP 400, never a 5xx or a false DATABASE_UNAVAILABLE.
 *
 * Text in the arguments of a mutation's root field is the exception: it is a fixable input problem of
 * that mutation, answered as `userErrors` `INVALID` with the field path (`storableMutationText`).
 */

/** The refusal message of unstorable text (one text, so clients and docs can rely on it). */
export const UNSTORABLE_TEXT_MESSAGE = 'Text must not contain NUL characters (U+0000) or unpaired surrogates.';

/** A NUL, or a UTF-16 surrogate without its other half (matched on code units: no `u` flag). */
// eslint-disable-next-line no-control-regex -- the NUL is what this pattern looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string can be stored as UTF-8 text by both databases. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The path (argument, input fields, list indexes) of the first unstorable string in an argument map, if any. */
export function findUnstorableText(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** BAD_USER_INPUT with HTTP 400 (the WebSocket drops `http`). */
function badInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions, http: { status: 400 } } });
}

/** Graphql-js's variable coercion error, re-coded as the caller's fault (its message kept). */
function variableError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

/**
 * Coerces the operation's variables as execution will; the errors (a non-integer for an Int, an
 * unknown enum value or input field, an object for a String, a missing required variable) as
 * BAD_USER_INPUT. `coerced` is undefined when the operation cannot be identified (execution says so).
 */
export function coerceVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): Coerced {
  // the edge plugin and the cost calculation both ask, for the same request's variables object
  if (variables === null || typeof variables !== 'object') return coerce(schema, document, operationName, variables);
  const known = coercions.get(variables);
  if (known && known.document === document && known.schema === schema && known.operationName === operationName) return known.result;
  const result = coerce(schema, document, operationName, variables);
  coercions.set(variables, { schema, document, operationName, result });
  return result;
}

type Coerced = { operation?: OperationDefinitionNode; coerced?: Record<string, unknown>; errors: GraphQLError[] };
const coercions = new WeakMap<object, { schema: GraphQLSchema; document: DocumentNode; operationName: string | null | undefined; result: Coerced }>();

function coerce(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): Coerced {
  const operation = getOperationAST(document, operationName) ?? undefined;
  if (!operation) return { errors: [] };
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { operation, errors: [badInput('`variables` must be a JSON object.')] };
  }
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 10 });
  if (result.errors) return { operation, errors: result.errors.map(variableError) };
  return { operation, coerced: result.coerced, errors: [] };
}

/** A field of a document that takes arguments, with its definition (outside mutation root fields). */
interface ArgumentSite {
  def: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/** The argument sites of each parsed document (documents are shared per query text by Apollo and the socket). */
const sitesOf = new WeakMap<DocumentNode, WeakMap<GraphQLSchema, ArgumentSite[]>>();

/**
 * Every field of the document (operations and fragments) that has arguments, found once per
 * document with type information. Root fields of a mutation are left out: `storableMutationText`
 * answers them as `userErrors`.
 */
function argumentSites(schema: GraphQLSchema, document: DocumentNode): ArgumentSite[] {
  let bySchema = sitesOf.get(document);
  const known = bySchema?.get(schema);
  if (known) return known;
  const mutationType = schema.getMutationType();
  const sites: ArgumentSite[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const def = typeInfo.getFieldDef();
          if (!def || !node.arguments?.length) return;
          if (mutationType && typeInfo.getParentType() === mutationType) return;
          sites.push({ def, node });
        },
      }),
    );
  }
  if (!bySchema) sitesOf.set(document, (bySchema = new WeakMap()));
  bySchema.set(schema, sites);
  return sites;
}

/** The first argument (coerced with the variables) that holds unstorable text, as a BAD_USER_INPUT refusal. */
function unstorableArgument(schema: GraphQLSchema, document: DocumentNode, coerced: Record<string, unknown>): GraphQLError | undefined {
  for (const { def, node } of argumentSites(schema, document)) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, coerced);
    } catch {
      continue; // execution reports arguments that do not coerce
    }
    const path = findUnstorableText(args);
    if (path) return badInput(UNSTORABLE_TEXT_MESSAGE, { field: [node.name.value, ...path].join('.') });
  }
  return undefined;
}

/**
 * The edge check of one operation: variable coercion, then unstorable text. Returns the refusals
 * (empty: the operation may run).
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const { operation, coerced, errors } = coerceVariables(schema, document, operationName, variables);
  if (errors.length || !operation || !coerced) return errors;
  const text = unstorableArgument(schema, document, coerced);
  return text ? [text] : [];
}

/**
 * Unstorable text in the arguments of a mutation's root field is refused before the resolver runs:
 * `userErrors` `INVALID` with the field path when the payload has `userErrors` (a DomainError the
 * mapper around this wrapper turns into one), BAD_USER_INPUT when it has none. Applied to both schemas
 * when they are built (src/schema.ts).
 */
export function storableMutationText(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const payload = getNamedType(field.type);
    const hasUserErrors = isObjectType(payload) && 'userErrors' in payload.getFields();
    field.resolve = (root, args, context, info) => {
      const path = findUnstorableText(args);
      if (!path) return resolve(root, args, context, info);
      // a fixable problem: the one mapper (src/resolvers/domain-error.mapper.ts) answers it as a userError
      // English keeps the one text; other languages show the catalog's (LANG-1)
      if (hasUserErrors) throw DomainError.of([{ field: path, code: DomainErrorCode.INVALID, message: UNSTORABLE_TEXT_MESSAGE, messageKey: 'userError.unstorableText' }]);
      throw badInput(UNSTORABLE_TEXT_MESSAGE, { field: path.join('.') });
    };
  }
  return schema;
}
