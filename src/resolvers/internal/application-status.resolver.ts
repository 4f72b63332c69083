import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { applicationStatusChanged } from '../../realtime/events';
import { ApplicationStatusService } from '../../services/application-status.service';
import { SetApplicationStatusInput, SetApplicationStatusPayload } from '../types/profile.types';
import { withUserErrors } from '../types/user-error';

/** STAT-1: the monitoring integration sets the status page (internal schema only). */
@Resolver()
export class ApplicationStatusAdminResolver {
  @Authorized(Role.INTEGRATION)
  @Mutation(() => SetApplicationStatusPayload, { description: 'Set the state of one product or service (STAT-1); an unknown component is a userError.' })
  setApplicationStatus(@Ctx() ctx: Context, @Arg('input', () => SetApplicationStatusInput, { description: 'The mutation input.' }) input: SetApplicationStatusInput) {
    return withUserErrors(async () => {
      const componentStatus = await new ApplicationStatusService(ctx.em).set(input, ctx.now());
      // STAT-2: committed; subscribers re-read the status page
      ctx.events?.publish(applicationStatusChanged(componentStatus.component, ctx.now()));
      return { componentStatus };
    });
  }
}
