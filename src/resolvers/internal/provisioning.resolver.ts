import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { ProvisioningService } from '../../services/provisioning.service';
import { withUserErrors } from '../types/user-error';
import {
  ProvisioningPayload,
  SetAccountTeamInput,
  SetLinkedAccountsInput,
  UpsertAccountInput,
  UpsertAccountPayload,
  UpsertAgentInput,
  UpsertBrandInput,
  UpsertBrandPayload,
  UpsertContractInput,
} from './provisioning.types';

/** Provisioning from the CRM integration (internal schema only). */
@Resolver()
export class ProvisioningResolver {
  @Authorized(Role.INTEGRATION)
  @Mutation(() => UpsertBrandPayload, { description: 'Create or update a brand.' })
  upsertBrand(@Ctx() ctx: Context, @Arg('input', () => UpsertBrandInput) input: UpsertBrandInput) {
    return withUserErrors(async () => ({ brand: await new ProvisioningService(ctx.em).upsertBrand(input) }));
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => UpsertAccountPayload, { description: 'Create or update an account; enforces at most 5 Enterprise seats per success package (ENT-1).' })
  upsertAccount(@Ctx() ctx: Context, @Arg('input', () => UpsertAccountInput) input: UpsertAccountInput) {
    return withUserErrors(async () => ({ account: await new ProvisioningService(ctx.em).upsertAccount(input) }));
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: 'Create or update a support agent.' })
  upsertAgent(@Ctx() ctx: Context, @Arg('input', () => UpsertAgentInput) input: UpsertAgentInput) {
    return withUserErrors(async () => ({ ok: Boolean(await new ProvisioningService(ctx.em).upsertAgent(input)) }));
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: "Set a brand's account team." })
  setAccountTeam(@Ctx() ctx: Context, @Arg('input', () => SetAccountTeamInput) input: SetAccountTeamInput) {
    return withUserErrors(async () => {
      await new ProvisioningService(ctx.em).setAccountTeam(input);
      return { ok: true };
    });
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: 'Create or update a contract and its licenses.' })
  upsertContract(@Ctx() ctx: Context, @Arg('input', () => UpsertContractInput) input: UpsertContractInput) {
    return withUserErrors(async () => ({ ok: Boolean(await new ProvisioningService(ctx.em).upsertContract(input)) }));
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: "Replace an account's community account and certifications." })
  setLinkedAccounts(@Ctx() ctx: Context, @Arg('input', () => SetLinkedAccountsInput) input: SetLinkedAccountsInput) {
    return withUserErrors(async () => {
      await new ProvisioningService(ctx.em).setLinkedAccounts(input);
      return { ok: true };
    });
  }
}
