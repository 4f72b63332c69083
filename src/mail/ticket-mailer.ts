import type { EntityManager } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { compile } from 'html-to-text';
import { AccountType, OutboxEntry, OutboxTransport, TicketKind, type Ticket } from '../entities';
import { Account } from '../entities';
import type { EmailPayload } from '../delivery/payloads';
import { signManageLinkToken } from '../services/email-preferences.service';
import { resolveLocale, translator, type Translate } from '../i18n';
import { mailTexts } from './texts';

/**
 * The text part of every mail, from its HTML: html-to-text's options compiled once (its `convert`
 * compiles them on every call: 0.6–1.0 ms against 0.03–0.06 ms per mail, measured on a confirmation).
 */
const textOf = compile({ wordwrap: 78 });

/** A mail's subject and body, written in one recipient's language. */
type Compose = (texts: ReturnType<typeof mailTexts>) => { subject: string; html: string };

/** Which mail an outbox entry is (the `topic` column). */
export const MailTopic = {
  TICKET_CONFIRMATION: 'TICKET_CONFIRMATION',
  TICKET_REPLY: 'TICKET_REPLY',
  ENTERPRISE_HANDOVER: 'ENTERPRISE_HANDOVER',
  ENTERPRISE_VERIFY: 'ENTERPRISE_VERIFY',
  BOUNCE: 'BOUNCE',
} as const;
export type MailTopic = (typeof MailTopic)[keyof typeof MailTopic];

/** Who the hub is in its mails (from the configuration). */
export interface MailIdentity {
  from: string;
  domain: string;
  publicUrl: string;
  manageLinkKey: Uint8Array;
}

/** A message of a thread as the mailer needs it. */
export interface ThreadMail {
  ticket: Ticket;
  subject: string;
  bodyHtml: string;
  /** Who wrote it, for the line above the body. */
  author: string;
  /** The `Message-ID` of this message (Message.emailMessageId). */
  messageId: string;
  /** `Message-ID`s of the earlier messages of the thread, oldest first. */
  earlier: readonly string[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const paragraphs = (lines: readonly string[]) => lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');

/** At most this many ids in `References` (the root and the latest ones), as mail clients do. */
const MAX_REFERENCES = 20;

/**
 * CON-9/CON-10: writes the hub's mails into the outbox, inside the caller's transaction, fully
 * rendered: `[Ticket #n]` subject, `Message-ID`s that name the ticket (so replies find it), threading
 * by `In-Reply-To`/`References`, a plain-text part beside the sanitized HTML, and the PREF-6 manage
 * link at the bottom of every success e-mail to an eligible address. One entry per recipient, because
 * each manage link is bound to its recipient's address.
 */
export class TicketMailer {
  constructor(readonly identity: MailIdentity) {}

  /** The thread's root id: the confirmation's `Message-ID`. */
  rootId(ticketId: number): string {
    return `<ticket-${ticketId}@${this.identity.domain}>`;
  }

  /** A new `Message-ID` of the ticket's thread. */
  newMessageId(ticketId: number): string {
    return `<ticket-${ticketId}.${randomUUID()}@${this.identity.domain}>`;
  }

  /** The ticket number a `Message-ID` of ours names, or null (someone else's id, or not ours). */
  ticketOfMessageId(id: string): number | null {
    const match = /^<ticket-(\d{1,12})(?:\.[A-Za-z0-9.-]+)?@([^<>@\s]+)>$/.exec(id.trim());
    if (!match || match[2].toLowerCase() !== this.identity.domain) return null;
    const n = Number(match[1]);
    return Number.isSafeInteger(n) ? n : null;
  }

  private enqueue(em: EntityManager, topic: MailTopic, ticketId: number | null, payload: EmailPayload, now: Date): void {
    em.create(OutboxEntry, {
      transport: OutboxTransport.EMAIL,
      topic,
      destination: payload.to[0],
      deliveryKey: payload.messageId,
      payload: payload as unknown as Record<string, unknown>,
      ticketId,
      createdAt: now,
      nextAttemptAt: now,
    });
  }

  /**
   * What an address gets besides the mail itself: its language (LANG-1: the preferred language of the
   * hub account with that address, else English) and, PREF-3/PREF-6, the manage link when some account
   * with it has a preferences section.
   */
  private async recipient(em: EntityManager, address: string, now: Date): Promise<{ t: Translate; manageLink: string | null }> {
    const accounts = await em.find(Account, { email: address.toLowerCase() }, { populate: ['brand'], orderBy: { createdAt: 'asc', id: 'asc' } });
    const t = translator(resolveLocale(undefined, accounts[0]?.language));
    const eligible = accounts.some((a) => a.accountType !== AccountType.FREE && !a.brand.getEntity().fedramp);
    if (!eligible) return { t, manageLink: null };
    const token = await signManageLinkToken(this.identity.manageLinkKey, address, now);
    return { t, manageLink: `${this.identity.publicUrl}/email-preferences?token=${encodeURIComponent(token)}` };
  }

  /** One mail per recipient, each with its own manage link and `Message-ID` in the thread. */
  private async toEach(
    em: EntityManager,
    recipients: readonly string[],
    build: { topic: MailTopic; ticketId: number; compose: Compose; messageId: (index: number) => string; inReplyTo?: string; references?: string[] },
    now: Date,
  ): Promise<void> {
    const unique = [...new Map(recipients.map((r) => [r.toLowerCase(), r])).values()];
    for (const [index, to] of unique.entries()) {
      const { t, manageLink: link } = await this.recipient(em, to, now);
      const texts = mailTexts(t);
      const mail = build.compose(texts);
      const html = mail.html + (link ? `<hr><p><small>${escapeHtml(texts.manageLink)} <a href="${escapeHtml(link)}">${escapeHtml(link)}</a></small></p>` : '');
      this.enqueue(em, build.topic, build.ticketId, {
        to: [to],
        subject: mail.subject.slice(0, 300),
        html,
        text: textOf(html),
        messageId: build.messageId(index),
        inReplyTo: build.inReplyTo,
        references: build.references,
      }, now);
    }
  }

  /** CON-9: the confirmation of a new request; its `Message-ID` is the thread's root. */
  confirmation(em: EntityManager, ticket: Ticket, to: string, now: Date): Promise<void> {
    return this.toEach(em, [to], {
      topic: MailTopic.TICKET_CONFIRMATION,
      ticketId: ticket.id,
      compose: (texts) => ({ subject: texts.subject(ticket.id, ticket.subject), html: paragraphs(this.confirmationLines(texts, ticket)) }),
      messageId: () => this.rootId(ticket.id),
    }, now);
  }

  private confirmationLines(texts: ReturnType<typeof mailTexts>, ticket: Ticket): string[] {
    const [received, replyHint] = texts.confirmation(ticket.id, ticket.subject);
    const lines = [received];
    if (ticket.kind === TicketKind.PHONE) lines.push(texts.confirmationPhone);
    if (ticket.kind === TicketKind.CONFERENCE && ticket.conference) lines.push(texts.confirmationConference(ticket.conference.scheduledAt.toISOString()));
    lines.push(replyHint);
    return lines;
  }

  /** ENT-5: the verification request of a forwarded ticket (the thread's root). */
  verification(em: EntityManager, ticket: Ticket, to: string, now: Date): Promise<void> {
    return this.toEach(em, [to], {
      topic: MailTopic.ENTERPRISE_VERIFY,
      ticketId: ticket.id,
      compose: (texts) => ({ subject: texts.subject(ticket.id, texts.verifySubject(ticket.subject)), html: paragraphs(texts.verify(ticket.id)) }),
      messageId: () => this.rootId(ticket.id),
    }, now);
  }

  /** ENT-4: the hand-over to the Enterprise Support mailbox (internal: no manage link). */
  handover(em: EntityManager, ticket: Ticket, mailbox: string, username: string, now: Date): void {
    // the Enterprise Support mailbox is the vendor's own: in English
    const texts = mailTexts(translator('en'));
    const html = paragraphs(texts.handover(ticket.id, username));
    this.enqueue(em, MailTopic.ENTERPRISE_HANDOVER, ticket.id, {
      to: [mailbox],
      subject: texts.subject(ticket.id, texts.handoverSubject),
      html,
      text: textOf(html),
      messageId: `<ticket-${ticket.id}.handover@${this.identity.domain}>`,
      inReplyTo: this.rootId(ticket.id),
      references: [this.rootId(ticket.id)],
    }, now);
  }

  /** FUP-1/CON-10: a message of the thread, to `recipients` (agent replies; customer replies copied to the others). */
  threadMessage(em: EntityManager, mail: ThreadMail, recipients: readonly string[], now: Date): Promise<void> {
    const root = this.rootId(mail.ticket.id);
    const earlier = [root, ...mail.earlier.filter((id) => id !== root)];
    const references = earlier.length > MAX_REFERENCES ? [earlier[0], ...earlier.slice(-(MAX_REFERENCES - 1))] : earlier;
    // the first recipient's copy carries the message's own id when it is ours; other copies get ids of their own
    const ours = this.ticketOfMessageId(mail.messageId) === mail.ticket.id;
    const base = ours ? mail.messageId.slice(1, mail.messageId.lastIndexOf('@')) : `ticket-${mail.ticket.id}.${randomUUID()}`;
    return this.toEach(em, recipients, {
      topic: MailTopic.TICKET_REPLY,
      ticketId: mail.ticket.id,
      compose: (texts) => ({
        subject: texts.subject(mail.ticket.id, mail.subject.replace(/^\[Ticket #\d+\]\s*/, '')),
        html: `<p>${escapeHtml(texts.replyIntro(mail.author))}</p>${mail.bodyHtml}`,
      }),
      messageId: (index) => (ours && index === 0 ? mail.messageId : `<${base}.${index}@${this.identity.domain}>`),
      inReplyTo: earlier[earlier.length - 1],
      references,
    }, now);
  }

  /**
   * CON-10: the one answer to a refused inbound mail. Marked `Auto-Submitted: auto-replied` so
   * well-behaved auto-responders do not answer it (the inbound side drops such mails: no loops).
   */
  async bounce(em: EntityManager, input: { key: string; to: string; subject: string; inReplyTo?: string; references?: string[]; reason: string | ((t: Translate) => string); ticketId: number | null }, now: Date): Promise<void> {
    const { t } = await this.recipient(em, input.to, now);
    const texts = mailTexts(t);
    const html = paragraphs(texts.bounce(typeof input.reason === 'string' ? input.reason : input.reason(t)));
    this.enqueue(em, MailTopic.BOUNCE, input.ticketId, {
      to: [input.to],
      subject: texts.bounceSubject(input.subject || '(no subject)').slice(0, 300),
      html,
      text: textOf(html),
      messageId: `<bounce.${input.key}@${this.identity.domain}>`,
      inReplyTo: input.inReplyTo,
      references: input.inReplyTo ? [...(input.references ?? []), input.inReplyTo].slice(-MAX_REFERENCES) : undefined,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    }, now);
  }
}
