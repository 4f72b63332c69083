import { Field, ID, ObjectType } from 'type-graphql';
import { AccountType, BrandRole } from '../../entities/enums';
import { Node } from './node';

@ObjectType('Brand', { implements: Node, description: "The customer organization (license) an account belongs to; `node(id)` fetches it again for the brand's own accounts." })
export class BrandType {
  @Field(() => ID, { description: 'Opaque global id; resolves through `node(id)`.' })
  id!: string;

  @Field({ description: 'Organization name.' })
  name!: string;
}

/** ACC-1: the account's details as the profile shows them (username, e-mail, name, language, brand, account type, role). */
@ObjectType('Viewer', { implements: Node, description: 'The signed-in account (ACC-1); `node(id)` with its id answers the viewer itself, with any other account\'s id null.' })
export class ViewerType {
  @Field(() => ID, { description: 'Opaque global id of the account; resolves through `node(id)` for the account itself.' })
  id!: string;

  @Field({ description: 'Username.' })
  username!: string;

  @Field({ description: 'E-mail address.' })
  email!: string;

  @Field({ description: 'First name.' })
  firstName!: string;

  @Field({ description: 'Last name.' })
  lastName!: string;

  @Field({ description: 'Preferred language (BCP-47).' })
  language!: string;

  @Field(() => AccountType, { description: 'License type.' })
  accountType!: AccountType;

  @Field(() => BrandRole, { description: 'Role in the brand.' })
  role!: BrandRole;

  @Field({ description: 'Account-level default for granting support proxy access (PRX-3).' })
  supportAccessGranted!: boolean;
}
