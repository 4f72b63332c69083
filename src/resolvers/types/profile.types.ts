import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, ValidateNested } from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SectionUnavailableReason } from '../../auth/profile-access';
import { AccountType, ApplicationComponentKey, CertificationStatus, ComponentStatus, EmailPreferenceCategory, SupportLanguage } from '../../entities/enums';
import { Node } from './node';
import { UserError } from './user-error';
import { BillingInquiryTopic, ContractContactKind } from '../../domain/profile';

registerEnumType(SectionUnavailableReason, {
  name: 'SectionUnavailableReason',
  description: 'Why a profile section is not shown.',
  valuesConfig: {
    FEDRAMP_RESTRICTED: { description: 'Restricted for FedRAMP accounts (FED-2…4).' },
    FREE_ACCOUNT: { description: 'Not offered to free accounts (PREF-3).' },
    NOT_BILLING_CONTACT: { description: 'Billing details are for brand administrators and the primary or billing contact of a contract (BILL-1).' },
  },
});
registerEnumType(EmailPreferenceCategory, {
  name: 'EmailPreferenceCategory',
  description: 'A category of success e-mails (PREF-1).',
  valuesConfig: {
    PERSONALIZED_LEARNING: { description: 'Personalized learning: courses and training suggestions.' },
    NEWS_AND_UPDATES: { description: 'Product news and updates.' },
    CUSTOMER_EVENTS: { description: 'Invitations to customer events.' },
    OPERATIONAL_UPDATES: { description: 'Brand administrators only; cannot be unsubscribed (PREF-2).' },
  },
});
registerEnumType(ApplicationComponentKey, {
  name: 'ApplicationComponent',
  description: 'A product or service on the status page (STAT-1); `ApplicationComponentStatus.name` is its display name in the answer language.',
  valuesConfig: {
    LOGINS: { description: 'Signing in to the platform.' },
    SURVEY_EDITING: { description: 'Building and editing surveys.' },
    SURVEY_TAKING: { description: 'Respondents taking surveys.' },
    DATA_INGESTION: { description: 'Importing and processing response data.' },
    CONTACT_IMPORTS: { description: 'Importing contacts.' },
    EMAIL_DISTRIBUTIONS: { description: 'Sending surveys by e-mail.' },
    REPORTING: { description: 'Reports and results.' },
    ACTIONS_AND_TICKETING: { description: 'Workflow actions and ticketing.' },
    API_V3: { description: 'The public API, version 3.' },
    CX_DASHBOARDS: { description: 'Customer-experience dashboards.' },
    EMPLOYEE_360: { description: 'Employee 360 feedback projects.' },
    EX_DASHBOARDS: { description: 'Employee-experience dashboards.' },
    EX_PROJECT_MANAGEMENT: { description: 'Employee-experience project management.' },
    WEBSITE_APP_FEEDBACK_COLLECTION: { description: 'Website and app feedback: collecting data.' },
    WEBSITE_APP_FEEDBACK_MANAGEMENT: { description: 'Website and app feedback: managing projects.' },
    XM_DIRECTORY: { description: 'XM Directory (contacts and directories).' },
  },
});
registerEnumType(ComponentStatus, {
  name: 'ComponentStatus',
  description: 'Current state of a product or service.',
  valuesConfig: {
    OPERATIONAL: { description: 'Working normally.' },
    DEGRADED_PERFORMANCE: { description: 'Working, but slower than normal.' },
    PARTIAL_OUTAGE: { description: 'Some users or functions are affected.' },
    MAJOR_OUTAGE: { description: 'Not available.' },
    MAINTENANCE: { description: 'Planned maintenance in progress.' },
  },
});

export { BillingInquiryTopic, CertificationStatus, ContractContactKind };
registerEnumType(CertificationStatus, {
  name: 'CertificationStatus',
  description: 'Progress of a certification (LINK-2).',
  valuesConfig: { IN_PROGRESS: { description: 'Started, not completed.' }, COMPLETED: { description: 'Completed; a certificate is available.' } },
});
registerEnumType(ContractContactKind, {
  name: 'ContractContactKind',
  description: 'Which contact of a contract (BILL-5).',
  valuesConfig: {
    PRIMARY: { description: 'Owns the contract; receives renewal notices, quotes and contract changes.' },
    BILLING: { description: 'Receives invoices; may be a shared mailbox with a placeholder name.' },
  },
});

registerEnumType(BillingInquiryTopic, {
  name: 'BillingInquiryTopic',
  description: 'What a billing inquiry is about (BILL-2).',
  valuesConfig: {
    QUOTE: { description: 'A quote for a purchase or change.' },
    INVOICE: { description: 'An invoice: a copy, a correction, a question.' },
    PAYMENT: { description: 'A payment made or due.' },
    RENEWAL: { description: 'The renewal of a contract.' },
    OTHER: { description: 'Another billing question.' },
  },
});

@ObjectType('SectionAvailability', { description: 'Whether a profile section is shown and, when it is not, why.' })
export class SectionAvailability {
  @Field({ description: 'True when the section is shown.' })
  available!: boolean;

  @Field(() => SectionUnavailableReason, { nullable: true, description: 'Why the section is not shown; null when available.' })
  reason?: SectionUnavailableReason | null;

  @Field(() => String, { nullable: true, description: 'Explanation to show instead of the section; null when available.' })
  message?: string | null;
}

// ---------- ACC-2, ACC-3 ----------

@ObjectType('BrandAdminContact', { description: "A brand administrator's contact information (ACC-2)." })
export class BrandAdminContact {
  @Field({ description: 'First name.' })
  firstName!: string;

  @Field({ description: 'Last name.' })
  lastName!: string;

  @Field({ description: 'E-mail address.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Contact phone, when the administrator set one.' })
  phone?: string | null;
}

@ObjectType('AccountTeamMember', { description: 'A person of the vendor-side account team (ACC-2).' })
export class AccountTeamMember {
  @Field({ description: 'Name.' })
  name!: string;

  @Field({ description: 'E-mail address.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Phone.' })
  phone?: string | null;
}

@ObjectType('AccountTeam', {
  description:
    "Who the viewer can turn to (ACC-2): standard users see their brand administrators; brand administrators see their XM Success Manager and Account Executive, or an intake form when there is no success manager.",
})
export class AccountTeamType {
  @Field(() => [BrandAdminContact], { description: "Brand administrators' contacts (standard users; empty for brand administrators and FedRAMP users)." })
  brandAdmins!: BrandAdminContact[];

  @Field(() => SectionAvailability, { description: "Whether brand administrators' contacts are shown (FED-2)." })
  brandAdminsAvailability!: SectionAvailability;

  @Field(() => AccountTeamMember, { nullable: true, description: 'XM Success Manager (brand administrators only); null when the organization has none.' })
  successManager?: AccountTeamMember | null;

  @Field(() => AccountTeamMember, { nullable: true, description: 'Account Executive (brand administrators only).' })
  accountExecutive?: AccountTeamMember | null;

  @Field(() => String, { nullable: true, description: 'Intake form for license requests (brand administrators only), set when there is no success manager.' })
  intakeFormUrl?: string | null;
}

@ObjectType('AccountDeletionInfo', { description: 'How this account can be deleted, by account type (ACC-3).' })
export class AccountDeletionInfo {
  @Field(() => AccountType, { description: 'The account type the information applies to.' })
  accountType!: AccountType;

  @Field({ description: 'True when the user can delete the account themselves.' })
  selfService!: boolean;

  @Field({ description: 'What to do to delete the account.' })
  instructions!: string;
}

// ---------- LINK-1, LINK-2 ----------

@ObjectType('CommunityAccount', { description: 'The linked community account (LINK-1).' })
export class CommunityAccountType {
  @Field({ description: 'Community username.' })
  username!: string;

  @Field({ description: 'Community rank.' })
  rank!: string;

  @Field({ description: 'When the community account was created.' })
  memberSince!: Date;

  @Field(() => Int, { description: 'Number of topics participated in.' })
  topicsParticipated!: number;
}

@ObjectType('Certification', { description: 'A certification in progress or completed (LINK-2).' })
export class CertificationType {
  @Field({ description: 'Certification name.' })
  name!: string;

  @Field(() => CertificationStatus, { description: 'In progress or completed.' })
  status!: CertificationStatus;

  @Field(() => Date, { nullable: true, description: 'Completion date; null while in progress.' })
  completedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Link to the certificate.' })
  certificateUrl?: string | null;
}

@ObjectType('LinkedAccounts', { description: 'Accounts linked to the hub account (LINK-1, LINK-2).' })
export class LinkedAccountsType {
  @Field(() => CommunityAccountType, { nullable: true, description: 'Community account; null when none is linked.' })
  community?: CommunityAccountType | null;

  @Field(() => [CertificationType], { description: 'Certifications, in progress and completed.' })
  certifications!: CertificationType[];
}

// ---------- STAT-1 ----------

@ObjectType('ApplicationComponentStatus', { description: 'The current state of one product or service (STAT-1).' })
export class ApplicationComponentStatusType {
  @Field(() => ApplicationComponentKey, { description: 'Which product or service.' })
  component!: ApplicationComponentKey;

  @Field({ description: 'Display name, in the answer language (extensions.language).' })
  name!: string;

  @Field({ description: 'What the component covers, in the answer language (STAT-1).' })
  description?: string;

  @Field(() => ComponentStatus, { description: 'Current state.' })
  status!: ComponentStatus;

  @Field(() => String, { nullable: true, description: 'Status message, e.g. what is affected, as support wrote it (not translated).' })
  message?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the state was last set; null when never reported (assumed operational).' })
  updatedAt?: Date | null;
}

@InputType({ description: 'Set the state of one product or service.' })
export class SetApplicationStatusInput {
  @Field({ description: 'Component key, one of the ApplicationComponent enum values (e.g. LOGINS); unknown keys are a userError.' })
  @Length(1, 100)
  component!: string;

  @Field(() => ComponentStatus, { description: 'New state.' })
  status!: ComponentStatus;

  @Field(() => String, { nullable: true, description: 'Status message.' })
  @IsOptional()
  @Length(0, 1000)
  message?: string | null;
}

@ObjectType({ description: 'Result of setApplicationStatus.' })
export class SetApplicationStatusPayload {
  @Field(() => ApplicationComponentStatusType, { nullable: true, description: 'The component after the change.' })
  componentStatus?: ApplicationComponentStatusType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

// ---------- PREF ----------

@ObjectType('PendingEmailPreferenceChange', { description: 'A saved change not applied yet (PREF-5).' })
export class PendingEmailPreferenceChangeType {
  @Field({ description: 'The value that will apply.' })
  subscribed!: boolean;

  @Field({ description: 'When the change takes effect (at most 24 hours after it was saved).' })
  effectiveAt!: Date;

  @Field({ description: 'When the change was saved.' })
  requestedAt!: Date;
}

@ObjectType('EmailPreferenceSetting', { description: 'One category of success e-mails for the address (PREF-1).' })
export class EmailPreferenceSettingType {
  @Field(() => EmailPreferenceCategory, { description: 'The category.' })
  category!: EmailPreferenceCategory;

  @Field({ description: 'Whether e-mails of this category are sent now.' })
  subscribed!: boolean;

  @Field({ description: 'False for operational updates, which cannot be unsubscribed (PREF-2).' })
  canUnsubscribe!: boolean;

  @Field(() => PendingEmailPreferenceChangeType, { nullable: true, description: 'A saved change waiting to take effect; null when none.' })
  pending?: PendingEmailPreferenceChangeType | null;
}

@ObjectType('EmailPreferences', { description: 'Success e-mail preferences of an e-mail address (PREF-4).' })
export class EmailPreferencesType {
  @Field({ description: 'The address the preferences belong to.' })
  email!: string;

  @Field(() => [EmailPreferenceSettingType], { description: 'The categories available to this address.' })
  settings!: EmailPreferenceSettingType[];
}

@InputType({ description: 'A new value for one category.' })
export class EmailPreferenceChangeInput {
  @Field(() => EmailPreferenceCategory, { description: 'The category.' })
  category!: EmailPreferenceCategory;

  @Field({ description: 'Receive e-mails of this category.' })
  subscribed!: boolean;
}

@InputType({ description: "Change the viewer's e-mail preferences (takes effect within 24 hours)." })
export class UpdateEmailPreferencesInput {
  @Field(() => [EmailPreferenceChangeInput], { description: 'Changes; one per category.' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  changes!: EmailPreferenceChangeInput[];
}

@InputType({ description: 'Change preferences from the manage link of a success e-mail (PREF-6); no sign-in needed.' })
export class UpdateEmailPreferencesByLinkInput {
  @Field({ description: 'The token of the manage link.' })
  @Length(1, 4000)
  token!: string;

  @Field(() => [EmailPreferenceChangeInput], { description: 'Changes; one per category.' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  changes!: EmailPreferenceChangeInput[];
}

@ObjectType({ description: 'Result of an e-mail preference change.' })
export class UpdateEmailPreferencesPayload {
  @Field(() => EmailPreferencesType, { nullable: true, description: 'The preferences after saving, with the pending changes.' })
  emailPreferences?: EmailPreferencesType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success. Nothing is saved when any.' })
  userErrors!: UserError[];
}

// ---------- BILL ----------

@ObjectType('License', { description: 'A licensed product on a contract (BILL-3).' })
export class LicenseType {
  @Field({ description: 'Product name.' })
  product!: string;

  @Field(() => Int, { description: 'Seats or units.' })
  quantity!: number;
}

@ObjectType('ContractContact', { description: 'A contract contact (BILL-5).' })
export class ContractContactType {
  @Field({ description: 'First name (a placeholder for a shared mailbox).' })
  firstName!: string;

  @Field({ description: 'Last name.' })
  lastName!: string;

  @Field({ description: 'E-mail address.' })
  email!: string;

  @Field(() => Date, { nullable: true, description: 'When the contact was last updated; null when not since the last renewal.' })
  updatedAt?: Date | null;
}

@ObjectType('Contract', { implements: Node, description: 'A contract the viewer may see (BILL-1, BILL-3); `node(id)` fetches it again under the same rule.' })
export class ContractType {
  @Field(() => ID, { description: 'Opaque global id; resolves through `node(id)`.' })
  id!: string;

  @Field({ description: 'Contract number.' })
  number!: string;

  @Field(() => LocalDateResolver, { description: 'First day of the contract: a calendar date (YYYY-MM-DD) without time or zone.' })
  startDate!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the contract, inclusive: a calendar date (YYYY-MM-DD) without time or zone.' })
  endDate!: string;

  @Field(() => Int, {
    description:
      'Duration in months, derived from the dates: whole months from the start date to the day after the end date; a remaining part of at least 15 days counts as a month, less is dropped; at least 1.',
  })
  durationMonths!: number;

  @Field(() => [LicenseType], { description: 'Licensed products.' })
  licenses!: LicenseType[];

  @Field(() => ContractContactType, { description: 'Primary contact.' })
  primaryContact!: ContractContactType;

  @Field(() => ContractContactType, { description: 'Billing contact.' })
  billingContact!: ContractContactType;

  @Field({ description: 'BILL-6: from 150 days before the end date, until the contacts are confirmed or edited for this renewal cycle.' })
  billingContactsConfirmationDue!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the contacts were last confirmed.' })
  contactsConfirmedAt?: Date | null;

  @Field({ description: "BILL-7: the viewer's organization may edit contacts from the hub." })
  viewerCanEditContacts!: boolean;
}

@ObjectType('DocumentLink', { description: 'A security or privacy document (BILL-4).' })
export class DocumentLink {
  @Field({ description: 'Title.' })
  title!: string;

  @Field({ description: 'Address.' })
  url!: string;
}

@ObjectType('Billing', { description: 'Billing details the viewer may see (BILL-1).' })
export class BillingType {
  @Field(() => [ContractType], { description: 'Contracts the viewer has access to, newest end date first.' })
  contracts!: ContractType[];

  @Field(() => [DocumentLink], { description: 'Trust center, terms of service and privacy statement (BILL-4).' })
  documents!: DocumentLink[];

  @Field({ description: 'BILL-7: contacts can be edited from the hub for this organization.' })
  contactEditingEnabled!: boolean;
}

@InputType({ description: 'Edit a contract contact (BILL-5); all fields required.' })
export class UpdateBillingContactInput {
  @Field(() => ID, { description: 'Contract id.' })
  contractId!: string;

  @Field(() => ContractContactKind, { description: 'Which contact.' })
  kind!: ContractContactKind;

  @Field({ description: 'First name.' })
  firstName!: string;

  @Field({ description: 'Last name.' })
  lastName!: string;

  @Field({ description: 'E-mail address.' })
  email!: string;
}

@InputType({ description: 'Confirm the contacts of a contract for this renewal cycle (BILL-6).' })
export class ConfirmBillingContactsInput {
  @Field(() => ID, { description: 'Contract id.' })
  contractId!: string;
}

@ObjectType({ description: 'Result of a contract contact change or confirmation.' })
export class ContractPayload {
  @Field(() => ContractType, { nullable: true, description: 'The contract after the change.' })
  contract?: ContractType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A billing question (BILL-2): quotes, invoices, payments, renewals. English only.' })
export class SubmitBillingInquiryInput {
  @Field(() => ID, { nullable: true, description: 'The contract it is about, if any.' })
  contractId?: string | null;

  @Field(() => BillingInquiryTopic, { description: 'Topic.' })
  topic!: BillingInquiryTopic;

  @Field({ description: 'Subject (1–300 characters).' })
  subject!: string;

  @Field({ description: 'The question (1–10000 characters).' })
  message!: string;

  @Field(() => SupportLanguage, { nullable: true, description: 'Language of the inquiry; only ENGLISH is supported.' })
  language?: SupportLanguage | null;
}

@ObjectType('BillingInquiry', { implements: Node, description: 'A stored billing inquiry; handled by billing, not by technical support. `node(id)` fetches it again for the account that submitted it.' })
export class BillingInquiryType {
  @Field(() => ID, { description: 'Opaque global id; resolves through `node(id)` for its submitter.' })
  id!: string;

  @Field(() => BillingInquiryTopic, { description: 'Topic.' })
  topic!: BillingInquiryTopic;

  @Field({ description: 'Subject.' })
  subject!: string;

  @Field({ description: 'When it was submitted.' })
  createdAt!: Date;
}

@ObjectType({ description: 'Result of submitBillingInquiry.' })
export class SubmitBillingInquiryPayload {
  @Field(() => BillingInquiryType, { nullable: true, description: 'The stored inquiry.' })
  inquiry?: BillingInquiryType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
