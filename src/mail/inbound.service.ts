import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { extractFrom } from 'planer';
import { resolveViewer, type Viewer } from '../auth/viewer';
import type { Context } from '../context';
import { Account, Message, Ticket } from '../entities';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, type StagedUpload, type StagedUploads } from '../services/attachment-storage';
import { detectAttachmentType } from '../services/attachment-type';
import { TicketFollowupService } from '../services/ticket-followup.service';
import { InboundRefusal, inboundRefusalText, InboundRefusalTexts } from './texts';
import type { TicketMailer } from './ticket-mailer';
import type { Translate } from '../i18n';

/** What became of an inbound mail. */
export type InboundOutcome =
  | { outcome: 'ACCEPTED'; ticketNumber: number; messageId: number }
  | { outcome: 'REFUSED'; reason: InboundRefusal; message: string; ticketNumber: number | null }
  /** Not answered at all: automated mail (bounces, auto-replies, lists: no loops), no sender, or already stored. */
  | { outcome: 'IGNORED'; reason: 'AUTOMATED' | 'NO_SENDER' | 'DUPLICATE' };

export interface InboundDeps {
  rootEm: EntityManager;
  mailer: TicketMailer;
  uploads: StagedUploads;
  /** A context for the sender, as a request of theirs would get (events, clock, settings). */
  contextFor(viewer: Viewer): Context;
  now: () => Date;
}

/** The envelope of an SMTP delivery; a webhook has none. */
export interface InboundEnvelope {
  /** `MAIL FROM`; an empty reverse path (`<>`) marks a bounce. */
  mailFrom?: string | false | null;
}

const AUTOMATED_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+-].*)?@/i;

/**
 * RFC 3834 and common practice: mail sent by machines is never answered, so two auto-responders (or
 * the hub and a bounce) can never ping-pong.
 */
export function isAutomated(mail: ParsedMail, envelope: InboundEnvelope, ownDomain: string): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? value.toLowerCase() : value && typeof value === 'object' && 'value' in value ? String(value.value).toLowerCase() : value ? String(value).toLowerCase() : '';
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (/^(bulk|junk|list|auto_reply)$/.test(header('precedence'))) return true;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || mail.headers.has('list-id')) return true;
  if (header('content-type').startsWith('multipart/report')) return true;
  if (envelope.mailFrom === false || envelope.mailFrom === '' || envelope.mailFrom === '<>') return true;
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (AUTOMATED_SENDER.test(from)) return true;
  // our own mails coming back (a forwarding loop)
  return from.endsWith(`@${ownDomain}`) && (mail.messageId ?? '').endsWith(`@${ownDomain}>`);
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The new text of a reply as HTML paragraphs: quoted history and signature separators stripped (planer). */
export function replyBodyHtml(text: string): string {
  const fresh = extractFrom(text.replace(/\r\n/g, '\n'), 'text/plain').trim();
  if (!fresh) return '';
  return fresh
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

class Refused extends Error {
  constructor(readonly reason: InboundRefusal, message: string) {
    super(message);
  }
}

/**
 * CON-9/CON-10/FUP-1…4: a reply by e-mail becomes a message of its ticket under the rules of
 * `replyToTicket`, which it goes through: the ticket is matched by our `Message-ID`s in
 * `In-Reply-To`/`References`, then by `[Ticket #n]` in the subject; the sender must be an account of
 * the ticket's brand allowed to reply; attachments are staged for that account and pass the FUP-3
 * checks; the body is the new text only (quoted history stripped) and is sanitized by the reply.
 * A refused mail changes nothing and is answered once (the bounce's id derives from the mail's).
 */
export class InboundMailService {
  constructor(private readonly deps: InboundDeps) {}

  async receive(raw: Buffer | Readable, envelope: InboundEnvelope = {}): Promise<InboundOutcome> {
    const mail = await simpleParser(raw, { skipImageLinks: true });
    if (isAutomated(mail, envelope, this.deps.mailer.identity.domain)) return { outcome: 'IGNORED', reason: 'AUTOMATED' };
    const sender = mail.from?.value[0]?.address?.toLowerCase();
    if (!sender) return { outcome: 'IGNORED', reason: 'NO_SENDER' };
    const em = this.deps.rootEm.fork();
    if (mail.messageId && (await em.count(Message, { emailMessageId: mail.messageId }))) return { outcome: 'IGNORED', reason: 'DUPLICATE' };

    const ticketNumber = this.ticketNumberOf(mail);
    try {
      const ticket = ticketNumber === null ? null : await em.findOne(Ticket, { id: ticketNumber });
      const account = ticket ? await em.findOne(Account, { email: sender, brand: ticket.brand.id }) : null;
      const viewer = account ? await resolveViewer(em, { subject: account.id, scopes: [] }) : undefined;
      if (!ticket || !viewer || viewer.kind !== 'customer') throw new Refused(InboundRefusal.NO_TICKET, InboundRefusalTexts.NO_TICKET);

      const files = mail.attachments.filter((a) => !a.related);
      if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) throw new Refused(InboundRefusal.TOO_MANY_ATTACHMENTS, InboundRefusalTexts.TOO_MANY_ATTACHMENTS);
      for (const file of files) {
        if (file.content.length > MAX_ATTACHMENT_BYTES) throw new Refused(InboundRefusal.ATTACHMENT_TOO_LARGE, InboundRefusalTexts.ATTACHMENT_TOO_LARGE);
        const type = await detectAttachmentType(file.filename ?? 'attachment', file.content);
        if (!type.ok) throw new Refused(InboundRefusal.UNSUPPORTED_ATTACHMENT, type.message);
      }
      const bodyHtml = replyBodyHtml(mail.text ?? '');
      if (!bodyHtml && files.length === 0) throw new Refused(InboundRefusal.EMPTY, InboundRefusalTexts.EMPTY);

      const staged = await this.stage(files, viewer.accountId);
      try {
        const { message } = await new TicketFollowupService(this.deps.contextFor(viewer)).reply({
          ticketId: ticket.id,
          bodyHtml,
          attachmentIds: staged.map((s) => s.id),
          emailMessageId: mail.messageId ?? null,
        });
        return { outcome: 'ACCEPTED', ticketNumber: ticket.id, messageId: message.id };
      } catch (error) {
        await this.deps.uploads.discard(staged);
        throw error;
      }
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return { outcome: 'IGNORED', reason: 'DUPLICATE' };
      const refusal =
        error instanceof Refused ? error
        // a ticket the sender cannot read reads as no ticket at all: numbers cannot be probed by mail
        : error instanceof DomainError && error.problems.some((p) => p.code === DomainErrorCode.NOT_FOUND && p.field.join('.') === 'input.ticketId') ? new Refused(InboundRefusal.NO_TICKET, InboundRefusalTexts.NO_TICKET)
        // FORBIDDEN from the access rules (a domain error, or the auth layer's coded error): refused, with its reason
        : error instanceof DomainError || isForbidden(error) ? new Refused(InboundRefusal.REPLY_REFUSED, (error as Error).message)
        : null;
      if (!refusal) throw error;
      await this.bounce(mail, sender, refusal);
      return { outcome: 'REFUSED', reason: refusal.reason, message: refusal.message, ticketNumber };
    }
  }

  /** Our `Message-ID`s in `In-Reply-To`, then `References` (newest first), then `[Ticket #n]` in the subject. */
  private ticketNumberOf(mail: ParsedMail): number | null {
    const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
    const ids = [...(mail.inReplyTo ? mail.inReplyTo.split(/\s+/) : []), ...[...references].reverse()];
    for (const id of ids) {
      const n = this.deps.mailer.ticketOfMessageId(id);
      if (n !== null) return n;
    }
    const subject = /\[Ticket #(\d{1,12})\]/i.exec(mail.subject ?? '');
    return subject ? Number(subject[1]) : null;
  }

  private async stage(files: ParsedMail['attachments'], accountId: string): Promise<StagedUpload[]> {
    const staged: StagedUpload[] = [];
    try {
      for (const file of files) {
        const type = await detectAttachmentType(file.filename ?? 'attachment', file.content);
        if (!type.ok) throw new Error('checked before');
        const storageKey = this.deps.uploads.newStorageKey();
        const stored = await this.deps.uploads.storage.put(storageKey, Readable.from([file.content]), MAX_ATTACHMENT_BYTES);
        staged.push(await this.deps.uploads.record({ accountId, fileName: (file.filename ?? 'attachment').slice(0, 255), contentType: type.contentType, sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey }));
      }
      return staged;
    } catch (error) {
      await this.deps.uploads.discard(staged);
      throw error;
    }
  }

  /** One bounce per refused mail: its id derives from the mail's, so a mail delivered twice is answered once. */
  private async bounce(mail: ParsedMail, to: string, refusal: Refused): Promise<void> {
    const source = mail.messageId ?? createHash('sha256').update(`${to}\n${mail.subject ?? ''}\n${mail.date?.toISOString() ?? ''}\n${mail.text ?? ''}`).digest('hex');
    const key = createHash('sha256').update(source).digest('hex').slice(0, 32);
    const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
    try {
      await this.deps.rootEm.fork().transactional(async (em) => {
        // LANG-1: the refusals with a text of their own are told in the sender's language
        const own = refusal.reason !== InboundRefusal.REPLY_REFUSED && refusal.reason !== InboundRefusal.UNSUPPORTED_ATTACHMENT ? refusal.reason : null;
        const reason = own ? (t: Translate) => inboundRefusalText(t, own) : refusal.message;
        await this.deps.mailer.bounce(em, { key, to, subject: mail.subject ?? '', inReplyTo: mail.messageId, references, reason, ticketId: null }, this.deps.now());
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
  }
}

/** The auth layer's FORBIDDEN errors carry `extensions.code`; read without depending on GraphQL. */
function isForbidden(error: unknown): boolean {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'FORBIDDEN';
}
