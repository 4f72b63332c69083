import { Field, ID, ObjectType } from 'type-graphql';
import { AccountType, BrandRole } from '../../entities/enums';

@ObjectType('Brand', { description: 'The customer organization (license) an account belongs to.' })
export class BrandType {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;

  @Field({ description: 'Organization name.' })
  name!: string;
}

/** ACC-1: the account's details as the profile shows them (username, e-mail, name, language, brand, account type, role). */
@ObjectType('Viewer', { description: 'The signed-in account (ACC-1).' })
export class ViewerType {
  @Field(() => ID, { description: 'Opaque global id of the account.' })
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
