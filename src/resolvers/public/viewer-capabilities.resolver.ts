import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { emailPreferencesEligibility, linkedAccountsAvailability } from '../../auth/profile-access';
import { canListOrganizationTickets, canUseTicketHistory } from '../../auth/ticket-access';
import { customerOf } from '../../auth/roles';
import type { Context } from '../../context';
import { BillingService } from '../../services/billing.service';
import { profileFacts } from '../../services/profile.service';
import { ViewerType } from '../types/viewer.types';


/**
 * What the viewer may do, as booleans a client reads instead of re-implementing a role or FedRAMP
 * rule. Each is the very function the operation it names decides with (src/auth, or the service
 * method that wraps it), never a copy: `test/viewer-capabilities.test.ts` compares each one with
 * what the operation does, for FedRAMP users, standard users, brand admins and billing contacts.
 */
@Resolver(() => ViewerType)
export class ViewerCapabilitiesResolver {
  @FieldResolver(() => Boolean, { description: 'FED-1: `tickets`, `ticket`, ticket `node`s and ticket subscriptions answer (false for FedRAMP users, who get FORBIDDEN / FEDRAMP_RESTRICTED there).' })
  canSeeTicketHistory(@Ctx() ctx: Context): boolean {
    customerOf(ctx);
    return canUseTicketHistory(ctx.viewer).allowed;
  }

  @FieldResolver(() => Boolean, { description: 'HIST-3: `tickets(scope: ORGANIZATION)` answers (brand administrators outside FedRAMP).' })
  canListOrganizationTickets(@Ctx() ctx: Context): boolean {
    customerOf(ctx);
    return canListOrganizationTickets(ctx.viewer).allowed;
  }

  @FieldResolver(() => Boolean, { description: 'BILL-1: `billing` is shown and the billing mutations (`submitBillingInquiry`, `confirmBillingContacts`) are open to the viewer; the same as `billingAvailability.available`.' })
  async canSeeBilling(@Ctx() ctx: Context): Promise<boolean> {
    customerOf(ctx);
    return (await new BillingService(ctx).availability()).available;
  }

  @FieldResolver(() => Boolean, { description: 'BILL-5 / BILL-7: `updateBillingContact` is open to the viewer (sees billing, and the organization enables contact editing).' })
  canEditBillingContacts(@Ctx() ctx: Context): Promise<boolean> {
    customerOf(ctx);
    return new BillingService(ctx).canEditContacts();
  }

  @FieldResolver(() => Boolean, { description: 'PREF-3 / FED-3: the viewer has e-mail preferences and `updateEmailPreferences` is open; the same as `emailPreferencesEligibility.available`.' })
  canManageEmailPreferences(@Ctx() ctx: Context): boolean {
    return emailPreferencesEligibility(profileFacts(customerOf(ctx))).available;
  }

  @FieldResolver(() => Boolean, { description: 'FED-4: `linkedAccounts` is shown; the same as `linkedAccountsAvailability.available`.' })
  canSeeLinkedAccounts(@Ctx() ctx: Context): boolean {
    return linkedAccountsAvailability(profileFacts(customerOf(ctx))).available;
  }
}
