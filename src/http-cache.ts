import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { createHash } from 'node:crypto';
import type { Context } from './context';

/** Root fields whose answer is the same for every anonymous caller (STAT-1: the status page is public). */
const PUBLIC_ROOT_FIELDS = new Set(['applicationStatus', '__typename']);

/** Is this operation made only of public root fields (no fragments at the root, no other field)? */
function onlyPublicFields(operation: OperationDefinitionNode | undefined): boolean {
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && PUBLIC_ROOT_FIELDS.has(selection.name.value) && !selection.directives?.length);
}

/**
 * HTTP caching of GraphQL answers. Every answer is `no-store` (answers depend on the caller), except
 * an anonymous `GET` (plain or persisted query) asking only for the application status (STAT-1),
 * which is the same for every anonymous caller and what every dashboard polls: `public, max-age`,
 * an `ETag` over its data, and so `304 Not Modified` when the caller already has it. Anything with an
 * `Authorization` header, any other field, errors, and every POST stay `no-store`. The cacheable
 * answer carries no `extensions` (the cost extension holds the caller's own budget).
 */
export function httpCachePolicy(opts: { maxAgeSeconds: number }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, operation, contextValue }) {
          const headers = response.http.headers;
          const http = request.http;
          const single = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const cacheable =
            http?.method === 'GET' &&
            !http.headers.get('authorization') &&
            contextValue.viewer?.kind === 'anonymous' &&
            onlyPublicFields(operation) &&
            single !== undefined &&
            !single.errors?.length &&
            single.data != null &&
            (response.http.status ?? 200) === 200;
          if (!cacheable) {
            headers.set('cache-control', 'no-store');
            return;
          }
          delete single.extensions;
          const etag = `"${createHash('sha256').update(JSON.stringify(single.data)).digest('base64url').slice(0, 32)}"`;
          headers.set('cache-control', `public, max-age=${opts.maxAgeSeconds}`);
          headers.set('etag', etag);
          // names are translated (LANG-1); a token makes the answer the caller's own (never stored, above)
          headers.set('vary', 'origin, accept-language, authorization');
          // the 304: Express's res.send answers `304 Not Modified` (no body) itself when the request's
          // If-None-Match names this ETag (its freshness check), so nothing more is needed here
        },
      };
    },
  };
}

/** `cache-control: no-store` on every answer (the internal schema: every answer is the caller's). */
export const NO_STORE: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};
