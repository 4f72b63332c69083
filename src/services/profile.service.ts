import { ForbiddenReason } from '../auth/errors';
import type { CustomerViewer } from '../auth/viewer';
import { brandAdminContactsAvailability, linkedAccountsAvailability, type Availability, type ProfileFacts } from '../auth/profile-access';
import type { Context } from '../context';
import { DomainError } from '../domain/errors';
import type { AccountDeletion, AccountTeam as AccountTeamView, LinkedAccounts, SectionAvailability } from '../domain/profile';
import { Account, AccountTeam, Certification, CommunityAccount } from '../entities';
import { AccountType, BrandRole } from '../entities/enums';
import type { Translate } from '../i18n';

/** The facts the profile rules read, from a customer viewer. */
export function profileFacts(viewer: CustomerViewer): ProfileFacts {
  return { role: viewer.role, accountType: viewer.account.accountType, isFedramp: viewer.isFedramp, email: viewer.account.email };
}

/** Availability as the GraphQL type shows it, its explanation in the request's language (LANG-1). */
export function toSectionAvailability(a: Availability, t: Translate): SectionAvailability {
  return a.available ? { available: true, reason: null, message: null } : { available: false, reason: a.reason, message: t(a.messageKey) };
}

/** ACC-3: who can delete an account of each type; the instructions are `deletion.<type>` in the catalogs. */
export const SELF_SERVICE_DELETION: Readonly<Record<AccountType, boolean>> = {
  [AccountType.FREE]: true,
  [AccountType.SELF_SERVICE]: false,
  [AccountType.ENTERPRISE]: false,
};

/** ACC-3: deletion information for an account type, in the request's language. */
export function accountDeletion(accountType: AccountType, t: Translate): AccountDeletion {
  return { accountType, selfService: SELF_SERVICE_DELETION[accountType], instructions: t(`deletion.${accountType}`) };
}

/** The profile sections of ACC-2, ACC-3 and LINK-1/2, with the FED-2 and FED-4 restrictions applied. */
export class ProfileService {
  constructor(private readonly ctx: Context) {}

  private get em() {
    return this.ctx.em;
  }

  private get viewer(): CustomerViewer {
    const { viewer } = this.ctx;
    if (viewer.kind !== 'customer') throw DomainError.forbidden(ForbiddenReason.NOT_A_CUSTOMER, this.ctx.t('userError.notACustomer'));
    return viewer;
  }

  /** ACC-2 / FED-2. */
  async accountTeam(): Promise<AccountTeamView> {
    const viewer = this.viewer;
    const facts = profileFacts(viewer);
    if (viewer.role === BrandRole.BRAND_ADMIN) {
      const team = await this.em.findOne(AccountTeam, { brand: viewer.brandId });
      const successManager = team?.successManagerName && team.successManagerEmail
        ? { name: team.successManagerName, email: team.successManagerEmail, phone: team.successManagerPhone ?? null }
        : null;
      const accountExecutive = team?.accountExecutiveName && team.accountExecutiveEmail
        ? { name: team.accountExecutiveName, email: team.accountExecutiveEmail, phone: team.accountExecutivePhone ?? null }
        : null;
      return {
        brandAdmins: [],
        brandAdminsAvailability: toSectionAvailability({ available: true }, this.ctx.t),
        successManager,
        accountExecutive,
        intakeFormUrl: successManager ? null : (team?.intakeFormUrl ?? null),
      };
    }
    const availability = brandAdminContactsAvailability(facts);
    const admins = availability.available
      ? await this.em.find(Account, { brand: viewer.brandId, role: BrandRole.BRAND_ADMIN }, { orderBy: { lastName: 'asc', firstName: 'asc', id: 'asc' } })
      : [];
    return {
      brandAdmins: admins.map((a) => ({ firstName: a.firstName, lastName: a.lastName, email: a.email, phone: a.contactPhone ?? null })),
      brandAdminsAvailability: toSectionAvailability(availability, this.ctx.t),
      successManager: null,
      accountExecutive: null,
      intakeFormUrl: null,
    };
  }

  /** LINK-1, LINK-2; null for FedRAMP users (FED-4). */
  async linkedAccounts(): Promise<LinkedAccounts | null> {
    const viewer = this.viewer;
    if (!linkedAccountsAvailability(profileFacts(viewer)).available) return null;
    const [community, certifications] = await Promise.all([
      this.em.findOne(CommunityAccount, { account: viewer.accountId }),
      this.em.find(Certification, { account: viewer.accountId }, { orderBy: { completedAt: 'desc', id: 'asc' } }),
    ]);
    return {
      community: community
        ? { username: community.username, rank: community.rank, memberSince: community.memberSince, topicsParticipated: community.topicsParticipated }
        : null,
      certifications: certifications.map((c) => ({ name: c.name, status: c.status, completedAt: c.completedAt ?? null, certificateUrl: c.certificateUrl ?? null })),
    };
  }
}
