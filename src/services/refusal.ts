/**
 * A refusal raised by a service, as plain data: the GraphQL layer (`withUserErrors`) turns a
 * `forbidden` one into a FORBIDDEN error with `extensions.reason`, and an `input` one into a
 * `userErrors` entry (field path, code, message naming the reason). Services then need nothing from
 * src/resolvers. Nothing is written before a refusal is raised.
 */
export type RefusalCode = 'INVALID' | 'REQUIRED' | 'NOT_FOUND' | 'LIMIT_EXCEEDED' | 'INVALID_STATE';

export class Refusal extends Error {
  constructor(
    readonly kind: 'input' | 'forbidden',
    readonly code: RefusalCode,
    /** Machine-readable reason (e.g. CHAT_ENDED), named in the message as `(REASON)` for userErrors. */
    readonly reason: string,
    readonly field: string[],
    message: string,
  ) {
    super(message);
  }

  /** A fixable input or state problem (a userError). */
  static input(field: string[], code: RefusalCode, reason: string, message: string): Refusal {
    return new Refusal('input', code, reason, field, message);
  }

  /** A refusal about who the caller is (FORBIDDEN). */
  static forbidden(reason: string, message: string): Refusal {
    return new Refusal('forbidden', 'INVALID_STATE', reason, [], message);
  }
}
