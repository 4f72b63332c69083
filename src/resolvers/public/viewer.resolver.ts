import { Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import type { ViewerAccount } from '../../auth/viewer';
import { BrandType, ViewerType } from '../types/viewer.types';
import { asNode, toGlobalId } from '../types/node';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Authorized(Role.CUSTOMER)
  @Query(() => ViewerType, { description: 'The signed-in account.' })
  viewer(@Ctx() ctx: Context): ViewerAccount {
    if (ctx.viewer.kind !== 'customer') throw new Error('unreachable: authChecker admits customers only');
    return ctx.viewer.account;
  }

  @FieldResolver(() => ID, { description: 'Opaque global id of the account.' })
  id(@Root() account: ViewerAccount): string {
    return toGlobalId('Account', account.id);
  }

  @FieldResolver(() => BrandType, { description: 'The brand (organization) of the account.' })
  async brand(@Root() account: ViewerAccount, @Ctx() ctx: Context): Promise<BrandType> {
    const brand = await ctx.loaders.brand.load(account.brand.id);
    return asNode('Brand', { id: toGlobalId('Brand', brand!.id), name: brand!.name });
  }

  @FieldResolver(() => Boolean, { description: 'The brand is FedRAMP: ticket history, e-mail preferences and linked accounts are restricted.' })
  async isFedramp(@Root() account: ViewerAccount, @Ctx() ctx: Context): Promise<boolean> {
    const brand = await ctx.loaders.brand.load(account.brand.id);
    return brand!.fedramp;
  }
}
