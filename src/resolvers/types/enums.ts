import { registerEnumType } from 'type-graphql';
import {
  AccountType,
  BrandRole,
  ConferenceCallStatus,
  EscalationStatus,
  MessageAuthorKind,
  ParticipantRole,
  ProductArea,
  SupportLanguage,
  TicketKind,
  TicketStatus,
  TranscriptAuthorKind,
} from '../../entities/enums';
import { SortDirection, TicketEscalationFilter, TicketOrderField, TicketScope } from '../../domain/ticket-list';

// the list's domain enums, registered here for the schema
export { SortDirection, TicketEscalationFilter, TicketOrderField, TicketScope };

/** Who wrote a message or a chat line, as `author.kind` shows it (the values of both stored author kinds). */
export enum AuthorKind {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}

registerEnumType(AuthorKind, {
  name: 'AuthorKind',
  description: 'Who wrote a message or a chat line.',
  valuesConfig: {
    CUSTOMER: { description: 'A user of the customer organization.' },
    AGENT: { description: 'A support agent.' },
    SYSTEM: { description: 'The hub itself (chat joins and endings).' },
  },
});

/** Where an escalation's estimated resolution date comes from (ESC-4). */
export enum EstimateSource {
  ENGINEERING = 'ENGINEERING',
  HISTORICAL_ESTIMATE = 'HISTORICAL_ESTIMATE',
}

registerEnumType(TicketScope, {
  name: 'TicketScope',
  description: 'Whose tickets a list holds.',
  valuesConfig: {
    MINE: { description: 'Tickets the viewer submitted or is associated with.' },
    ORGANIZATION: { description: "Every ticket of the viewer's brand; brand administrators only." },
  },
});
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort direction.',
  valuesConfig: {
    ASC: { description: 'Ascending: oldest first for dates; OPEN, ESCALATED, CLOSED for status; ESC-3 order for escalation status.' },
    DESC: { description: 'Descending: newest first for dates; the reverse order for statuses.' },
  },
});
registerEnumType(TicketOrderField, {
  name: 'TicketOrderField',
  description: 'Fields tickets can be sorted by (HIST-4, HIST-8). Every order ends in the ticket number, so equal values keep one order and cursors page exactly.',
  valuesConfig: {
    CREATED_AT: { description: 'Creation date, then ticket number.' },
    LAST_ACTIVITY_AT: { description: 'Last-activity date (the "last activity" column), then ticket number.' },
    STATUS: { description: 'Ticket status (ascending: OPEN, ESCALATED, CLOSED), then creation date, then ticket number.' },
    ESCALATION_STATUS: {
      description: 'Escalation status in ESC-3 order (ascending: tickets never escalated, SUBMITTED … RESOLVED), then creation date, then ticket number: the status column of the incident history (HIST-8).',
    },
  },
});
registerEnumType(TicketEscalationFilter, {
  name: 'TicketEscalationFilter',
  description: 'Which tickets a list keeps by escalation. A ticket with an escalation counts whatever its own status: a closed escalated ticket is still an incident.',
  valuesConfig: {
    ANY: { description: 'Tickets with an escalation: open or closed tickets, resolved or unresolved escalations.' },
    NONE: { description: 'Tickets never escalated.' },
    INCIDENT_HISTORY: { description: 'HIST-8, the incident history: tickets whose escalation is unresolved, or was resolved in the last six months.' },
  },
});
registerEnumType(EstimateSource, {
  name: 'EstimateSource',
  description: 'Where an estimated resolution date comes from.',
  valuesConfig: {
    ENGINEERING: { description: 'Set by engineering; still not guaranteed.' },
    HISTORICAL_ESTIMATE: { description: 'Computed from how long similar escalations (same product area) took to resolve.' },
  },
});
registerEnumType(TicketKind, {
  name: 'TicketType',
  description: 'How the ticket was raised.',
  valuesConfig: {
    EMAIL: { description: 'E-mail request; the ticket shows the whole thread.' },
    PHONE: { description: 'Phone callback request; no transcript.' },
    CHAT: { description: 'Live chat; the ticket shows the transcript.' },
    CONFERENCE: { description: 'Scheduled conference call with a support specialist.' },
  },
});
registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description: 'Lifecycle state of a ticket.',
  valuesConfig: {
    OPEN: { description: 'Being worked on by support.' },
    CLOSED: { description: 'Closed; a new ticket can reference it.' },
    ESCALATED: { description: 'Handed to engineering; see `escalation`.' },
  },
});
registerEnumType(EscalationStatus, {
  name: 'EscalationStatus',
  description: 'Escalation progress, in order.',
  valuesConfig: {
    SUBMITTED: { description: 'Awaiting review.' },
    IN_REVIEW: { description: 'Engineering is reviewing the problem.' },
    ENGINEERING_IN_PROGRESS: { description: 'Engineering is working on a fix.' },
    VERIFYING_RESOLUTION: { description: 'A fix is in: the customer is asked to confirm the problem is gone.' },
    RESOLVED: { description: 'Resolved.' },
  },
});
registerEnumType(ProductArea, {
  name: 'ProductArea',
  description: 'The product area a request is about (CON-3).',
  valuesConfig: {
    SURVEY_PLATFORM: { description: 'Survey Platform.' },
    CX_DASHBOARDS: { description: 'CX Dashboards.' },
    BX_DASHBOARDS: { description: 'BX Dashboards.' },
    EMPLOYEE_ENGAGEMENT: { description: 'Employee Engagement.' },
    EMPLOYEE_360: { description: '360.' },
    XM_DIRECTORY: { description: 'XM Directory.' },
    WEBSITE_APP_FEEDBACK: { description: 'Website / App Feedback.' },
    STATS_IQ_CROSSTABS: { description: 'Stats iQ & Crosstabs, including Conjoint and MaxDiff.' },
    COVID19_XM_SOLUTIONS: { description: 'COVID-19 XM Solutions.' },
    INTEGRATIONS_API: { description: 'Integrations / API.' },
    SSO_SETUP: { description: 'SSO Setup / Configuration.' },
    ACCESSIBILITY: { description: 'Accessibility.' },
    XM_DISCOVER_SOCIAL_CONNECT: { description: 'XM Discover / Social Connect: routed straight to a separate support team.' },
  },
});
registerEnumType(SupportLanguage, {
  name: 'SupportLanguage',
  description: 'A language support can be contacted in (CON-5, CON-8).',
  valuesConfig: {
    ENGLISH: { description: 'English.' },
    SPANISH: { description: 'Spanish (chat, Survey Platform only).' },
    PORTUGUESE: { description: 'Portuguese.' },
    GERMAN: { description: 'German.' },
    FRENCH: { description: 'French.' },
    ITALIAN: { description: 'Italian.' },
    DUTCH: { description: 'Dutch.' },
    JAPANESE: { description: 'Japanese.' },
  },
});
registerEnumType(ConferenceCallStatus, {
  name: 'ConferenceCallStatus',
  description: 'Whether support accepted the scheduled call.',
  valuesConfig: { PENDING: { description: 'Awaiting acceptance by support.' }, ACCEPTED: { description: 'Accepted; the meeting link is final.' } },
});
registerEnumType(ParticipantRole, {
  name: 'TicketParticipantRole',
  description: "A user's relation to a ticket.",
  valuesConfig: { SUBMITTER: { description: 'Submitted the ticket.' }, ASSOCIATED: { description: 'Additional user associated with the ticket.' } },
});
registerEnumType(MessageAuthorKind, {
  name: 'MessageAuthorKind',
  description: 'Who wrote a message.',
  valuesConfig: { CUSTOMER: { description: 'A user of the customer organization.' }, AGENT: { description: 'A support agent.' } },
});
registerEnumType(TranscriptAuthorKind, {
  name: 'TranscriptAuthorKind',
  description: 'Who wrote a chat line.',
  valuesConfig: {
    CUSTOMER: { description: 'The customer.' },
    AGENT: { description: 'A support agent.' },
    SYSTEM: { description: 'The chat system (joins, hand-overs).' },
  },
});
registerEnumType(AccountType, {
  name: 'AccountType',
  description: 'License type of an account.',
  valuesConfig: {
    FREE: { description: 'Free account.' },
    SELF_SERVICE: { description: 'Self-service (paid, purchased online) license.' },
    ENTERPRISE: { description: 'Enterprise license.' },
  },
});
registerEnumType(BrandRole, {
  name: 'BrandRole',
  description: "An account's role in its brand.",
  valuesConfig: {
    STANDARD: { description: 'Standard user: sees their own tickets.' },
    BRAND_ADMIN: { description: "Brand administrator: moderates the license and sees the organization's tickets." },
  },
});
