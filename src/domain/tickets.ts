import type {
  ConferenceCallStatus,
  EscalationStatus,
  MessageAuthorKind,
  ProductArea,
  SupportLanguage,
  TicketKind,
  TicketStatus,
  TranscriptAuthorKind,
} from '../entities/enums';

/**
 * The plain shapes of ticket writes the services take (agents' ticket work, recorded tickets).
 * Ticket ids here are local ids: resolvers decode the global ids first.
 */

/** A ticket of any kind with its details, as agents and imports record it. */
export interface RecordTicket {
  kind: TicketKind;
  submitterId: string;
  participantIds?: string[] | null;
  subject?: string | null;
  description: string;
  descriptionLanguage: string;
  productArea: ProductArea;
  supportLanguage: SupportLanguage;
  status: TicketStatus;
  createdAt?: Date | null;
  assigneeId?: string | null;
  messages?: { authorKind: MessageAuthorKind; subject?: string | null; bodyHtml: string; recipients?: string[] | null; createdAt?: Date | null }[] | null;
  transcript?: { authorKind: TranscriptAuthorKind; authorName: string; text: string; sentAt?: Date | null }[] | null;
  phone?: { number: string; country: string; extension?: string | null; confirmationEmail: string; recordingConsent: boolean } | null;
  conference?: { scheduledAt: Date; callStatus: ConferenceCallStatus; meetingUrl?: string | null; passcode?: string | null; screenShare: boolean } | null;
  sharedResources?: { title: string; url: string }[] | null;
  escalation?: {
    reference: string;
    problemDescription: string;
    timeline: { status: EscalationStatus; reachedAt: Date }[];
    estimatedResolutionAt?: Date | null;
  } | null;
}

/** A reference to an earlier ticket or escalation (FUP-5), decoded from its global id; null when it is not one. */
export type TicketOrEscalationRef = { type: 'Ticket' | 'Escalation'; id: number } | null;
