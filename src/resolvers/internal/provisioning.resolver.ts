import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { ProvisioningService } from '../../services/provisioning.service';
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
  async upsertBrand(@Ctx() ctx: Context, @Arg('input', () => UpsertBrandInput, { description: 'The mutation input.' }) input: UpsertBrandInput) {
    return { brand: await new ProvisioningService(ctx).upsertBrand(input) };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => UpsertAccountPayload, { description: 'Create or update an account; enforces at most 5 Enterprise seats per success package (ENT-1).' })
  async upsertAccount(@Ctx() ctx: Context, @Arg('input', () => UpsertAccountInput, { description: 'The mutation input.' }) input: UpsertAccountInput) {
    return { account: await new ProvisioningService(ctx).upsertAccount(input) };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: 'Create or update a support agent.' })
  async upsertAgent(@Ctx() ctx: Context, @Arg('input', () => UpsertAgentInput, { description: 'The mutation input.' }) input: UpsertAgentInput) {
    return { ok: Boolean(await new ProvisioningService(ctx).upsertAgent(input)) };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: "Set a brand's account team." })
  async setAccountTeam(@Ctx() ctx: Context, @Arg('input', () => SetAccountTeamInput, { description: 'The mutation input.' }) input: SetAccountTeamInput) {
    await new ProvisioningService(ctx).setAccountTeam(input);
    return { ok: true };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: 'Create or update a contract and its licenses.' })
  async upsertContract(@Ctx() ctx: Context, @Arg('input', () => UpsertContractInput, { description: 'The mutation input.' }) input: UpsertContractInput) {
    return { ok: Boolean(await new ProvisioningService(ctx).upsertContract(input)) };
  }

  @Authorized(Role.INTEGRATION)
  @Mutation(() => ProvisioningPayload, { description: "Replace an account's community account and certifications." })
  async setLinkedAccounts(@Ctx() ctx: Context, @Arg('input', () => SetLinkedAccountsInput, { description: 'The mutation input.' }) input: SetLinkedAccountsInput) {
    await new ProvisioningService(ctx).setLinkedAccounts(input);
    return { ok: true };
  }
}
