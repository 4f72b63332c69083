import type { ForbiddenReason } from '../auth/errors';
import { ChatRefusal } from '../auth/chat-access';
import { TicketActionRefusal } from '../auth/ticket-actions';
import type { MessageKey } from '../i18n/translate';

/*
 * Domain errors: what services throw when they refuse a request.
 *
 * Adding one:
 * - a fixable problem of an existing kind: `throw DomainError.input(['input', 'field'], DomainErrorCode.X, 'message')`,
 *   or `DomainError.state(['input', 'ticketId'], StateReason.Y, 'message')` when the object's state refuses;
 *   several at once with `InputProblems`. Nothing else to do: mutations answer it as a userError.
 * - a new state reason: add it to `StateReason` below and describe it in `registerEnumType(StateReason…)`
 *   (src/resolvers/types/user-error.ts); run `npm run schema`; add its row to the README's reason table.
 * - a new code: add it to `DomainErrorCode`; the build fails until both switches in
 *   src/resolvers/domain-error.mapper.ts map it (and, if fixable, `UserErrorCode` has it); document it.
 */

/**
 * Why the domain refused a request. The first six are problems the caller can fix by changing the
 * input: in a mutation they come back as `userErrors` (field path, code, reason, message). FORBIDDEN is
 * about who the caller is and is never a userError. The GraphQL layer maps every code in one place
 * (src/resolvers/errors/domain-error.mapper.ts); a new code does not compile until it is mapped there.
 */
export enum DomainErrorCode {
  INVALID = 'INVALID',
  REQUIRED = 'REQUIRED',
  NOT_FOUND = 'NOT_FOUND',
  TAKEN = 'TAKEN',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  INVALID_STATE = 'INVALID_STATE',
  FORBIDDEN = 'FORBIDDEN',
}

/** The codes a mutation answers with `userErrors` (everything but FORBIDDEN). */
export type FixableCode = Exclude<DomainErrorCode, DomainErrorCode.FORBIDDEN>;

/**
 * Machine-readable reasons of state refusals (code INVALID_STATE): what about the object's state, not
 * the input's form, stands in the way. Clients switch on these, never on message text.
 */
export const StateReason = {
  // ticket actions (FUP, CLS): the same values as TicketActionRefusal's state refusals
  TICKET_CLOSED: TicketActionRefusal.TICKET_CLOSED,
  TICKET_NOT_CLOSED: TicketActionRefusal.TICKET_NOT_CLOSED,
  NO_EMAIL_THREAD: TicketActionRefusal.NO_EMAIL_THREAD,
  FEEDBACK_ALREADY_RECEIVED: TicketActionRefusal.FEEDBACK_ALREADY_RECEIVED,
  // CON-4: a contact method not available now (the values of ContactUnavailableReason)
  OUT_OF_HOURS: 'OUT_OF_HOURS',
  LANGUAGE_NOT_OFFERED: 'LANGUAGE_NOT_OFFERED',
  PRODUCT_NOT_COVERED: 'PRODUCT_NOT_COVERED',
  LICENSE: 'LICENSE',
  NOT_SUCCESS_PACKAGE: 'NOT_SUCCESS_PACKAGE',
  SEPARATE_TEAM: 'SEPARATE_TEAM',
  // CON-2: a topic the contact page does not offer for the role and product area (code INVALID)
  TOPIC_NOT_OFFERED: 'TOPIC_NOT_OFFERED',
  // PHN-3
  CALLBACK_NOT_WAITING: 'CALLBACK_NOT_WAITING',
  NO_ENGLISH_FALLBACK_OFFERED: 'NO_ENGLISH_FALLBACK_OFFERED',
  // PHN-5
  CALL_NOT_IN_PROGRESS: 'CALL_NOT_IN_PROGRESS',
  NOT_WAITING: 'NOT_WAITING',
  // CHAT-1, CHAT-2: the chat's state (the values of ChatRefusal), and a line's limits
  CHAT_WAITING_FOR_AGENT: ChatRefusal.CHAT_WAITING_FOR_AGENT,
  CHAT_ENDED: ChatRefusal.CHAT_ENDED,
  EMPTY_LINE: 'EMPTY_LINE',
  LINE_TOO_LONG: 'LINE_TOO_LONG',
  CHAT_RATE_LIMITED: 'CHAT_RATE_LIMITED',
  // ENT-3: a conference call's slot and state
  OUTSIDE_SPECIALIST_HOURS: 'OUTSIDE_SPECIALIST_HOURS',
  CALL_CANCELLED: 'CALL_CANCELLED',
  // ENT-5
  NOT_AWAITING_VERIFICATION: 'NOT_AWAITING_VERIFICATION',
  AWAITING_VERIFICATION: 'AWAITING_VERIFICATION',
  // agent ticket work (TKT, ESC)
  NOT_A_CHAT_TICKET: 'NOT_A_CHAT_TICKET',
  NOT_A_CONFERENCE_TICKET: 'NOT_A_CONFERENCE_TICKET',
  CALL_ALREADY_ACCEPTED: 'CALL_ALREADY_ACCEPTED',
  ALREADY_ESCALATED: 'ALREADY_ESCALATED',
  NOT_ESCALATED: 'NOT_ESCALATED',
  ESCALATION_OUT_OF_ORDER: 'ESCALATION_OUT_OF_ORDER',
  // BILL-7
  CONTACT_EDITING_DISABLED: 'CONTACT_EDITING_DISABLED',
  // PREF-3, PREF-6
  EMAIL_PREFERENCES_NOT_ELIGIBLE: 'EMAIL_PREFERENCES_NOT_ELIGIBLE',
  // webhooks (docs/webhooks.md)
  WEBHOOK_URL_NOT_ALLOWED: 'WEBHOOK_URL_NOT_ALLOWED',
  FEDRAMP_NOT_CLEARED: 'FEDRAMP_NOT_CLEARED',
  WEBHOOK_PAUSED: 'WEBHOOK_PAUSED',
  // issue 20: an idempotency key already used for a different request (code TAKEN)
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
export type StateReason = (typeof StateReason)[keyof typeof StateReason];

/** One fixable problem: where in the input (e.g. ['input', 'subject']), what, why, and for people, how. */
export interface InputProblem {
  field: string[];
  code: FixableCode;
  message: string;
  /** Set for INVALID_STATE refusals, and for other codes where the rule refusing has a name (e.g. LINE_TOO_LONG). */
  reason?: StateReason | null;
  /** The message is the English text of a developer-facing check (class-validator): other languages show the code's text (LANG-1). */
  generic?: boolean;
  /**
   * The message is English (an access rule's refusal, or a text with an English detail): other
   * languages show this catalog text instead (LANG-1). Unset, the message is shown as raised (a
   * service's own text already comes from `ctx.t`).
   */
  messageKey?: MessageKey;
}

/**
 * A refusal raised by a service. Services throw only these (or let unexpected errors through); they
 * never build GraphQL errors or userErrors themselves.
 */
export class DomainError extends Error {
  private constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The fixable problems (every one of them, so a form can show them all); empty for FORBIDDEN. */
    readonly problems: readonly InputProblem[],
    /** FORBIDDEN only: who-you-are reason, sent as `extensions.reason`. */
    readonly forbiddenReason?: ForbiddenReason | TicketActionRefusal,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** One fixable problem of the input at `field`; `reason` when the rule refusing it has a name (CHAT-2 limits, ENT-3 hours). */
  static input(field: string[], code: FixableCode, message: string, reason?: StateReason): DomainError {
    return DomainError.of([{ field, code, message, ...(reason ? { reason } : {}) }]);
  }

  /** The object is not in a state that allows the change; `reason` says which state. */
  static state(field: string[], reason: StateReason, message: string): DomainError {
    return DomainError.of([{ field, code: DomainErrorCode.INVALID_STATE, reason, message }]);
  }

  /**
   * A state refusal of an access rule (src/auth): `message` is the rule's English text, `messageKey`
   * the catalog text other languages show (by the refusal's reason, LANG-1).
   */
  static refusal(field: string[], reason: StateReason, message: string, messageKey: MessageKey): DomainError {
    return DomainError.of([{ field, code: DomainErrorCode.INVALID_STATE, reason, message, messageKey }]);
  }

  /** Several fixable problems at once (a form's fields); at least one. */
  static of(problems: InputProblem[]): DomainError {
    if (problems.length === 0) throw new Error('DomainError.of needs at least one problem');
    return new DomainError(problems[0].code, problems.map((p) => p.message).join('; '), problems);
  }

  /** The caller may not do this, whatever the input. */
  static forbidden(reason: ForbiddenReason | TicketActionRefusal, message: string): DomainError {
    return new DomainError(DomainErrorCode.FORBIDDEN, message, [], reason);
  }

  /** True when the caller can fix it by changing the input (a userError in a mutation). */
  get fixable(): boolean {
    return this.code !== DomainErrorCode.FORBIDDEN;
  }
}

/** Collects problems of several fields and throws them together. */
export class InputProblems {
  private readonly list: InputProblem[] = [];

  add(field: string[], code: FixableCode, message: string): this {
    this.list.push({ field, code, message });
    return this;
  }

  /** Throws a DomainError with every problem added, if any. */
  throwIfAny(): void {
    if (this.list.length) throw DomainError.of(this.list);
  }
}
