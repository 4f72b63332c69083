import { translator, type Translate } from '../i18n';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from '../services/attachment-storage';

/**
 * Every display text of the hub's e-mails, in the recipient's language (LANG-1): the catalogs' `mail.*`
 * keys through `t`. Functions of plain data; the ticket texts themselves stay as written (HIST-6),
 * and the `[Ticket #n]` subject tag is never translated (inbound mail finds its ticket by it).
 */
export const mailTexts = (t: Translate) => ({
  subject: (ticketNumber: number, subject: string) => `[Ticket #${ticketNumber}] ${subject}`,
  confirmation: (ticketNumber: number, subject: string) => [t('mail.confirmation.received', { number: ticketNumber, subject }), t('mail.confirmation.replyHint')],
  confirmationPhone: t('mail.confirmation.phone'),
  confirmationConference: (scheduledAtIso: string) => t('mail.confirmation.conference', { at: scheduledAtIso }),
  verifySubject: (subject: string) => t('mail.verify.subject', { subject }),
  verify: (ticketNumber: number) => [t('mail.verify.forwarded', { number: ticketNumber }), t('mail.verify.action')],
  handoverSubject: t('mail.handover.subject'),
  handover: (ticketNumber: number, username: string) => [t('mail.handover.raised', { number: ticketNumber, username }), t('mail.handover.until')],
  replyIntro: (author: string) => t('mail.replyIntro', { author }),
  manageLink: t('mail.manageLink'),
  bounceSubject: (subject: string) => t('mail.bounce.subject', { subject }),
  bounce: (reason: string) => [t('mail.bounce.notAdded'), t('mail.bounce.reason', { reason }), t('mail.bounce.howTo')],
});

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

/** The bounce texts of the refusals that have one of their own, in the sender's language (LANG-1). */
export function inboundRefusalText(t: Translate, refusal: Exclude<InboundRefusal, InboundRefusal.REPLY_REFUSED | InboundRefusal.UNSUPPORTED_ATTACHMENT>): string {
  switch (refusal) {
    case InboundRefusal.NO_TICKET:
      return t('mail.refusal.NO_TICKET');
    case InboundRefusal.TOO_MANY_ATTACHMENTS:
      return t('mail.refusal.TOO_MANY_ATTACHMENTS', { max: MAX_ATTACHMENTS_PER_MESSAGE });
    case InboundRefusal.ATTACHMENT_TOO_LARGE:
      return t('mail.refusal.ATTACHMENT_TOO_LARGE', { kb: MAX_ATTACHMENT_BYTES / 1024 });
    case InboundRefusal.EMPTY:
      return t('mail.refusal.EMPTY');
  }
}

/** The English text of a refusal, as the inbound service logs and raises it. */
export const InboundRefusalTexts = {
  [InboundRefusal.NO_TICKET]: inboundRefusalText(translator('en'), InboundRefusal.NO_TICKET),
  [InboundRefusal.TOO_MANY_ATTACHMENTS]: inboundRefusalText(translator('en'), InboundRefusal.TOO_MANY_ATTACHMENTS),
  [InboundRefusal.ATTACHMENT_TOO_LARGE]: inboundRefusalText(translator('en'), InboundRefusal.ATTACHMENT_TOO_LARGE),
  [InboundRefusal.EMPTY]: inboundRefusalText(translator('en'), InboundRefusal.EMPTY),
};
