import type { EntityManager } from '@mikro-orm/core';
import { getCountries, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CustomerViewer } from '../auth/viewer';
import type { Context } from '../context';
import type { CallbackLanguageAnswer, ChatRequest, ConferenceCallRequest, EmailTicketRequest, PhoneCallbackRequest } from '../domain/contact';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import type { TicketOrEscalationRef } from '../domain/tickets';
import {
  Account,
  Brand,
  ChatSession,
  ChatState,
  Escalation,
  TicketReference,
  CallbackRequest,
  CallbackState,
  ConferenceCallStatus,
  Message,
  MessageAuthorKind,
  ParticipantRole,
  ProductArea,
  SupportLanguage,
  SupportTopic,
  Ticket,
  TicketKind,
  TicketParticipant,
  BrandRole,
} from '../entities';
import type { SupportSettings } from '../config';
import { callbackQueueMoved, chatQueueMoved, ticketUpdated, type DomainEvent } from '../realtime/events';
import { recordEvents, ticketEventId } from '../realtime/event-log';
import { ChatService } from './chat.service';
import { idempotent } from './idempotency';
import { TicketQueryService } from './ticket-query.service';
import { CallbackQueueService, type QueueStatus } from './callback-queue.service';
import {
  ContactMethod,
  contactMethods,
  CONFERENCE_CALL_MINUTES,
  emailOutsideHours,
  enterpriseHandlesNow,
  enterpriseHandoverAt,
  enterpriseServesArea,
  methodWindow,
  RedirectTarget,
  isEnterpriseSeatHolder,
  slotFits,
  SPECIALIST_WINDOW,
  redirectAdvice,
  productAreaRouting,
  SEPARATE_TEAM_PRODUCT_AREAS,
  supportTopics,
  type ProductAreaRouting,
  UnavailableReason,
  unavailableReason,
  type ContactFacts,
  type MethodAvailability,
  type WeeklyWindow,
} from './support-hours';
import { checkDescription, ticketSubject } from './ticket-rules';
import { CONTACT_METHODS, pickUp, presentHours, unavailableMessage } from './support-texts';
import { translator, type Locale, type Translate } from '../i18n';

/** CON-2: a topic with its label and description in the request's language. */
function topicOption(t: Translate, topic: SupportTopic): TopicOption {
  return { topic, label: t(`topic.${topic}.label`), description: t(`topic.${topic}.description`) };
}

/** CON-2, CON-3: a product area as the contact page shows it, for a viewer of `role`: texts, topics, routing. */
function productAreaInfo(t: Translate, area: ProductArea, role: BrandRole, settings: SupportSettings): ProductAreaInfo {
  const routing = productAreaRouting(area);
  return {
    code: area,
    name: t(`productArea.${area}.name`),
    description: t(`productArea.${area}.description`),
    routedToSeparateTeam: routing.separateTeam,
    topics: supportTopics(role, area).map((topic) => topicOption(t, topic)),
    routing: {
      ...routing,
      message: routing.separateTeam ? t('contact.separateTeam') : null,
      url: routing.separateTeam ? settings.xmDiscoverSupportUrl : null,
    },
  };
}

/** ENT-3: how far ahead a conference call can be scheduled. */
export const CONFERENCE_MAX_DAYS_AHEAD = 180;

const DESCRIPTION_LANGUAGE: Record<SupportLanguage, string> = {
  [SupportLanguage.ENGLISH]: 'en',
  [SupportLanguage.SPANISH]: 'es',
  [SupportLanguage.PORTUGUESE]: 'pt',
  [SupportLanguage.GERMAN]: 'de',
  [SupportLanguage.FRENCH]: 'fr',
  [SupportLanguage.ITALIAN]: 'it',
  [SupportLanguage.DUTCH]: 'nl',
  [SupportLanguage.JAPANESE]: 'ja',
};

/** CON-4: each reason a method is unavailable, as the reason of the INVALID_STATE refusal. */
const UNAVAILABLE_STATE: Record<UnavailableReason, StateReason> = {
  [UnavailableReason.OUT_OF_HOURS]: StateReason.OUT_OF_HOURS,
  [UnavailableReason.LANGUAGE_NOT_OFFERED]: StateReason.LANGUAGE_NOT_OFFERED,
  [UnavailableReason.PRODUCT_NOT_COVERED]: StateReason.PRODUCT_NOT_COVERED,
  [UnavailableReason.LICENSE]: StateReason.LICENSE,
  [UnavailableReason.NOT_SUCCESS_PACKAGE]: StateReason.NOT_SUCCESS_PACKAGE,
  [UnavailableReason.SEPARATE_TEAM]: StateReason.SEPARATE_TEAM,
};

const UNAVAILABLE_BY_STATE = new Map<StateReason, UnavailableReason>(Object.entries(UNAVAILABLE_STATE).map(([u, s]) => [s, u as UnavailableReason]));

/** The CON-4 reason of a create refused because the method is not available now, if that is why. */
export function unavailableReasonOf(reason: StateReason | null | undefined): UnavailableReason | null {
  return (reason && UNAVAILABLE_BY_STATE.get(reason)) || null;
}

/** A contact method as the contact page shows it: availability, hours as data and texts (LANG-1). */
export interface MethodOption extends MethodAvailability {
  estimatedWaitMinutes: number | null;
  label: string;
  hours: string;
  schedule: PresentedHours;
  enterpriseSchedule: PresentedHours | null;
  unavailableMessage: string | null;
  /** Now when usable now; the next opening when only the hours stand in the way; else null. */
  nextAvailableAt: Date | null;
  /** CON-8: e-mail accepted outside its language's hours: when it is picked up, and the sentence. */
  pickUpAt: Date | null;
  pickUpNotice: string | null;
}

export type PresentedHours = ReturnType<typeof presentHours>;

export interface SupportOptionsResult {
  productArea: ProductArea;
  productAreaInfo: ProductAreaInfo;
  language: SupportLanguage;
  methods: MethodOption[];
  enterpriseSeat: boolean;
  routedToSeparateTeam: string | null;
  advice: { checkWith: RedirectTarget; message: string; examples: string[] };
  topics: SupportTopic[];
  topicOptions: TopicOption[];
  phoneCountries: { code: string; callingCode: string }[];
}

/** CON-2: a topic as the contact page shows it. */
export interface TopicOption {
  topic: SupportTopic;
  label: string;
  description: string;
}

/** A product area with its texts in the request's language, the viewer's topics and its routing (CON-2, CON-3). */
export interface ProductAreaInfo {
  code: ProductArea;
  name: string;
  description: string;
  routedToSeparateTeam: boolean;
  /** CON-2: the topics the viewer can pick for this area (none where a separate team takes the requests). */
  topics: TopicOption[];
  /** CON-3: who answers, and for a separate team where to go (a sentence and a link). */
  routing: ProductAreaRouting & { message: string | null; url: string | null };
}

/** What a new ticket is made of, after the kind's own validation. */
/** A created ticket and the id of the TICKET_UPDATED event it recorded (null on an idempotent replay). */
export interface CreatedTicket {
  ticket: Ticket;
  eventId: string | null;
}

interface TicketSpec {
  kind: TicketKind;
  productArea: ProductArea;
  language: SupportLanguage;
  subject?: string | null;
  description: string;
  descriptionLanguage?: string | null;
  idempotencyKey?: string | null;
  /** FUP-5: earlier tickets or escalations this request refers to. */
  references?: TicketOrEscalationRef[] | null;
  /** CON-2: the topic picked on the contact page. */
  topic?: SupportTopic | null;
  /** Served by Enterprise Support for seat holders (e-mail, phone, conference), ENT-1/ENT-2. */
  enterpriseChannel: boolean;
  confirmationTo: string;
  phone?: Ticket['phone'];
  conference?: Ticket['conference'];
  /** Kind-specific rows created in the same transaction. */
  extra?: (em: EntityManager, ticket: Ticket) => void;
  /** Kind-specific events recorded with the ticket (a chat joining its queue). */
  events?: (ticket: Ticket) => DomainEvent[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!).replace(/\r?\n/g, '<br>');

function facts(viewer: CustomerViewer): ContactFacts {
  return { accountType: viewer.account.accountType, role: viewer.role, enterpriseSeat: viewer.account.enterpriseSeat, successPackage: viewer.brand.successPackage };
}

/**
 * Contacting support (CON-1…9, ENT-1…4): the options open now and the four create mutations. Every
 * create is idempotent per (submitter, idempotencyKey) and writes the ticket, its SUBMITTER row, its
 * kind's rows and the CON-9 confirmation e-mail in one transaction.
 */
export class TicketCreateService {
  constructor(private readonly ctx: Context) {}

  private get viewer(): CustomerViewer {
    const { viewer } = this.ctx;
    if (viewer.kind !== 'customer') throw new Error('contact operations are for customers (guarded by @Authorized)');
    return viewer;
  }

  /** CON-2…8, ENT-1: what the viewer can use now, with waits, hours and advice, texts in the request's language. */
  async supportOptions(productArea: ProductArea, language: SupportLanguage): Promise<SupportOptionsResult> {
    const viewer = this.viewer;
    const f = facts(viewer);
    const { t } = this.ctx;
    const now = this.ctx.now();
    const methods = contactMethods(f, productArea, language, now);
    const queue = new CallbackQueueService(this.ctx);
    const chat = new ChatService(this.ctx);
    const withWaits = await Promise.all(
      methods.map(async (m) => {
        let estimatedWaitMinutes: number | null = null;
        if (m.available && m.method === ContactMethod.CHAT) estimatedWaitMinutes = await chat.estimatedWaitForNew(language, productArea);
        if (m.available && m.method === ContactMethod.PHONE) {
          const [waiting, handle] = await Promise.all([queue.waitingAhead(language, productArea), queue.averageHandleMinutes(language, productArea)]);
          estimatedWaitMinutes = Math.round(waiting * handle);
        }
        return this.present(m, productArea, language, now, estimatedWaitMinutes);
      }),
    );
    const advice = redirectAdvice(viewer.role);
    const info = productAreaInfo(t, productArea, viewer.role, this.ctx.settings);
    return {
      productArea,
      productAreaInfo: info,
      language,
      methods: withWaits,
      enterpriseSeat: isEnterpriseSeatHolder(f),
      routedToSeparateTeam: SEPARATE_TEAM_PRODUCT_AREAS.has(productArea) ? t('contact.separateTeam') : null,
      advice: { checkWith: advice.checkWith, message: t(`advice.${advice.checkWith}.message`), examples: advice.examples.map((e) => t(`advice.example.${e}`)) },
      topics: info.topics.map((option) => option.topic),
      topicOptions: info.topics,
      phoneCountries: getCountries().map((code) => ({ code, callingCode: getCountryCallingCode(code) })),
    };
  }

  /** One method with its hours as data and its texts (LANG-1, point 2 of issue 17). */
  private present(m: MethodAvailability, area: ProductArea, language: SupportLanguage, now: Date, estimatedWaitMinutes: number | null): MethodOption {
    const { t, locale } = this.ctx;
    const schedule = presentHours(t, locale, m.window, now);
    const enterpriseSchedule = m.enterpriseWindow ? presentHours(t, locale, m.enterpriseWindow, now) : null;
    const hours = enterpriseSchedule ? t('hours.withEnterprise', { general: schedule.summary, enterprise: enterpriseSchedule.summary }) : schedule.summary;
    const pickUpAt = m.acceptedOutsideHours ? pickUp(t, locale, m.window as WeeklyWindow, language, now) : null;
    return {
      ...m,
      estimatedWaitMinutes,
      label: t(`method.${m.method}`),
      hours,
      schedule,
      enterpriseSchedule,
      unavailableMessage: unavailableMessage(t, locale, m, area, language, now),
      nextAvailableAt: m.available ? now : m.unavailableReason === UnavailableReason.OUT_OF_HOURS ? schedule.opensAt : null,
      pickUpAt: pickUpAt?.pickUpAt ?? null,
      pickUpNotice: pickUpAt?.pickUpNotice ?? null,
    };
  }

  /** Refuses with the CON-4 reason, explained in the request's language, when `method` is not available now. */
  private requireAvailable(method: ContactMethod, productArea: ProductArea, language: SupportLanguage): void {
    const now = this.ctx.now();
    const reason = unavailableReason(method, facts(this.viewer), productArea, language, now);
    if (!reason) return;
    const m = contactMethods(facts(this.viewer), productArea, language, now).find((x) => x.method === method)!;
    const { t, locale } = this.ctx;
    throw DomainError.state(['input', 'productArea'], UNAVAILABLE_STATE[reason], unavailableMessage(t, locale, m, productArea, language, now) ?? t('userError.contactUnavailable', { method }));
  }

  /** CON-8: an e-mail written now in `language` outside that language's hours: when it is picked up. */
  emailPickUp(language: SupportLanguage): { pickUpAt: Date; pickUpNotice: string } | null {
    const now = this.ctx.now();
    const window = emailOutsideHours(language, now);
    return window ? pickUp(this.ctx.t, this.ctx.locale, window, language, now) : null;
  }

  /** CON-2, CON-3: every product area with its texts in the request's language, the viewer's topics and its routing. */
  productAreas(): ProductAreaInfo[] {
    return Object.values(ProductArea).map((area) => productAreaInfo(this.ctx.t, area, this.viewer.role, this.ctx.settings));
  }

  /** CON-2: a ticket's topic with its label and description in the request's language. */
  topicOption(topic: SupportTopic): TopicOption {
    return topicOption(this.ctx.t, topic);
  }

  /**
   * CON-2: the topic picked must be one the contact page offers this viewer for this product area
   * (`supportTopics`); anything else is refused with TOPIC_NOT_OFFERED and nothing is written.
   */
  private requireTopic(topic: SupportTopic | null | undefined, area: ProductArea): void {
    if (!topic || supportTopics(this.viewer.role, area).includes(topic)) return;
    throw DomainError.input(['input', 'topic'], DomainErrorCode.INVALID, this.ctx.t('userError.refusal.TOPIC_NOT_OFFERED'), StateReason.TOPIC_NOT_OFFERED);
  }

  /** Issue 17 point 2: for each support language, the hours of chat, e-mail, phone and conference calls now. */
  supportHours(): { language: SupportLanguage; methods: { method: ContactMethod; label: string; schedule: PresentedHours }[] }[] {
    const { t, locale } = this.ctx;
    const now = this.ctx.now();
    return Object.values(SupportLanguage).map((language) => ({
      language,
      methods: CONTACT_METHODS.map((method) => ({ method, label: t(`method.${method}`), schedule: presentHours(t, locale, methodWindow(method, language), now) })),
    }));
  }

  /** CON-6: an e-mail ticket; the description is the first e-mail of the thread (TKT-2). */
  createEmailTicket(input: EmailTicketRequest): Promise<CreatedTicket> {
    return this.create(TicketKind.EMAIL, input.idempotencyKey, () => {
      this.requireAvailable(ContactMethod.EMAIL, input.productArea, input.language);
      checkDescription(this.ctx.t, input.description, true);
      return {
        kind: TicketKind.EMAIL,
        productArea: input.productArea,
        language: input.language,
        subject: input.subject,
        description: input.description,
        descriptionLanguage: input.descriptionLanguage,
        idempotencyKey: input.idempotencyKey,
        references: input.references,
        topic: input.topic,
        enterpriseChannel: true,
        confirmationTo: this.viewer.account.email,
        extra: (em, ticket) => {
          em.create(Message, {
            ticket,
            authorKind: MessageAuthorKind.CUSTOMER,
            authorAccount: em.getReference(Account, this.viewer.accountId),
            subject: ticket.subject,
            bodyHtml: `<p>${escapeHtml(input.description)}</p>`,
            // CON-10: the thread's recipients are set by its first message: the submitter
            recipients: [this.viewer.account.email],
            createdAt: ticket.createdAt,
          });
        },
      };
    });
  }

  /** CON-7, PHN-1: a phone ticket joining the (language, product area) callback queue. */
  requestPhoneCallback(input: PhoneCallbackRequest): Promise<CreatedTicket> {
    return this.create(TicketKind.PHONE, input.idempotencyKey, () => {
      this.requireAvailable(ContactMethod.PHONE, input.productArea, input.language);
      const phone = validatePhone(this.ctx.t, input.phone.country, input.phone.number, input.phone.extension);
      return {
        kind: TicketKind.PHONE,
        productArea: input.productArea,
        language: input.language,
        subject: input.subject,
        // CON-7: the short subject is the ticket description in the history
        description: input.subject?.trim() ?? '',
        idempotencyKey: input.idempotencyKey,
        references: input.references,
        topic: input.topic,
        enterpriseChannel: true,
        confirmationTo: input.confirmationEmail ?? this.viewer.account.email,
        phone: { ...phone, confirmationEmail: input.confirmationEmail ?? this.viewer.account.email, recordingConsent: input.recordingConsent ?? true },
        extra: (em, ticket) => {
          em.create(CallbackRequest, { ticket, language: input.language, productArea: input.productArea, state: CallbackState.WAITING, enqueuedAt: ticket.createdAt });
        },
      };
    });
  }

  /** CON-5: a chat ticket, only while chat is available now. */
  startChat(input: ChatRequest): Promise<CreatedTicket> {
    return this.create(TicketKind.CHAT, input.idempotencyKey, () => {
      this.requireAvailable(ContactMethod.CHAT, input.productArea, input.language);
      checkDescription(this.ctx.t, input.description, false);
      return {
        kind: TicketKind.CHAT,
        productArea: input.productArea,
        language: input.language,
        subject: input.subject,
        description: input.description ?? '',
        idempotencyKey: input.idempotencyKey,
        references: input.references,
        topic: input.topic,
        enterpriseChannel: false,
        confirmationTo: this.viewer.account.email,
        // CHAT-1: the chat waits in the queue of its product area and language until an agent joins
        extra: (em, ticket) => {
          em.create(ChatSession, { ticket, language: input.language, productArea: input.productArea, state: ChatState.WAITING, enqueuedAt: ticket.createdAt });
        },
        events: () => [chatQueueMoved(input.language, input.productArea, this.ctx.now())],
      };
    });
  }

  /** ENT-3: a conference call with a specialist, for seat holders of a success package, in the future. */
  scheduleConferenceCall(input: ConferenceCallRequest): Promise<CreatedTicket> {
    return this.create(TicketKind.CONFERENCE, input.idempotencyKey, () => {
      this.requireAvailable(ContactMethod.CONFERENCE, input.productArea, SupportLanguage.ENGLISH);
      checkDescription(this.ctx.t, input.description, false);
      const now = this.ctx.now();
      if (input.scheduledAt.getTime() <= now.getTime()) {
        throw DomainError.input(['input', 'scheduledAt'], DomainErrorCode.INVALID, this.ctx.t('userError.pickFutureTime'));
      }
      checkConferenceSlot(input.scheduledAt, now, this.ctx.t, this.ctx.locale);
      return {
        kind: TicketKind.CONFERENCE,
        productArea: input.productArea,
        language: SupportLanguage.ENGLISH,
        description: input.description ?? '',
        idempotencyKey: input.idempotencyKey,
        references: input.references,
        topic: input.topic,
        enterpriseChannel: true,
        confirmationTo: this.viewer.account.email,
        conference: { scheduledAt: input.scheduledAt, callStatus: ConferenceCallStatus.PENDING, meetingUrl: null, passcode: null, screenShare: input.screenShare ?? false },
      };
    });
  }

  /**
   * The shared create path, idempotent per (submitter, key) through src/services/idempotency.ts: the
   * replay comes first (a retry must succeed even if the window closed meanwhile), then the kind's
   * validation, then one transaction. A key used for another kind of request is refused.
   */
  private async create(kind: TicketKind, key: string | null | undefined, build: () => TicketSpec): Promise<CreatedTicket> {
    const { result } = await idempotent<CreatedTicket>(this.ctx, {
      key,
      // a replay records nothing: its eventId is null
      find: async (em) => {
        const ticket = await em.findOne(Ticket, { submitter: this.viewer.accountId, idempotencyKey: key });
        return ticket && { ticket, eventId: null };
      },
      sameRequest: (stored) => stored.ticket.kind === kind,
      write: () => this.write(build()),
    });
    return result;
  }

  private async write(spec: TicketSpec): Promise<CreatedTicket> {
    this.requireTopic(spec.topic, spec.productArea);
    const viewer = this.viewer;
    const now = this.ctx.now();
    const references = await this.resolveReferences(spec.references ?? []);
    const created = await this.ctx.em.transactional(async (em) => {
      const seat = isEnterpriseSeatHolder(facts(viewer));
      // ENT-2/ENT-4: seat holders reach Enterprise Support inside 24×5; outside it general support takes the request
      const enterprise =
        spec.enterpriseChannel && (spec.kind === TicketKind.CONFERENCE ? seat && enterpriseServesArea(spec.productArea) : enterpriseHandlesNow(facts(viewer), now, spec.productArea));
      // ENT-4: general support takes it now; Enterprise Support from the next opening of its window
      const handoverAt = spec.enterpriseChannel && spec.kind !== TicketKind.CONFERENCE ? enterpriseHandoverAt(facts(viewer), now, spec.productArea) : null;
      const handover = handoverAt !== null;
      const submitter = em.getReference(Account, viewer.accountId);
      const ticket = em.create(Ticket, {
        kind: spec.kind,
        subject: ticketSubject(spec.kind, viewer.account.username, spec.subject),
        description: spec.description,
        descriptionLanguage: spec.descriptionLanguage ?? DESCRIPTION_LANGUAGE[spec.language],
        supportLanguage: spec.language,
        productArea: spec.productArea,
        topic: spec.topic ?? null,
        brand: em.getReference(Brand, viewer.brandId),
        submitter,
        enterprise,
        enterpriseHandoverAt: handoverAt,
        idempotencyKey: spec.idempotencyKey ?? null,
        phone: spec.phone ?? null,
        conference: spec.conference ?? null,
        createdAt: now,
        lastActivityAt: now,
      });
      em.create(TicketParticipant, { ticket, account: submitter, role: ParticipantRole.SUBMITTER, addedAt: now });
      for (const target of references) {
        em.create(TicketReference, {
          ticket,
          referencedTicket: target instanceof Ticket ? em.getReference(Ticket, target.id) : null,
          referencedEscalation: target instanceof Escalation ? em.getReference(Escalation, target.id) : null,
          createdAt: now,
        });
      }
      spec.extra?.(em, ticket);
      await em.flush();
      // RT-1: the events commit with the ticket (subscribers of ticketsUpdated then see it)
      const recorded = recordEvents(em, [ticketUpdated(ticket, 'CREATED', now), ...(spec.events?.(ticket) ?? [])]);
      // CON-9: the confirmation; replies to it reach the ticket through its number in the subject
      await this.ctx.mailer?.confirmation(em, ticket, spec.confirmationTo, now);
      if (handover) this.ctx.mailer?.handover(em, ticket, this.ctx.settings.enterpriseMailbox, viewer.account.username, now);
      return { ticket, recorded };
    });
    return { ticket: created.ticket, eventId: ticketEventId(created.recorded) };
  }

  /**
   * FUP-5: the earlier tickets and escalations a request refers to, each one the viewer can read
   * (the same rule as `ticket(id)`/`node(id)`); anything else is NOT_FOUND, so ids cannot be probed.
   * The same reference twice counts once; a problem names its place in that de-duplicated list.
   */
  private async resolveReferences(refs: TicketOrEscalationRef[]): Promise<(Ticket | Escalation)[]> {
    if (refs.length === 0) return [];
    if (this.viewer.isFedramp) {
      throw DomainError.input(['input', 'references'], DomainErrorCode.INVALID, this.ctx.t('userError.reference.fedramp'));
    }
    const history = new TicketQueryService(this.ctx);
    const seen = new Set<string>();
    const unique = refs.filter((ref) => {
      if (!ref) return true;
      const key = `${ref.type}:${ref.id}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    const targets: (Ticket | Escalation)[] = [];
    for (const [index, ref] of unique.entries()) {
      let target: Ticket | Escalation | null = null;
      if (ref?.type === 'Ticket') target = await history.findReadable(ref.id);
      if (ref?.type === 'Escalation') target = await history.findReadableEscalation(ref.id);
      if (!target) {
        throw DomainError.input(['input', 'references', String(index)], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.reference.notFound'));
      }
      targets.push(target);
    }
    return targets;
  }

  /** PHN-2, PHN-3: the queue status of a phone ticket's callback request. */
  async callbackStatus(ticketId: number): Promise<QueueStatus | null> {
    const queue = new CallbackQueueService(this.ctx);
    const request = await queue.forTicket(ticketId);
    return request ? queue.status(request) : null;
  }

  /** PHN-3: the submitter answers the English fallback offer; switching keeps their place in time. */
  async chooseCallbackLanguage(input: CallbackLanguageAnswer): Promise<{ ticket: Ticket; callbackStatus: QueueStatus }> {
    const viewer = this.viewer;
    const { em } = this.ctx;
    const ticket = await em.findOne(Ticket, { id: input.ticketId });
    if (!ticket || ticket.submitter.id !== viewer.accountId) {
      throw DomainError.input(['input', 'ticketId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.callback.notYours'));
    }
    const queue = new CallbackQueueService(this.ctx);
    const request = await queue.forTicket(ticket.id);
    if (!request || request.state !== CallbackState.WAITING) {
      throw DomainError.state(['input', 'ticketId'], StateReason.CALLBACK_NOT_WAITING, this.ctx.t('userError.callback.notWaiting'));
    }
    const status = await queue.status(request);
    if (!status.englishFallbackOffered || request.englishFallbackAccepted != null) {
      throw DomainError.state(['input', 'language'], StateReason.NO_ENGLISH_FALLBACK_OFFERED, this.ctx.t('userError.callback.noEnglishFallback'));
    }
    const toEnglish = input.language === 'ENGLISH';
    request.englishFallbackOffered = true;
    request.englishFallbackAccepted = toEnglish;
    if (toEnglish) {
      request.language = SupportLanguage.ENGLISH;
      ticket.supportLanguage = SupportLanguage.ENGLISH;
    }
    const from = { language: status.language, productArea: status.productArea };
    const at = this.ctx.now();
    ticket.lastActivityAt = at;
    // RT-2, PHN-4: the caller's own subscription re-reads; a switch moves both queues
    recordEvents(em, [
      ticketUpdated(ticket, 'CALLBACK', at),
      ...(toEnglish ? [callbackQueueMoved(from.language, from.productArea, ticket.id, at), callbackQueueMoved(SupportLanguage.ENGLISH, from.productArea, ticket.id, at)] : []),
    ]);
    await em.flush();
    return { ticket, callbackStatus: await queue.status(request) };
  }
}

/**
 * ENT-3: a conference slot is in the future, at most CONFERENCE_MAX_DAYS_AHEAD days ahead, and the
 * whole call (CONFERENCE_CALL_MINUTES) fits inside the specialists' hours.
 */
export function checkConferenceSlot(scheduledAt: Date, now: Date, t: Translate = translator('en'), locale: Locale = 'en'): void {
  if (scheduledAt.getTime() <= now.getTime()) {
    throw DomainError.input(['input', 'scheduledAt'], DomainErrorCode.INVALID, t('userError.pickFutureTime'));
  }
  if (scheduledAt.getTime() > now.getTime() + CONFERENCE_MAX_DAYS_AHEAD * 86_400_000) {
    throw DomainError.input(['input', 'scheduledAt'], DomainErrorCode.INVALID, t('userError.conferenceTooFarAhead', { days: CONFERENCE_MAX_DAYS_AHEAD }));
  }
  if (!slotFits(SPECIALIST_WINDOW, scheduledAt, CONFERENCE_CALL_MINUTES)) {
    // English as before (it names the window); other languages the catalog text with the hours shown (LANG-1)
    const message =
      locale === 'en'
        ? `Pick a slot inside the specialists' hours (${SPECIALIST_WINDOW.name}); a call lasts ${CONFERENCE_CALL_MINUTES} minutes.`
        : t('userError.outsideSpecialistHours', { hours: presentHours(t, locale, SPECIALIST_WINDOW, now).summary, minutes: CONFERENCE_CALL_MINUTES });
    throw DomainError.input(['input', 'scheduledAt'], DomainErrorCode.INVALID, message, StateReason.OUTSIDE_SPECIALIST_HOURS);
  }
}

/** CON-7: a callable number for the picked country, in E.164, through libphonenumber-js. */
export function validatePhone(t: Translate, country: string, number: string, extension?: string | null): { number: string; country: string; extension: string | null } {
  const code = country.toUpperCase();
  if (!isSupportedCountry(code)) throw DomainError.input(['input', 'phone', 'country'], DomainErrorCode.INVALID, t('userError.phone.unsupportedCountry', { country }));
  const parsed = parsePhoneNumberFromString(number, code as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw DomainError.input(['input', 'phone', 'number'], DomainErrorCode.INVALID, t('userError.phone.invalidNumber', { number, country: code, callingCode: getCountryCallingCode(code as CountryCode) }));
  }
  const ext = extension ?? parsed.ext ?? null;
  if (ext !== null && !/^\d{1,10}$/.test(ext)) throw DomainError.input(['input', 'phone', 'extension'], DomainErrorCode.INVALID, t('userError.phone.extension'));
  return { number: parsed.number, country: parsed.country ?? code, extension: ext };
}
