import type { AccountType, BrandRole, CertificationStatus } from '../entities/enums';

/** The plain shapes of provisioning from the CRM integration (idempotent upserts keyed by its ids). */

export interface BrandUpsert {
  id: string;
  name: string;
  fedramp?: boolean | null;
  successPackage?: boolean | null;
  billingContactEditing?: boolean | null;
}

export interface AccountUpsert {
  id: string;
  brandId: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  language?: string | null;
  accountType?: AccountType | null;
  role?: BrandRole | null;
  contactPhone?: string | null;
  supportAccessGranted?: boolean | null;
  enterpriseSeat?: boolean | null;
}

export interface AgentUpsert {
  id: string;
  displayName: string;
  email: string;
}

export interface TeamMember {
  name: string;
  email: string;
  phone?: string | null;
}

/** ACC-2. */
export interface AccountTeamChange {
  brandId: string;
  successManager?: TeamMember | null;
  accountExecutive?: TeamMember | null;
  intakeFormUrl?: string | null;
}

export interface ContactPerson {
  firstName: string;
  lastName: string;
  email: string;
}

export interface ContractUpsert {
  brandId: string;
  number: string;
  startDate: string;
  endDate: string;
  primaryContact: ContactPerson;
  billingContact: ContactPerson;
  licenses: { product: string; quantity: number }[];
}

/** LINK-1, LINK-2: replaces an account's linked accounts. */
export interface LinkedAccountsChange {
  accountId: string;
  community?: { username: string; rank: string; memberSince: Date; topicsParticipated: number } | null;
  certifications: { name: string; status: CertificationStatus; completedAt?: Date | null; certificateUrl?: string | null }[];
}
