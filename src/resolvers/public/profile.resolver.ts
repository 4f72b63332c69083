import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ForbiddenReason, forbidden } from '../../auth/errors';
import { emailPreferencesEligibility, linkedAccountsAvailability } from '../../auth/profile-access';
import { customerOf, Role } from '../../auth/roles';
import type { ViewerAccount } from '../../auth/viewer';
import type { Context } from '../../context';
import type { BillingInquiry as BillingInquiryView, ContractView } from '../../domain/profile';
import { ApplicationStatusService } from '../../services/application-status.service';
import { BillingService } from '../../services/billing.service';
import { EmailPreferencesService, verifyManageLinkToken } from '../../services/email-preferences.service';
import { accountDeletion, ProfileService, profileFacts, toSectionAvailability } from '../../services/profile.service';
import {
  AccountDeletionInfo,
  AccountTeamType,
  ApplicationComponentStatusType,
  BillingInquiryType,
  BillingType,
  ConfirmBillingContactsInput,
  ContractPayload,
  ContractType,
  EmailPreferencesType,
  LinkedAccountsType,
  SectionAvailability,
  SubmitBillingInquiryInput,
  SubmitBillingInquiryPayload,
  UpdateBillingContactInput,
  UpdateEmailPreferencesByLinkInput,
  UpdateEmailPreferencesInput,
  UpdateEmailPreferencesPayload,
} from '../types/profile.types';
import { asNode, inputIdOf, toGlobalId } from '../types/node';
import { ViewerType } from '../types/viewer.types';

/** A contract as the schema shows it: its global id, served as a Node. */
export function contractType(contract: ContractView): ContractType {
  return asNode('Contract', { ...contract, id: toGlobalId('Contract', contract.id) });
}

/** A billing inquiry as the schema shows it: its global id, served as a Node. */
export function billingInquiryType(inquiry: BillingInquiryView): BillingInquiryType {
  return asNode('BillingInquiry', { ...inquiry, id: toGlobalId('BillingInquiry', inquiry.id) });
}

const contractId = (ctx: Context, globalId: string) => inputIdOf(ctx.t, 'Contract', globalId, ['input', 'contractId'], 'userError.noSuchContract');

/** Profile fields of `viewer` (ACC, PREF, BILL, LINK). The root is always the viewer's own account. */
@Resolver(() => ViewerType)
export class ProfileFieldsResolver {
  @FieldResolver(() => AccountTeamType, { description: 'Who the viewer can turn to (ACC-2); brand administrators\' contacts are hidden from FedRAMP users (FED-2).' })
  accountTeam(@Ctx() ctx: Context): Promise<AccountTeamType> {
    customerOf(ctx);
    return new ProfileService(ctx).accountTeam();
  }

  @FieldResolver(() => AccountDeletionInfo, { description: 'How this account can be deleted (ACC-3).' })
  accountDeletion(@Root() account: ViewerAccount, @Ctx() ctx: Context): AccountDeletionInfo {
    return accountDeletion(account.accountType, ctx.t);
  }

  @FieldResolver(() => LinkedAccountsType, { nullable: true, description: 'Community account and certifications (LINK-1, LINK-2); null for FedRAMP users (FED-4), see `linkedAccountsAvailability`.' })
  linkedAccounts(@Ctx() ctx: Context): Promise<LinkedAccountsType | null> {
    customerOf(ctx);
    return new ProfileService(ctx).linkedAccounts();
  }

  @FieldResolver(() => SectionAvailability, { description: 'Whether linked accounts are shown and, if not, why (FED-4).' })
  linkedAccountsAvailability(@Ctx() ctx: Context): SectionAvailability {
    return toSectionAvailability(linkedAccountsAvailability(profileFacts(customerOf(ctx))), ctx.t);
  }

  @FieldResolver(() => EmailPreferencesType, { nullable: true, description: 'Success e-mail preferences of the account\'s address (PREF-1…5); null when not eligible (PREF-3, FED-3), see `emailPreferencesEligibility`.' })
  async emailPreferences(@Ctx() ctx: Context): Promise<EmailPreferencesType | null> {
    const viewer = customerOf(ctx);
    if (!emailPreferencesEligibility(profileFacts(viewer)).available) return null;
    return new EmailPreferencesService(ctx).get(viewer.account.email, viewer.role);
  }

  @FieldResolver(() => SectionAvailability, { description: 'Whether the viewer has e-mail preferences and, if not, why (PREF-3, FED-3).' })
  emailPreferencesEligibility(@Ctx() ctx: Context): SectionAvailability {
    return toSectionAvailability(emailPreferencesEligibility(profileFacts(customerOf(ctx))), ctx.t);
  }

  @FieldResolver(() => BillingType, {
    nullable: true,
    description:
      'Billing details and contracts (BILL-1…7); null, without an error, unless brand administrator or primary/billing contact of a contract with the account e-mail: see `billingAvailability`.',
  })
  async billing(@Ctx() ctx: Context): Promise<BillingType | null> {
    customerOf(ctx);
    const billing = await new BillingService(ctx).billing();
    return billing && { ...billing, contracts: billing.contracts.map(contractType) };
  }

  @FieldResolver(() => SectionAvailability, { description: 'Whether billing details are shown and, if not, why (BILL-1: NOT_BILLING_CONTACT).' })
  async billingAvailability(@Ctx() ctx: Context): Promise<SectionAvailability> {
    customerOf(ctx);
    return toSectionAvailability(await new BillingService(ctx).availability(), ctx.t);
  }
}

/** Profile mutations (PREF, BILL) and the public status page (STAT-1). */
@Resolver()
export class ProfileResolver {
  @Query(() => [ApplicationComponentStatusType], { description: 'Current state of each product and service (STAT-1). Public: no sign-in needed, like any status page.' })
  applicationStatus(@Ctx() ctx: Context): Promise<ApplicationComponentStatusType[]> {
    return new ApplicationStatusService(ctx).list();
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => UpdateEmailPreferencesPayload, { description: 'Change e-mail preferences (PREF-2…5); saved as pending, effective within 24 hours. FORBIDDEN (EMAIL_PREFERENCES_NOT_ELIGIBLE) for free accounts and FedRAMP users.' })
  async updateEmailPreferences(@Ctx() ctx: Context, @Arg('input', () => UpdateEmailPreferencesInput, { description: 'The mutation input.' }) input: UpdateEmailPreferencesInput) {
    const viewer = customerOf(ctx);
    const eligibility = emailPreferencesEligibility(profileFacts(viewer));
    if (!eligibility.available) throw forbidden(ForbiddenReason.EMAIL_PREFERENCES_NOT_ELIGIBLE, ctx.t(eligibility.messageKey));
    const service = new EmailPreferencesService(ctx);
    await service.save(viewer.account.email, viewer.role, input.changes, 'HUB');
    return { emailPreferences: await service.get(viewer.account.email, viewer.role) };
  }

  @Mutation(() => UpdateEmailPreferencesPayload, { description: 'Change e-mail preferences from the manage link of a success e-mail (PREF-6); no sign-in needed. An invalid or expired token is a userError on input.token.' })
  async updateEmailPreferencesByLink(@Ctx() ctx: Context, @Arg('input', () => UpdateEmailPreferencesByLinkInput, { description: 'The mutation input.' }) input: UpdateEmailPreferencesByLinkInput) {
    const service = new EmailPreferencesService(ctx);
    const email = await verifyManageLinkToken(ctx.preferenceLinkKey, input.token, ctx.now(), ctx.t);
    const role = await service.roleForAddress(email);
    await service.save(email, role, input.changes, 'MANAGE_LINK');
    return { emailPreferences: await service.get(email, role) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => ContractPayload, { description: 'Edit the primary or billing contact of a contract (BILL-5); only when the organization has contact editing (BILL-7), else a userError.' })
  async updateBillingContact(@Ctx() ctx: Context, @Arg('input', () => UpdateBillingContactInput, { description: 'The mutation input.' }) input: UpdateBillingContactInput) {
    customerOf(ctx);
    return { contract: contractType(await new BillingService(ctx).updateContact({ ...input, contractId: contractId(ctx, input.contractId) })) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => ContractPayload, { description: 'Confirm the contacts of a contract for this renewal cycle (BILL-6).' })
  async confirmBillingContacts(@Ctx() ctx: Context, @Arg('input', () => ConfirmBillingContactsInput, { description: 'The mutation input.' }) input: ConfirmBillingContactsInput) {
    customerOf(ctx);
    return { contract: contractType(await new BillingService(ctx).confirmContacts(contractId(ctx, input.contractId))) };
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => SubmitBillingInquiryPayload, { description: 'Ask billing a question (BILL-2): quotes, invoices, payments, renewals. English only; stored as a billing inquiry, not a support ticket.' })
  async submitBillingInquiry(@Ctx() ctx: Context, @Arg('input', () => SubmitBillingInquiryInput, { description: 'The mutation input.' }) input: SubmitBillingInquiryInput) {
    customerOf(ctx);
    const inquiry = await new BillingService(ctx).submitInquiry({ ...input, contractId: input.contractId ? contractId(ctx, input.contractId) : null });
    return { inquiry: billingInquiryType(inquiry) };
  }
}

/** STAT-1, LANG-1: a component's name and what it covers, in the answer language (query, subscription and internal payloads alike). */
@Resolver(() => ApplicationComponentStatusType)
export class ApplicationComponentStatusFieldsResolver {
  @FieldResolver(() => String, { description: 'Display name, in the answer language (extensions.language).' })
  name(@Root() status: ApplicationComponentStatusType, @Ctx() ctx: Context): string {
    return ctx.t(`component.${status.component}.name`);
  }

  @FieldResolver(() => String, { description: 'What the component covers, in the answer language (STAT-1).' })
  description(@Root() status: ApplicationComponentStatusType, @Ctx() ctx: Context): string {
    return ctx.t(`component.${status.component}.description`);
  }
}
