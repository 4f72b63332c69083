import { ForbiddenReason } from '../auth/errors';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import { Account, Message, MessageAuthorKind, ParticipantRole, ProductArea, ProxyAccessChange, ProxyAccessOrigin, Ticket, TicketKind, TicketParticipant } from '../entities';
import { ticketUpdated } from '../realtime/events';
import { recordEvent } from '../realtime/event-log';
import { checkDescription } from './ticket-rules';

export interface ForwardToEnterpriseInput {
  accountId: string;
  productArea: ProductArea;
  subject: string;
  description: string;
}

/**
 * ENT-5: questions an account team forwards to Enterprise Support. The ticket waits, untouched, until
 * its submitter verifies the account and says whether Enterprise Support may access it.
 */
export class EnterpriseService {
  constructor(private readonly ctx: Context) {}

  /** Agent side: creates the forwarded ticket (enterprise, awaiting verification) and asks the user to verify. */
  async forward(input: ForwardToEnterpriseInput): Promise<Ticket> {
    checkDescription(this.ctx.t, input.description, false);
    const now = this.ctx.now();
    const created = await this.ctx.em.transactional(async (em) => {
      const account = await em.findOne(Account, { id: input.accountId }, { populate: ['brand'] });
      if (!account) throw DomainError.input(['input', 'accountId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.accountNotFound', { accountId: input.accountId }));
      if (!account.brand.getEntity().successPackage) {
        throw DomainError.state(['input', 'accountId'], StateReason.NOT_SUCCESS_PACKAGE, this.ctx.t('userError.enterprise.noSuccessPackage'));
      }
      const ticket = em.create(Ticket, {
        kind: TicketKind.EMAIL,
        subject: input.subject,
        description: input.description,
        productArea: input.productArea,
        brand: account.brand,
        submitter: account,
        enterprise: true,
        awaitingVerification: true,
        createdAt: now,
        lastActivityAt: now,
      });
      em.create(TicketParticipant, { ticket, account, role: ParticipantRole.SUBMITTER, addedAt: now });
      em.create(Message, { ticket, authorKind: MessageAuthorKind.AGENT, subject: input.subject, bodyHtml: `<p>Forwarded to Enterprise Support by your account team.</p>`, recipients: [account.email], createdAt: now });
      await em.flush();
      // RT-1: committed with the ticket
      recordEvent(em, ticketUpdated(ticket, 'CREATED', now));
      await this.ctx.mailer?.verification(em, ticket, account.email, now);
      return ticket;
    });
    return created;
  }

  /** Customer side: the submitter verifies and records whether Enterprise Support may access the account. */
  async verify(ticketId: number, allowEnterpriseAccess: boolean): Promise<Ticket> {
    const { viewer, em } = this.ctx;
    if (viewer.kind !== 'customer') throw new Error('verifyEnterpriseAccount is for customers (guarded by @Authorized)');
    const ticket = await em.findOne(Ticket, { id: ticketId });
    if (!ticket || ticket.brand.id !== viewer.brandId) {
      throw DomainError.input(['input', 'ticketId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.noSuchTicket'));
    }
    if (ticket.submitter.id !== viewer.accountId) {
      throw DomainError.forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, this.ctx.t('userError.enterprise.onlyForwardedUser'));
    }
    if (!ticket.awaitingVerification) {
      throw DomainError.state(['input', 'ticketId'], StateReason.NOT_AWAITING_VERIFICATION, this.ctx.t('userError.enterprise.notAwaitingVerification'));
    }
    const now = this.ctx.now();
    ticket.awaitingVerification = false;
    ticket.enterpriseAccessAllowed = allowEnterpriseAccess;
    ticket.verifiedAt = now;
    ticket.lastActivityAt = now;
    // ENT-5, PRX-3: the answer is the ticket's proxy access for this user from now on, with its source
    em.create(ProxyAccessChange, { ticket, account: em.getReference(Account, viewer.accountId), granted: allowEnterpriseAccess, origin: ProxyAccessOrigin.ENTERPRISE_VERIFICATION, changedAt: now });
    recordEvent(em, ticketUpdated(ticket, 'VERIFICATION', now));
    await em.flush();
    return ticket;
  }
}
