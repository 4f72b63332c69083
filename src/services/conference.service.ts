import type { EntityManager } from '@mikro-orm/core';
import { ForbiddenReason } from '../auth/errors';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import { ConferenceCallStatus, Ticket, TicketKind, TicketStatus } from '../entities';
import { ticketUpdated } from '../realtime/events';
import { recordEvent } from '../realtime/event-log';
import { checkConferenceSlot } from './ticket-create.service';

const TICKET_FIELD = ['input', 'ticketId'];

/**
 * ENT-3: the user's side of a scheduled conference call after it was requested: reschedule or cancel
 * it while support has not accepted it. Each change is a CONFERENCE event on the ticket (RT-1), as the
 * agent's acceptance is.
 */
export class ConferenceService {
  constructor(private readonly ctx: Context) {}

  /** The viewer's own pending conference call, or a refusal saying why it cannot change. */
  private async pending(ticketId: number, em: EntityManager): Promise<Ticket> {
    const { viewer } = this.ctx;
    const ticket = await em.findOne(Ticket, { id: ticketId });
    if (!ticket || viewer.kind !== 'customer' || ticket.brand.id !== viewer.brandId || ticket.kind !== TicketKind.CONFERENCE || !ticket.conference) {
      throw DomainError.input(TICKET_FIELD, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.conference.notFound'));
    }
    if (ticket.submitter.id !== viewer.accountId) throw DomainError.forbidden(ForbiddenReason.NOT_TICKET_OWNER, this.ctx.t('userError.conference.notOwner'));
    if (ticket.conference.cancelledAt || ticket.status === TicketStatus.CLOSED) throw DomainError.state(TICKET_FIELD, StateReason.CALL_CANCELLED, this.ctx.t('userError.conference.cancelled'));
    if (ticket.conference.callStatus === ConferenceCallStatus.ACCEPTED) {
      throw DomainError.state(TICKET_FIELD, StateReason.CALL_ALREADY_ACCEPTED, this.ctx.t('userError.conference.alreadyAccepted'));
    }
    return ticket;
  }

  /** ENT-3: a new slot (same rules as when scheduling) for a call not accepted yet. */
  async reschedule(ticketId: number, scheduledAt: Date): Promise<Ticket> {
    const now = this.ctx.now();
    const ticket = await this.ctx.em.transactional(async (em) => {
      const ticket = await this.pending(ticketId, em);
      checkConferenceSlot(scheduledAt, now, this.ctx.t, this.ctx.locale);
      ticket.conference = { ...ticket.conference!, scheduledAt };
      ticket.lastActivityAt = now;
      recordEvent(em, ticketUpdated(ticket, 'CONFERENCE', now));
      return ticket;
    });
    return ticket;
  }

  /** ENT-3: cancels a call not accepted yet; its ticket is closed with it and stays in the history. */
  async cancel(ticketId: number): Promise<Ticket> {
    const now = this.ctx.now();
    const ticket = await this.ctx.em.transactional(async (em) => {
      const ticket = await this.pending(ticketId, em);
      ticket.conference = { ...ticket.conference!, cancelledAt: now };
      ticket.status = TicketStatus.CLOSED;
      ticket.closedAt = now;
      ticket.lastActivityAt = now;
      recordEvent(em, ticketUpdated(ticket, 'CONFERENCE', now));
      return ticket;
    });
    return ticket;
  }
}
