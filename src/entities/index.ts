export * from './enums';
export { Account } from './account.entity';
export { AccountTeam } from './account-team.entity';
export { Agent } from './agent.entity';
export { ApplicationComponent } from './application-component.entity';
export { Attachment } from './attachment.entity';
export { Brand } from './brand.entity';
export { CallbackRequest } from './callback-request.entity';
export { ChatSession } from './chat-session.entity';
export { ChatTranscriptEntry } from './chat-transcript-entry.entity';
export { BillingInquiry, Contract, ContractContact, License } from './contract.entity';
export { EmailPreference, PendingPreferenceChange } from './email-preference.entity';
export { Escalation, EscalationTimelineEntry } from './escalation.entity';
export { EventLogEntry } from './event-log-entry.entity';
export { Certification, CommunityAccount } from './linked-account.entity';
export { Message } from './message.entity';
export { OutboxEntry, OutboxStatus, OutboxTransport } from './outbox-entry.entity';
export { StagedUploadRecord } from './staged-upload.entity';
export { StoredFile } from './stored-file.entity';
export { ProxyAccessChange } from './proxy-access-change.entity';
export { SharedResource } from './shared-resource.entity';
export { ConferenceDetails, PhoneDetails, Ticket } from './ticket.entity';
export { TicketFeedback } from './ticket-feedback.entity';
export { TicketParticipant } from './ticket-participant.entity';
export { TicketReference } from './ticket-reference.entity';
export { Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent } from './webhook.entity';

import { Account } from './account.entity';
import { AccountTeam } from './account-team.entity';
import { Agent } from './agent.entity';
import { ApplicationComponent } from './application-component.entity';
import { Attachment } from './attachment.entity';
import { Brand } from './brand.entity';
import { CallbackRequest } from './callback-request.entity';
import { ChatSession } from './chat-session.entity';
import { ChatTranscriptEntry } from './chat-transcript-entry.entity';
import { BillingInquiry, Contract, ContractContact, License } from './contract.entity';
import { EmailPreference, PendingPreferenceChange } from './email-preference.entity';
import { Escalation, EscalationTimelineEntry } from './escalation.entity';
import { EventLogEntry } from './event-log-entry.entity';
import { Certification, CommunityAccount } from './linked-account.entity';
import { Message } from './message.entity';
import { OutboxEntry } from './outbox-entry.entity';
import { StagedUploadRecord } from './staged-upload.entity';
import { StoredFile } from './stored-file.entity';
import { ProxyAccessChange } from './proxy-access-change.entity';
import { SharedResource } from './shared-resource.entity';
import { ConferenceDetails, PhoneDetails, Ticket } from './ticket.entity';
import { TicketFeedback } from './ticket-feedback.entity';
import { TicketParticipant } from './ticket-participant.entity';
import { TicketReference } from './ticket-reference.entity';
import { Webhook, WebhookAttempt, WebhookDelivery } from './webhook.entity';

/** Every entity and embeddable, for the ORM configuration. */
export const ALL_ENTITIES = [
  Account, AccountTeam, Agent, ApplicationComponent, Attachment, Brand, CallbackRequest,
  ChatSession, ChatTranscriptEntry, BillingInquiry, Contract, ContractContact, License, EmailPreference,
  PendingPreferenceChange, Escalation, EscalationTimelineEntry, Certification, CommunityAccount,
  EventLogEntry, Message, OutboxEntry, ProxyAccessChange, SharedResource, ConferenceDetails, PhoneDetails, Ticket,
  TicketFeedback, TicketParticipant, TicketReference, StagedUploadRecord, StoredFile, Webhook, WebhookDelivery, WebhookAttempt,
];
