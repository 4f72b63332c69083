/**
 * The payload of each transport, as stored in `outbox.payload`. Rendered completely when the entry
 * is written, so every attempt sends the same message.
 */
export interface EmailPayload {
  to: string[];
  cc?: string[];
  subject: string;
  /** The plain-text part (always present). */
  text: string;
  /** The HTML part, already sanitized. */
  html?: string;
  /** RFC 5322 ids, with angle brackets. `messageId` equals the entry's `deliveryKey`. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** Extra headers, e.g. `Auto-Submitted: auto-replied` on bounces (loop protection). */
  headers?: Record<string, string>;
}

/** A webhook delivery (docs/webhooks.md): the body is signed on each attempt with the webhook's current secret. */
export interface WebhookPayload {
  webhookId: string;
  /** `Hub-Delivery`: the id of the `webhook_delivery` row, the same on every attempt. */
  deliveryId: string;
  /** `Hub-Event`: a `WebhookEvent` value. */
  event: string;
  ticketId: number | null;
  /** The exact JSON POSTed. */
  body: string;
}
