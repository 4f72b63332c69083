import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import { checkOperationInput } from './input';
import { hideSuggestions } from './suggestions';

/** `extensions.code` of a subscription sent over HTTP: subscriptions are served on the WebSocket. */
export const SUBSCRIPTION_REQUIRES_WEBSOCKET = 'SUBSCRIPTION_REQUIRES_WEBSOCKET';

/**
 * The edge checks of an HTTP GraphQL request, after its operation is known and before anything
 * runs: a subscription is refused (400, use the WebSocket), the variables and text arguments are
 * checked (`checkOperationInput`, 400 BAD_USER_INPUT), and anonymous callers get no "Did you mean …"
 * suggestion in validation or variable errors.
 */
export function edgePlugin(websocketPath: string): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const anonymous = contextValue.viewer.kind === 'anonymous';
      return {
        async validationDidStart() {
          return async (errors) => {
            if (errors && anonymous) hideSuggestions(errors as readonly GraphQLError[]);
          };
        },
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(`Subscriptions are served over WebSocket (graphql-transport-ws) at ${websocketPath}, not over HTTP.`, {
              extensions: { code: SUBSCRIPTION_REQUIRES_WEBSOCKET, http: { status: 400 } },
            });
          }
          const errors = checkOperationInput(schema, document, operationName, request.variables);
          if (!errors.length) return;
          if (anonymous) hideSuggestions(errors);
          throw errors[0];
        },
      };
    },
  };
}
