import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
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
  ] as ValidationRule[];
}

/** GraphQL Armor's field-suggestion mask ("Did you mean …" → "[Suggestion hidden]"), applied in place. */
const maskHook = blockFieldSuggestionsPlugin().onValidate as unknown as (payload: unknown) => (end: { valid: boolean; result: readonly GraphQLError[]; setResult: (errors: GraphQLError[]) => void }) => void;

/** Hides "Did you mean …" suggestions in these errors' messages (anonymous callers, docs/limits.md). */
export function hideSuggestions(errors: readonly GraphQLError[]): void {
  maskHook({})({ valid: false, result: errors, setResult: () => undefined });
}
