import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../context';
import type { Translate } from '../i18n';
import { DomainError, DomainErrorCode, type FixableCode } from '../domain/errors';
import type { RecordTicket } from '../domain/tickets';
import {
  Account,
  Agent,
  ChatTranscriptEntry,
  ESCALATION_ORDER,
  Escalation,
  EscalationStatus,
  EscalationTimelineEntry,
  Message,
  ParticipantRole,
  SharedResource,
  Ticket,
  TicketKind,
  TicketParticipant,
  TicketStatus,
} from '../entities';
import { ticketUpdated } from '../realtime/events';
import { recordEvent } from '../realtime/event-log';
import { sanitizeMessageHtml, ticketSubject } from './ticket-rules';

/** Checks a recorded escalation timeline: statuses strictly in ESC-3 order, dates not going back; the problem in `t`'s language. */
export function checkTimeline(t: Translate, timeline: { status: EscalationStatus; reachedAt: Date }[]): string | null {
  if (timeline.length === 0) return t('userError.record.timelineEmpty');
  if (timeline[0].status !== EscalationStatus.SUBMITTED) return t('userError.record.timelineStart');
  for (let i = 1; i < timeline.length; i++) {
    if (ESCALATION_ORDER.indexOf(timeline[i].status) <= ESCALATION_ORDER.indexOf(timeline[i - 1].status)) {
      return t('userError.record.timelineOrder', { order: ESCALATION_ORDER.join(' → ') });
    }
    if (timeline[i].reachedAt < timeline[i - 1].reachedAt) return t('userError.record.timelineDates');
  }
  return null;
}

/**
 * Records a ticket of any kind with its details in one transaction (agents and imports; the
 * customer-facing create mutations have their own rules).
 */
export class TicketRecordService {
  constructor(private readonly ctx: Context) {}

  /** Records the ticket; records RT-1 CREATED with it. A used escalation reference is TAKEN. */
  async record(input: RecordTicket): Promise<Ticket> {
    let ticket: Ticket;
    try {
      ticket = await this.write(input);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.input(['input', 'escalation', 'reference'], DomainErrorCode.TAKEN, this.ctx.t('userError.work.referenceTaken'));
      }
      throw error;
    }
    return ticket;
  }

  private async write(input: RecordTicket): Promise<Ticket> {
    const { t } = this.ctx;
    const invalid = (field: string, message: string, code: FixableCode = DomainErrorCode.INVALID) => DomainError.input(['input', field], code, message);
    if (input.kind === TicketKind.PHONE && !input.phone) throw invalid('phone', t('userError.record.phoneDetails'), DomainErrorCode.REQUIRED);
    if (input.kind === TicketKind.CONFERENCE && !input.conference) throw invalid('conference', t('userError.record.conferenceDetails'), DomainErrorCode.REQUIRED);
    if (input.kind !== TicketKind.CHAT && input.transcript?.length) throw invalid('transcript', t('userError.work.notAChat'));
    if ((input.status === TicketStatus.ESCALATED) !== Boolean(input.escalation)) {
      throw invalid('status', t('userError.record.escalatedStatus'));
    }
    if (input.escalation) {
      const problem = checkTimeline(t, input.escalation.timeline);
      if (problem) throw invalid('escalation', problem);
    }
    if (input.kind !== TicketKind.CONFERENCE && input.kind !== TicketKind.PHONE && !input.subject?.trim()) {
      throw invalid('subject', t('userError.record.subjectRequired'), DomainErrorCode.REQUIRED);
    }

    return this.ctx.em.transactional(async (em) => {
      const submitter = await em.findOne(Account, { id: input.submitterId });
      if (!submitter) throw invalid('submitterId', t('userError.accountNotFound', { accountId: input.submitterId }), DomainErrorCode.NOT_FOUND);
      const others = [...new Set(input.participantIds ?? [])].filter((id) => id !== submitter.id);
      const associated = others.length ? await em.find(Account, { id: { $in: others } }) : [];
      if (associated.length !== others.length || associated.some((a) => a.brand.id !== submitter.brand.id)) {
        throw invalid('participantIds', t('userError.record.participants'), DomainErrorCode.NOT_FOUND);
      }
      let assignee: Agent | null = null;
      if (input.assigneeId) {
        assignee = await em.findOne(Agent, { id: input.assigneeId });
        if (!assignee) throw invalid('assigneeId', t('userError.work.noAgent', { agentId: input.assigneeId }), DomainErrorCode.NOT_FOUND);
      }
      const createdAt = input.createdAt ?? this.ctx.now();
      const ticket = em.create(Ticket, {
        kind: input.kind,
        status: input.status,
        subject: ticketSubject(input.kind, submitter.username, input.subject),
        description: input.description,
        descriptionLanguage: input.descriptionLanguage,
        supportLanguage: input.supportLanguage,
        productArea: input.productArea,
        brand: submitter.brand,
        submitter,
        assignee,
        createdAt,
        lastActivityAt: createdAt,
        closedAt: input.status === TicketStatus.CLOSED ? createdAt : null,
        phone: input.phone ? { ...input.phone, extension: input.phone.extension ?? null } : null,
        conference: input.conference ? { ...input.conference } : null,
      });
      em.create(TicketParticipant, { ticket, account: submitter, role: ParticipantRole.SUBMITTER, addedAt: createdAt });
      for (const account of associated) em.create(TicketParticipant, { ticket, account, role: ParticipantRole.ASSOCIATED, addedAt: createdAt });
      let last = createdAt;
      for (const m of input.messages ?? []) {
        const at = m.createdAt ?? createdAt;
        if (at > last) last = at;
        em.create(Message, {
          ticket,
          authorKind: m.authorKind,
          authorAccount: m.authorKind === 'CUSTOMER' ? submitter : null,
          authorAgent: m.authorKind === 'AGENT' ? assignee : null,
          subject: m.subject ?? ticket.subject,
          bodyHtml: sanitizeMessageHtml(m.bodyHtml),
          recipients: m.recipients ?? [],
          createdAt: at,
        });
      }
      for (const line of input.transcript ?? []) {
        const at = line.sentAt ?? createdAt;
        if (at > last) last = at;
        em.create(ChatTranscriptEntry, { ticket, authorKind: line.authorKind, authorName: line.authorName, text: line.text, sentAt: at });
      }
      for (const r of input.sharedResources ?? []) em.create(SharedResource, { ticket, title: r.title, url: r.url, sharedBy: assignee, sharedAt: createdAt });
      if (input.escalation) {
        const timeline = input.escalation.timeline;
        const current = timeline[timeline.length - 1];
        const escalation = em.create(Escalation, {
          ticket,
          reference: input.escalation.reference,
          problemDescription: input.escalation.problemDescription,
          productArea: input.productArea,
          status: current.status,
          estimatedResolutionAt: input.escalation.estimatedResolutionAt ?? null,
          submittedAt: timeline[0].reachedAt,
          resolvedAt: current.status === EscalationStatus.RESOLVED ? current.reachedAt : null,
        });
        for (const entry of timeline) em.create(EscalationTimelineEntry, { escalation, status: entry.status, reachedAt: entry.reachedAt });
        if (current.reachedAt > last) last = current.reachedAt;
      }
      ticket.lastActivityAt = last;
      // RT-1: committed with the ticket, so ticketsUpdated subscribers see the recorded ticket
      await em.flush();
      recordEvent(em, ticketUpdated(ticket, 'CREATED', this.ctx.now()));
      return ticket;
    });
  }
}
