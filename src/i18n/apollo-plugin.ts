import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * LANG-1: every HTTP answer says which language its texts are in, as `extensions.language` (BCP-47
 * primary tag) and the `Content-Language` header. The language itself is resolved once, in the
 * context (src/context.ts); error texts are translated by the error formatter.
 */
export function languagePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const locale = contextValue?.locale;
          if (!locale) return;
          response.http.headers.set('content-language', locale);
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, language: locale };
          }
        },
      };
    },
  };
}
