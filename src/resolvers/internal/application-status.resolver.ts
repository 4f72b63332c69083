import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { ApplicationStatusService } from '../../services/application-status.service';
import { SetApplicationStatusInput, SetApplicationStatusPayload } from '../types/profile.types';

/** STAT-1: the monitoring integration sets the status page (internal schema only). */
@Resolver()
export class ApplicationStatusAdminResolver {
  @Authorized(Role.INTEGRATION)
  @Mutation(() => SetApplicationStatusPayload, { description: 'Set the state of one product or service (STAT-1); an unknown component is a userError.' })
  async setApplicationStatus(@Ctx() ctx: Context, @Arg('input', () => SetApplicationStatusInput, { description: 'The mutation input.' }) input: SetApplicationStatusInput) {
    return { componentStatus: await new ApplicationStatusService(ctx).set(input) };
  }
}
