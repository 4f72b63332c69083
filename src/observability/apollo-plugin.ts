import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { ErrorCode } from '../auth/errors';
import { currentScope } from './request-context';

/** Records the operation, the caller and the outcome of a GraphQL request into its request scope. */
export function observabilityPlugin(schema: 'public' | 'internal'): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const scope = currentScope();
      if (!scope) return;
      scope.schema = schema;
      scope.operationName = request.operationName ?? null;
      const viewer = contextValue.viewer;
      scope.viewer = viewer.kind;
      const accountId = viewer.kind === 'customer' ? viewer.accountId : viewer.kind === 'agent' ? viewer.agentId : viewer.kind === 'integration' ? viewer.subject : undefined;
      if (accountId) scope.accountId = String(accountId);
      return {
        async didResolveOperation({ operationName }) {
          scope.resolved = true;
          scope.operationName = operationName ?? null;
        },
        async willSendResponse({ response }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errors = result.errors ?? [];
          const data = result.data as Record<string, unknown> | null | undefined;
          const anyData = !!data && Object.values(data).some((value) => value !== null && value !== undefined);
          scope.outcome = errors.length === 0 ? 'success' : anyData ? 'partial' : 'error';
          // nothing could be answered because the database is down: say so at the HTTP level too
          if (!anyData && errors.length && errors.every((e) => e.extensions?.code === ErrorCode.DATABASE_UNAVAILABLE)) {
            response.http.status = 503;
          }
        },
      };
    },
  };
}
