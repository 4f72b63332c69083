/** Storage enums shared by entities, services and the GraphQL layer (registered there). */

export enum AccountType {
  FREE = 'FREE',
  SELF_SERVICE = 'SELF_SERVICE',
  ENTERPRISE = 'ENTERPRISE',
}

export enum BrandRole {
  STANDARD = 'STANDARD',
  BRAND_ADMIN = 'BRAND_ADMIN',
}

export enum TicketKind {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  CHAT = 'CHAT',
  CONFERENCE = 'CONFERENCE',
}

export enum TicketStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  ESCALATED = 'ESCALATED',
}

/** ESC-3, in order. */
export enum EscalationStatus {
  SUBMITTED = 'SUBMITTED',
  IN_REVIEW = 'IN_REVIEW',
  ENGINEERING_IN_PROGRESS = 'ENGINEERING_IN_PROGRESS',
  VERIFYING_RESOLUTION = 'VERIFYING_RESOLUTION',
  RESOLVED = 'RESOLVED',
}

export const ESCALATION_ORDER: readonly EscalationStatus[] = [
  EscalationStatus.SUBMITTED,
  EscalationStatus.IN_REVIEW,
  EscalationStatus.ENGINEERING_IN_PROGRESS,
  EscalationStatus.VERIFYING_RESOLUTION,
  EscalationStatus.RESOLVED,
];

/** CON-3. */
export enum ProductArea {
  SURVEY_PLATFORM = 'SURVEY_PLATFORM',
  CX_DASHBOARDS = 'CX_DASHBOARDS',
  BX_DASHBOARDS = 'BX_DASHBOARDS',
  EMPLOYEE_ENGAGEMENT = 'EMPLOYEE_ENGAGEMENT',
  EMPLOYEE_360 = 'EMPLOYEE_360',
  XM_DIRECTORY = 'XM_DIRECTORY',
  WEBSITE_APP_FEEDBACK = 'WEBSITE_APP_FEEDBACK',
  STATS_IQ_CROSSTABS = 'STATS_IQ_CROSSTABS',
  COVID19_XM_SOLUTIONS = 'COVID19_XM_SOLUTIONS',
  INTEGRATIONS_API = 'INTEGRATIONS_API',
  SSO_SETUP = 'SSO_SETUP',
  ACCESSIBILITY = 'ACCESSIBILITY',
  XM_DISCOVER_SOCIAL_CONNECT = 'XM_DISCOVER_SOCIAL_CONNECT',
}

/** CON-2: what a request is about, picked on the contact page; which ones a user may pick depends on role and product area. */
export enum SupportTopic {
  TECHNICAL_ISSUE = 'TECHNICAL_ISSUE',
  HOW_TO_QUESTION = 'HOW_TO_QUESTION',
  LOGIN_AND_ACCOUNT_ACCESS = 'LOGIN_AND_ACCOUNT_ACCESS',
  THEME_REQUEST = 'THEME_REQUEST',
  OTHER_REQUEST = 'OTHER_REQUEST',
}

/** Languages support can be contacted in (CON-5, CON-8). */
export enum SupportLanguage {
  ENGLISH = 'ENGLISH',
  SPANISH = 'SPANISH',
  PORTUGUESE = 'PORTUGUESE',
  GERMAN = 'GERMAN',
  FRENCH = 'FRENCH',
  ITALIAN = 'ITALIAN',
  DUTCH = 'DUTCH',
  JAPANESE = 'JAPANESE',
}

export enum ConferenceCallStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
}

export enum ParticipantRole {
  SUBMITTER = 'SUBMITTER',
  ASSOCIATED = 'ASSOCIATED',
}

export enum MessageAuthorKind {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
}

export enum TranscriptAuthorKind {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}

export enum CallbackState {
  WAITING = 'WAITING',
  IN_CALL = 'IN_CALL',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

export enum CertificationStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}

/** PREF-1. */
export enum EmailPreferenceCategory {
  PERSONALIZED_LEARNING = 'PERSONALIZED_LEARNING',
  NEWS_AND_UPDATES = 'NEWS_AND_UPDATES',
  CUSTOMER_EVENTS = 'CUSTOMER_EVENTS',
  OPERATIONAL_UPDATES = 'OPERATIONAL_UPDATES',
}

/** STAT-1. */
export enum ApplicationComponentKey {
  LOGINS = 'LOGINS',
  SURVEY_EDITING = 'SURVEY_EDITING',
  SURVEY_TAKING = 'SURVEY_TAKING',
  DATA_INGESTION = 'DATA_INGESTION',
  CONTACT_IMPORTS = 'CONTACT_IMPORTS',
  EMAIL_DISTRIBUTIONS = 'EMAIL_DISTRIBUTIONS',
  REPORTING = 'REPORTING',
  ACTIONS_AND_TICKETING = 'ACTIONS_AND_TICKETING',
  API_V3 = 'API_V3',
  CX_DASHBOARDS = 'CX_DASHBOARDS',
  EMPLOYEE_360 = 'EMPLOYEE_360',
  EX_DASHBOARDS = 'EX_DASHBOARDS',
  EX_PROJECT_MANAGEMENT = 'EX_PROJECT_MANAGEMENT',
  WEBSITE_APP_FEEDBACK_COLLECTION = 'WEBSITE_APP_FEEDBACK_COLLECTION',
  WEBSITE_APP_FEEDBACK_MANAGEMENT = 'WEBSITE_APP_FEEDBACK_MANAGEMENT',
  XM_DIRECTORY = 'XM_DIRECTORY',
}

export enum ComponentStatus {
  OPERATIONAL = 'OPERATIONAL',
  DEGRADED_PERFORMANCE = 'DEGRADED_PERFORMANCE',
  PARTIAL_OUTAGE = 'PARTIAL_OUTAGE',
  MAJOR_OUTAGE = 'MAJOR_OUTAGE',
  MAINTENANCE = 'MAINTENANCE',
}

/** Where a live chat is (CHAT-1, CHAT-2). */
export enum ChatState {
  /** In the queue of its product area and language, no agent yet. */
  WAITING = 'WAITING',
  /** An agent joined; lines are exchanged. */
  ACTIVE = 'ACTIVE',
  /** Ended by the customer or the agent after an agent joined. */
  ENDED = 'ENDED',
  /** The customer left the queue before an agent joined. */
  CANCELLED = 'CANCELLED',
}

/** Who did something in a chat. */
export enum ChatParty {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
}

/** How a phone call ended (PHN-5). */
export enum CallOutcome {
  /** The problem was solved on the call. */
  RESOLVED = 'RESOLVED',
  /** Support follows up (e-mail, escalation). */
  FOLLOW_UP = 'FOLLOW_UP',
  /** Nobody answered the callback; not counted in the handle-time average. */
  NO_ANSWER = 'NO_ANSWER',
}

/** Where a proxy-access row came from (PRX-3, ENT-5). */
export enum ProxyAccessOrigin {
  /** The user's per-ticket setting (setTicketProxyAccess). */
  TICKET_SETTING = 'TICKET_SETTING',
  /** The user's "Enterprise Support may access my account" answer when verifying (ENT-5). */
  ENTERPRISE_VERIFICATION = 'ENTERPRISE_VERIFICATION',
}
