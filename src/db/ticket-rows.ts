import type { ConferenceCallStatus, ProductArea, SupportLanguage, TicketKind, TicketStatus } from '../entities/enums';
import { toBoolean, toDate, toNullableDate, type Row } from './read-rows';

/** Phone request details of a ticket (CON-7), as the `PhoneDetails` embeddable holds them. */
export interface PhoneDetailsView {
  number: string;
  country: string;
  extension?: string | null;
  confirmationEmail: string;
  recordingConsent: boolean;
}

/** Conference call details of a ticket (TKT-4), as the `ConferenceDetails` embeddable holds them. */
export interface ConferenceDetailsView {
  scheduledAt: Date;
  callStatus: ConferenceCallStatus;
  meetingUrl?: string | null;
  passcode?: string | null;
  screenShare: boolean;
}

/**
 * What the GraphQL ticket types read of a ticket. Both the managed `Ticket` entity (mutations hand
 * back the ticket they changed) and the plain `TicketRow` of the read path satisfy it, so every field
 * resolver and access rule works on either.
 */
export interface TicketView {
  id: number;
  kind: TicketKind;
  status: TicketStatus;
  subject: string;
  /** Absent on rows of the read path: a long text a list rarely shows, loaded when asked for. */
  description?: string;
  descriptionLanguage: string;
  supportLanguage: SupportLanguage;
  productArea: ProductArea;
  brand: { id: string };
  submitter: { id: string };
  assignee?: { id: string } | null;
  enterprise: boolean;
  awaitingVerification: boolean;
  enterpriseAccessAllowed?: boolean | null;
  verifiedAt?: Date | null;
  phone?: PhoneDetailsView | null;
  conference?: ConferenceDetailsView | null;
  createdAt: Date;
  lastActivityAt: Date;
  closedAt?: Date | null;
}

/**
 * The ticket columns the read path selects (alias `t`): all but `description`, the one column that
 * can be long (selecting it made the page query four times slower on the bench data); the
 * `description` field loads it in one batch when a query asks for it.
 */
export const TICKET_COLUMNS = [
  'id',
  'kind',
  'status',
  'subject',
  'description_language',
  'support_language',
  'product_area',
  'brand_id',
  'submitter_id',
  'assignee_id',
  'enterprise',
  'awaiting_verification',
  'enterprise_access_allowed',
  'verified_at',
  'phone_number',
  'phone_country',
  'phone_extension',
  'phone_confirmation_email',
  'phone_recording_consent',
  'conference_scheduled_at',
  'conference_call_status',
  'conference_meeting_url',
  'conference_passcode',
  'conference_screen_share',
  'created_at',
  'last_activity_at',
  'closed_at',
]
  .map((c) => `t.${c}`)
  .join(', ');

function toNullableBoolean(value: unknown): boolean | null {
  return value === null || value === undefined ? null : toBoolean(value);
}

/**
 * A ticket read as a plain row (the hot read path: lists, `ticket(id)`, `node`), not a managed
 * entity: no identity map, no change tracking, no reference objects to build. Read-only by design;
 * services that change a ticket load the entity.
 */
export class TicketRow implements TicketView {
  readonly id: number;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly subject: string;
  readonly descriptionLanguage: string;
  readonly supportLanguage: SupportLanguage;
  readonly productArea: ProductArea;
  readonly brand: { id: string };
  readonly submitter: { id: string };
  readonly assignee: { id: string } | null;
  readonly enterprise: boolean;
  readonly awaitingVerification: boolean;
  readonly enterpriseAccessAllowed: boolean | null;
  readonly verifiedAt: Date | null;
  readonly phone: PhoneDetailsView | null;
  readonly conference: ConferenceDetailsView | null;
  readonly createdAt: Date;
  readonly lastActivityAt: Date;
  readonly closedAt: Date | null;

  constructor(row: Row) {
    this.id = Number(row.id);
    this.kind = row.kind as TicketKind;
    this.status = row.status as TicketStatus;
    this.subject = row.subject as string;
    this.descriptionLanguage = row.description_language as string;
    this.supportLanguage = row.support_language as SupportLanguage;
    this.productArea = row.product_area as ProductArea;
    this.brand = { id: row.brand_id as string };
    this.submitter = { id: row.submitter_id as string };
    this.assignee = row.assignee_id === null || row.assignee_id === undefined ? null : { id: row.assignee_id as string };
    this.enterprise = toBoolean(row.enterprise);
    this.awaitingVerification = toBoolean(row.awaiting_verification);
    this.enterpriseAccessAllowed = toNullableBoolean(row.enterprise_access_allowed);
    this.verifiedAt = toNullableDate(row.verified_at);
    // an embedded object is present when its required column is (the entity's nullable embeddables)
    this.phone =
      row.phone_number === null || row.phone_number === undefined
        ? null
        : {
            number: row.phone_number as string,
            country: row.phone_country as string,
            extension: (row.phone_extension as string | null) ?? null,
            confirmationEmail: row.phone_confirmation_email as string,
            recordingConsent: toBoolean(row.phone_recording_consent),
          };
    this.conference =
      row.conference_scheduled_at === null || row.conference_scheduled_at === undefined
        ? null
        : {
            scheduledAt: toDate(row.conference_scheduled_at),
            callStatus: row.conference_call_status as ConferenceCallStatus,
            meetingUrl: (row.conference_meeting_url as string | null) ?? null,
            passcode: (row.conference_passcode as string | null) ?? null,
            screenShare: toBoolean(row.conference_screen_share),
          };
    this.createdAt = toDate(row.created_at);
    this.lastActivityAt = toDate(row.last_activity_at);
    this.closedAt = toNullableDate(row.closed_at);
  }
}
