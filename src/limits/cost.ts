import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, getNamedType, getNullableType, isLeafType, isListType, isIntrospectionType, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../auth/errors';

/** Largest `first`/`last` a connection accepts (the same cap as `pageRequest`). */
export const MAX_CONNECTION_PAGE = 100;
/** Items an unpaged list field (e.g. `Ticket.messages`) is assumed to hold when costing. */
export const ASSUMED_LIST_SIZE = 20;

/** A Relay connection: returns `…Connection` and pages with `first`/`last`. */
function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith('Connection') && field.args.some((a) => a.name === 'first') && field.args.some((a) => a.name === 'last');
}

function connectionInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } } });
}

/** The page size a connection asks for; every connection needs `first` or `last`, at most 100. */
function pageSize(fieldName: string, args: Record<string, unknown>): number {
  const { first, last } = args as { first?: number | null; last?: number | null };
  if (first == null && last == null) {
    throw connectionInput(`\`${fieldName}\` is a connection: pass \`first\` or \`last\` (at most ${MAX_CONNECTION_PAGE}).`, 'first');
  }
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_CONNECTION_PAGE)) {
      throw connectionInput(`\`${name}\` of \`${fieldName}\` must be between 0 and ${MAX_CONNECTION_PAGE}, got ${value}.`, name);
    }
  }
  return Math.max(first ?? 0, last ?? 0);
}

/**
 * Cost of one field (GitHub/Shopify style): every object returned costs 1, scalars and enums are free.
 * A connection multiplies what one item costs by `first`/`last`; its `edges`/`nodes`/`pageInfo`
 * add nothing of their own. A list of objects holds one item per key when fetched by a list argument
 * (`nodes(ids:)`), otherwise it is assumed to hold ASSUMED_LIST_SIZE items.
 * Introspection is costed without multipliers (graphql-js bounds its nesting).
 */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (isLeafType(getNamedType(field.type))) return 0;
  if (isIntrospectionType(getNamedType(field.type)) || isIntrospectionType(type)) return 1 + childComplexity;
  if (isConnection(field)) return 1 + pageSize(field.name, args) * childComplexity;
  if (type.name.endsWith('Connection')) return childComplexity;
  if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
  // a list fetched by a list of keys (`nodes(ids:)`) holds at most one item per key
  const keys = Object.values(args).filter(Array.isArray).map((value) => value.length);
  return (keys.length ? Math.max(...keys) : ASSUMED_LIST_SIZE) * (1 + childComplexity);
};

/** Calculated cost of the operation with these variables; throws BAD_USER_INPUT for an unpaged connection. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  return getComplexity({ schema, query: document, operationName, variables: variables ?? {}, estimators: [fieldCost] });
}
