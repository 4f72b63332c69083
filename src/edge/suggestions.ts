import { GraphQLError } from 'graphql';

/** graphql-js ends a message with its suggestions: " Did you mean "x"?", "… the enum value "X"?", "… "a", "b", or "c"?". */
const SUGGESTION = /\s*Did you mean\b[\s\S]*$/;
const HIDDEN = ' [Suggestion hidden]';

/** The message without its "Did you mean …" part. */
export function withoutSuggestion(message: string): string {
  return SUGGESTION.test(message) ? message.replace(SUGGESTION, HIDDEN) : message;
}

/**
 * Hides "Did you mean …" in these errors' messages, in place: anonymous callers must not be able
 * to walk the schema's names by typo (field, argument, type, enum value and input field names).
 */
export function hideSuggestions(errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const message = withoutSuggestion(error.message);
    if (message !== error.message) error.message = message;
  }
}

/** A copy of each error without suggestions (for errors that are shared, e.g. cached validation results). */
export function suggestionFree(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) => {
    const message = withoutSuggestion(error.message);
    return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: error.extensions });
  });
}
