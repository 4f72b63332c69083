/**
 * Every display text of the hub's e-mails, in one place so they can be translated later (LANG-1).
 * Functions of plain data; the ticket texts themselves stay as written (HIST-6).
 */
export const MailTexts = {
  subject: (ticketNumber: number, subject: string) => `[Ticket #${ticketNumber}] ${subject}`,
  confirmation: (ticketNumber: number, subject: string) => [
    `We received your request #${ticketNumber}: ${subject}.`,
    'Reply to this e-mail to add context to your ticket; keep the ticket number in the subject.',
  ],
  confirmationPhone: 'Support will call you back when you are next in the queue.',
  confirmationConference: (scheduledAtIso: string) => `Requested call time (UTC): ${scheduledAtIso}. Support will confirm it.`,
  verifySubject: (subject: string) => `Verify & Confirm: ${subject}`,
  verify: (ticketNumber: number) => [
    `Your account team forwarded your question to Enterprise Support (ticket #${ticketNumber}).`,
    'Verify your account in the Customer Success Hub and choose whether Enterprise Support may access it; nobody works on the ticket until then.',
  ],
  handoverSubject: 'Hand-over from general support',
  handover: (ticketNumber: number, username: string) => [
    `Ticket #${ticketNumber} was raised by Enterprise Support seat holder ${username} outside Enterprise hours (ENT-4).`,
    'General support handles it until Enterprise Support is back online (Sunday 17:00 America/Denver).',
  ],
  replyIntro: (author: string) => `${author} wrote:`,
  supportAuthor: 'Support',
  manageLink: 'Manage your e-mail preferences:',
  bounceSubject: (subject: string) => `Not delivered to your ticket: ${subject}`,
  bounce: (reason: string) => [
    'Your e-mail was not added to a support ticket, and nothing was changed.',
    `Reason: ${reason}`,
    'You can reply in the Customer Success Hub, or contact support again and reference the ticket number.',
  ],
} as const;

/** CON-10: why an inbound mail was not added to a ticket (codes are stable; texts are for the bounce). */
export enum InboundRefusal {
  /** No ticket could be matched, or the sender may not reply to it: one answer, so ticket numbers cannot be probed. */
  NO_TICKET = 'NO_TICKET',
  TOO_MANY_ATTACHMENTS = 'TOO_MANY_ATTACHMENTS',
  ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE',
  UNSUPPORTED_ATTACHMENT = 'UNSUPPORTED_ATTACHMENT',
  EMPTY = 'EMPTY',
  /** replyToTicket refused it (FUP-1/FUP-4): closed ticket, someone else's ticket, … */
  REPLY_REFUSED = 'REPLY_REFUSED',
}

export const InboundRefusalTexts: Record<Exclude<InboundRefusal, InboundRefusal.REPLY_REFUSED | InboundRefusal.UNSUPPORTED_ATTACHMENT>, string> = {
  [InboundRefusal.NO_TICKET]: 'We could not match your e-mail to a ticket that this address can reply to. Keep "[Ticket #<number>]" in the subject and write from the address of your hub account.',
  [InboundRefusal.TOO_MANY_ATTACHMENTS]: 'A message can carry at most 5 attachments.',
  [InboundRefusal.ATTACHMENT_TOO_LARGE]: 'Attachments are limited to 500 KB each.',
  [InboundRefusal.EMPTY]: 'The e-mail has no text of its own (only quoted history) and no attachment.',
};
