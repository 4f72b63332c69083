import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ASTVisitor, GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { LimitCode, LimitError } from './errors';
import type { LimitsSettings } from './settings';

/** GraphQL Armor's message minus its "Syntax Error: " prefix (these are not syntax errors). */
const plain = (message: string) => message.replace(/^Syntax Error:\s*/, '');
const FOUND = /found (\d+)/;

/** Armor rules report through the validation context, as a LimitError carrying our code and numbers. */
function reportAs(code: LimitCode, limit: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = Number(FOUND.exec(error.message)?.[1]);
    context?.reportError(new LimitError(code, plain(error.message), { limit, ...(Number.isFinite(found) ? { found } : {}) }));
  };
}

/** `__schema` selections a document may have: one answers the whole schema. */
export const MAX_SCHEMA_INTROSPECTIONS = 1;
/** `__type(name:)` selections a document may have. */
export const MAX_TYPE_INTROSPECTIONS = 20;

/**
 * Introspection stays open to everyone, but bounded per document (fragments included): 30 aliased
 * `__schema` selections answered the whole schema 30 times (580 KB for a 1.8 KB anonymous request).
 */
export function introspectionBoundRule(context: ValidationContext): ASTVisitor {
  const counts = { __schema: 0, __type: 0 };
  const limits = { __schema: MAX_SCHEMA_INTROSPECTIONS, __type: MAX_TYPE_INTROSPECTIONS };
  return {
    Field(node) {
      const name = node.name.value;
      if (name !== '__schema' && name !== '__type') return;
      counts[name] += 1;
      if (counts[name] === limits[name] + 1) {
        context.reportError(new LimitError(LimitCode.MAX_INTROSPECTION_EXCEEDED, `At most ${limits[name]} ${name} selection${limits[name] === 1 ? '' : 's'} per operation.`, { limit: limits[name] }));
      }
    },
  };
}

/**
 * Depth, alias and directive limits (GraphQL Armor), as validation rules of both schemas and of
 * WebSocket subscriptions. Introspection's `__schema` field is exempt from the depth count (graphql-js's
 * own MaxIntrospectionDepthRule bounds it); max-depth 2.4.2 exempts only that field, not a fragment or
 * operation named `__schema` (GHSA-hmfr-rx46-4jx2), and counts a fragment at every depth it is spread
 * at (GHSA-224p-v68g-5g8f).
 */
export function limitRules(settings: LimitsSettings): ValidationRule[] {
  return [
    maxDepthRule({ n: settings.maxDepth, ignoreIntrospection: true, flattenFragments: false, propagateOnRejection: false, onReject: [reportAs(LimitCode.MAX_DEPTH_EXCEEDED, settings.maxDepth)] }),
    maxAliasesRule({ n: settings.maxAliases, propagateOnRejection: false, onReject: [reportAs(LimitCode.MAX_ALIASES_EXCEEDED, settings.maxAliases)] }),
    maxDirectivesRule({ n: settings.maxDirectives, propagateOnRejection: false, onReject: [reportAs(LimitCode.MAX_DIRECTIVES_EXCEEDED, settings.maxDirectives)] }),
    introspectionBoundRule,
  ] as ValidationRule[];
}
