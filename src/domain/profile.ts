import type { SectionUnavailableReason } from '../auth/profile-access';
import type { AccountType, ApplicationComponentKey, CertificationStatus, ComponentStatus, EmailPreferenceCategory, SupportLanguage } from '../entities/enums';

/**
 * The plain shapes the profile, billing, e-mail preference and status services take and return
 * (ACC, BILL, PREF, LINK, STAT). The GraphQL types in src/resolvers/types/profile.types.ts describe
 * the same data for the schema; resolvers map where the two differ (global ids).
 */

/** Whether a profile section is shown and, when not, why. */
export interface SectionAvailability {
  available: boolean;
  reason: SectionUnavailableReason | null;
  message: string | null;
}

export interface BrandAdminContact {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

export interface AccountTeamMember {
  name: string;
  email: string;
  phone: string | null;
}

/** ACC-2 / FED-2. */
export interface AccountTeam {
  brandAdmins: BrandAdminContact[];
  brandAdminsAvailability: SectionAvailability;
  successManager: AccountTeamMember | null;
  accountExecutive: AccountTeamMember | null;
  intakeFormUrl: string | null;
}

/** ACC-3. */
export interface AccountDeletion {
  accountType: AccountType;
  selfService: boolean;
  instructions: string;
}

/** LINK-1, LINK-2. */
export interface LinkedAccounts {
  community: { username: string; rank: string; memberSince: Date; topicsParticipated: number } | null;
  certifications: { name: string; status: CertificationStatus; completedAt: Date | null; certificateUrl: string | null }[];
}

/** STAT-1: one component of the status page. */
export interface ApplicationComponentStatus {
  component: ApplicationComponentKey;
  name: string;
  status: ComponentStatus;
  message: string | null;
  updatedAt: Date | null;
}

/** STAT-1: a new state for one component; `component` is checked against the known keys. */
export interface SetApplicationStatus {
  component: string;
  status: ComponentStatus;
  message?: string | null;
}

/** PREF-1…5. */
export interface EmailPreferences {
  email: string;
  settings: {
    category: EmailPreferenceCategory;
    subscribed: boolean;
    canUnsubscribe: boolean;
    pending: { subscribed: boolean; effectiveAt: Date; requestedAt: Date } | null;
  }[];
}

export interface EmailPreferenceChange {
  category: EmailPreferenceCategory;
  subscribed: boolean;
}

/** Which contact of a contract (BILL-5). */
export enum ContractContactKind {
  PRIMARY = 'PRIMARY',
  BILLING = 'BILLING',
}

/** What a billing inquiry is about (BILL-2). */
export enum BillingInquiryTopic {
  QUOTE = 'QUOTE',
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
  RENEWAL = 'RENEWAL',
  OTHER = 'OTHER',
}

export interface ContractContact {
  firstName: string;
  lastName: string;
  email: string;
  updatedAt: Date | null;
}

/** BILL-1, BILL-3, BILL-6, BILL-7: a contract as the viewer sees it; `id` is the contract's number key. */
export interface ContractView {
  id: number;
  number: string;
  startDate: string;
  endDate: string;
  durationMonths: number;
  licenses: { product: string; quantity: number }[];
  primaryContact: ContractContact;
  billingContact: ContractContact;
  billingContactsConfirmationDue: boolean;
  contactsConfirmedAt: Date | null;
  viewerCanEditContacts: boolean;
}

/** BILL-1…7. */
export interface Billing {
  contracts: ContractView[];
  documents: { title: string; url: string }[];
  contactEditingEnabled: boolean;
}

/** BILL-5: a contact edit; `contractId` is the contract's local id. */
export interface BillingContactChange {
  contractId: number;
  kind: ContractContactKind;
  firstName: string;
  lastName: string;
  email: string;
}

/** BILL-2. */
export interface BillingInquiryRequest {
  contractId?: number | null;
  topic: BillingInquiryTopic;
  subject: string;
  message: string;
  language?: SupportLanguage | null;
}

export interface BillingInquiry {
  id: number;
  topic: BillingInquiryTopic;
  subject: string;
  createdAt: Date;
}
