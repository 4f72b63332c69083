import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HeaderMap } from '@apollo/server';

/** `extensions.code` of every refusal the limits make (docs/limits.md). */
export enum LimitCode {
  MAX_DEPTH_EXCEEDED = 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED = 'MAX_ALIASES_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED = 'MAX_DIRECTIVES_EXCEEDED',
  MAX_TOKENS_EXCEEDED = 'MAX_TOKENS_EXCEEDED',
  MAX_COST_EXCEEDED = 'MAX_COST_EXCEEDED',
  /** More than one `__schema` (or 20 `__type`) selections in one operation. */
  MAX_INTROSPECTION_EXCEEDED = 'MAX_INTROSPECTION_EXCEEDED',
  /** The caller's cost budget cannot pay for the operation yet (HTTP 429, `retryAfter`). */
  THROTTLED = 'THROTTLED',
  /** Too many requests from this account or IP address (HTTP 429, `retryAfter`). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** Trusted-operations mode: the operation is not in the manifest. */
  OPERATION_NOT_TRUSTED = 'OPERATION_NOT_TRUSTED',
}

/**
 * A refusal by the limits. Apollo re-codes errors of its parse and validation phases as
 * GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED; `withLimitCodes` puts this error's code back.
 */
export class LimitError extends GraphQLError {
  constructor(
    readonly code: LimitCode,
    message: string,
    extensions: Record<string, unknown> = {},
    http: { status: number; retryAfterSeconds?: number } = { status: 400 },
  ) {
    super(message, {
      extensions: {
        code,
        ...extensions,
        http: {
          status: http.status,
          ...(http.retryAfterSeconds !== undefined ? { headers: new HeaderMap([['retry-after', String(http.retryAfterSeconds)]]) } : {}),
        },
      },
    });
  }
}

/** RATE_LIMITED / THROTTLED: HTTP 429 with `Retry-After`, and `retryAfter` seconds in the error. */
export function tooManyRequests(code: LimitCode.RATE_LIMITED | LimitCode.THROTTLED, message: string, retryAfterMs: number, extensions: Record<string, unknown> = {}): LimitError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new LimitError(code, message, { retryAfter, ...extensions }, { status: 429, retryAfterSeconds: retryAfter });
}

/** graphql-js `maxTokens` parse refusal: "Syntax Error: Document contains more that 10000 tokens. Parsing aborted." (sic) */
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] (\d+) tokens/;

function limitErrorOf(error: unknown): LimitError | undefined {
  let current = error as { originalError?: unknown } | undefined;
  for (let i = 0; current && i < 4; i++) {
    if (current instanceof LimitError) return current;
    current = current.originalError as typeof current;
  }
  return undefined;
}

/**
 * Wraps a `formatError`: limit refusals keep their own code whatever phase raised them, and a
 * document over the token limit reads MAX_TOKENS_EXCEEDED instead of a plain parse failure.
 */
export function withLimitCodes(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const limit = limitErrorOf(error);
    if (limit) return format({ ...formatted, extensions: { ...formatted.extensions, code: limit.code } }, error);
    const tokens = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
    if (tokens && formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
      return format({ message: `Token limit of ${tokens[1]} exceeded.`, extensions: { code: LimitCode.MAX_TOKENS_EXCEEDED, limit: Number(tokens[1]) } }, error);
    }
    return format(formatted, error);
  };
}
