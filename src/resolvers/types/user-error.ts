import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { StateReason } from '../../domain/errors';

/** Codes of problems the user can fix; returned in `userErrors`, never thrown. */
export enum UserErrorCode {
  INVALID = 'INVALID',
  REQUIRED = 'REQUIRED',
  NOT_FOUND = 'NOT_FOUND',
  TAKEN = 'TAKEN',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  INVALID_STATE = 'INVALID_STATE',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why an input was refused.',
  valuesConfig: {
    INVALID: { description: 'The value is malformed or not allowed.' },
    REQUIRED: { description: 'A required value is missing or blank.' },
    NOT_FOUND: { description: 'A referenced object does not exist or is not visible.' },
    TAKEN: { description: 'The value is already used.' },
    LIMIT_EXCEEDED: { description: 'A documented limit would be exceeded.' },
    INVALID_STATE: { description: 'The object is not in a state that allows this change; `reason` says which state.' },
  },
});

registerEnumType(StateReason, {
  name: 'UserErrorReason',
  description: 'Machine-readable reason of a userError: for INVALID_STATE which state of the object stands in the way; for other codes the named rule that refused the input (e.g. LINE_TOO_LONG).',
  valuesConfig: {
    TICKET_CLOSED: { description: 'The ticket is closed (FUP-4, agent work on a closed ticket).' },
    TICKET_NOT_CLOSED: { description: 'The ticket is still open (CLS-3: feedback needs a closed ticket).' },
    NO_EMAIL_THREAD: { description: 'The ticket has no e-mail thread to reply in (FUP-1).' },
    FEEDBACK_ALREADY_RECEIVED: { description: 'Feedback was already left on the ticket (CLS-3).' },
    OUT_OF_HOURS: { description: 'CON-4: outside the hours of this method in this language.' },
    LANGUAGE_NOT_OFFERED: { description: 'CON-4: the method is not offered in this language.' },
    PRODUCT_NOT_COVERED: { description: 'CON-4: the method is not offered for this product area.' },
    LICENSE: { description: "CON-4: not included in the account's license." },
    NOT_SUCCESS_PACKAGE: { description: 'Needs a success package: CON-4 / ENT-3 an Enterprise Support seat of one; ENT-1 seats and ENT-5 forwarding a brand that has one.' },
    SEPARATE_TEAM: { description: 'CON-4 / CON-3: the product area is handled by a separate support team.' },
    TOPIC_NOT_OFFERED: { description: 'CON-2: the topic is not one the contact page offers for this role and product area (`ProductAreaInfo.topics`; code INVALID).' },
    CALLBACK_NOT_WAITING: { description: 'PHN-3: the phone request is not waiting for a callback.' },
    NO_ENGLISH_FALLBACK_OFFERED: { description: 'PHN-3: no English fallback is on offer for this request.' },
    CALL_NOT_IN_PROGRESS: { description: 'PHN-5: the call is not in progress (take it with takeNextCallback first).' },
    NOT_WAITING: { description: 'PHN-5: the phone request is not waiting in its queue any more.' },
    CHAT_WAITING_FOR_AGENT: { description: 'CHAT-2: no agent has joined the chat yet.' },
    CHAT_ENDED: { description: 'CHAT-2: the chat has ended (or was cancelled).' },
    EMPTY_LINE: { description: 'CHAT-2: the chat line is empty after trimming (code REQUIRED).' },
    LINE_TOO_LONG: { description: 'CHAT-2: the chat line is longer than the limit (code LIMIT_EXCEEDED).' },
    CHAT_RATE_LIMITED: { description: 'CHAT-2: too many lines from this side of the chat in a short time; wait a moment (code LIMIT_EXCEEDED).' },
    OUTSIDE_SPECIALIST_HOURS: { description: "ENT-3: the conference slot is not inside the specialists' hours (code INVALID)." },
    CALL_CANCELLED: { description: 'ENT-3: the conference call was cancelled or its ticket is closed.' },
    NOT_AWAITING_VERIFICATION: { description: 'ENT-5: the ticket is not waiting for verification.' },
    AWAITING_VERIFICATION: { description: 'ENT-5: the ticket waits for its user to verify their account; no agent work before that.' },
    NOT_A_CHAT_TICKET: { description: 'Only chat tickets have a transcript (TKT-5).' },
    NOT_A_CONFERENCE_TICKET: { description: 'Only conference tickets have a call to accept (TKT-4).' },
    CALL_ALREADY_ACCEPTED: { description: 'The conference call is already accepted (TKT-4).' },
    ALREADY_ESCALATED: { description: 'The ticket is already escalated (ESC-1).' },
    NOT_ESCALATED: { description: 'The ticket has no escalation (ESC-3).' },
    ESCALATION_OUT_OF_ORDER: { description: 'ESC-3: the requested status is not the next one (or the escalation is resolved).' },
    CONTACT_EDITING_DISABLED: { description: "BILL-7: the organization's contract contacts are read-only in the hub." },
    EMAIL_PREFERENCES_NOT_ELIGIBLE: { description: 'PREF-3 / PREF-6: the address has no e-mail preferences to manage.' },
    WEBHOOK_URL_NOT_ALLOWED: { description: 'Webhooks: the URL is not https, carries credentials, or reaches a non-public address (SSRF protection; code INVALID).' },
    FEDRAMP_NOT_CLEARED: { description: 'Webhooks: a FedRAMP brand named by an integration whose token is not FedRAMP-cleared (`hub:fedramp`; code INVALID).' },
    WEBHOOK_PAUSED: { description: 'Webhooks: the webhook is paused; resume it before redelivering.' },
    IDEMPOTENCY_KEY_REUSED: { description: 'The `idempotencyKey` was already used by you for a different request (another kind of ticket, another ticket, another text); nothing was written (code TAKEN). Use a new key per request.' },
  },
});

@ObjectType('UserError', { description: 'A problem with the input that the user can fix; nothing was changed.' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field, e.g. ["input", "email"].' })
  field!: string[];

  @Field(() => UserErrorCode, { description: 'What kind of problem.' })
  code!: UserErrorCode;

  @Field(() => StateReason, { nullable: true, description: 'For INVALID_STATE: which state of the object refuses the change; for other codes, the named rule that refused the input where there is one; null otherwise.' })
  reason?: StateReason | null;

  @Field({ description: 'Human-readable explanation.' })
  message!: string;
}
