import { IsEmail, IsOptional, IsUrl, Length, Matches, Max, Min, ValidateNested, ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AccountType, BrandRole } from '../../entities/enums';
import { CertificationStatus } from '../types/profile.types';
import { UserError } from '../types/user-error';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

@InputType({ description: 'Create or update a brand by its id.' })
export class UpsertBrandInput {
  @Field(() => ID, { description: 'Stable id from the CRM (letters, digits, _ . : -).' })
  @Matches(ID_PATTERN)
  id!: string;

  @Field({ description: 'Organization name.' })
  @Length(1, 200)
  name!: string;

  @Field({ nullable: true, description: 'FedRAMP brand.' })
  fedramp?: boolean;

  @Field({ nullable: true, description: 'Has a success package (Enterprise Support seats, conference calls).' })
  successPackage?: boolean;

  @Field({ nullable: true, description: 'Contract contacts may be edited from the hub (BILL-7).' })
  billingContactEditing?: boolean;
}

@InputType({ description: 'Create or update an account by its id (the token subject).' })
export class UpsertAccountInput {
  @Field(() => ID, { description: 'Stable account id; the `sub` of its tokens.' })
  @Matches(ID_PATTERN)
  id!: string;

  @Field(() => ID, { description: 'Brand id.' })
  @Matches(ID_PATTERN)
  brandId!: string;

  @Field({ description: 'Unique username.' })
  @Length(1, 100)
  username!: string;

  @Field({ description: 'E-mail address.' })
  @IsEmail()
  email!: string;

  @Field({ description: 'First name.' })
  @Length(1, 100)
  firstName!: string;

  @Field({ description: 'Last name.' })
  @Length(1, 100)
  lastName!: string;

  @Field({ nullable: true, description: 'Preferred language (BCP-47).' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
  language?: string;

  @Field(() => AccountType, { nullable: true, description: 'License type.' })
  accountType?: AccountType;

  @Field(() => BrandRole, { nullable: true, description: 'Role in the brand.' })
  role?: BrandRole;

  @Field(() => String, { nullable: true, description: 'Contact phone shown to brand users when admin.' })
  @IsOptional()
  @Length(3, 40)
  contactPhone?: string | null;

  @Field({ nullable: true, description: 'Account-level support access default (PRX-3).' })
  supportAccessGranted?: boolean;

  @Field({ nullable: true, description: 'Holds an Enterprise Support seat (at most 5 per success package).' })
  enterpriseSeat?: boolean;
}

@InputType({ description: 'Create or update a support agent.' })
export class UpsertAgentInput {
  @Field(() => ID, { description: 'Agent id; the `sub` of their tokens.' })
  @Matches(ID_PATTERN)
  id!: string;

  @Field({ description: 'Name shown to customers as the support representative.' })
  @Length(1, 200)
  displayName!: string;

  @Field({ description: 'E-mail address.' })
  @IsEmail()
  email!: string;
}

@InputType({ description: 'A person of the account team.' })
export class TeamMemberInput {
  @Field({ description: 'Name.' })
  @Length(1, 200)
  name!: string;

  @Field({ description: 'E-mail.' })
  @IsEmail()
  email!: string;

  @Field(() => String, { nullable: true, description: 'Phone.' })
  @IsOptional()
  @Length(3, 40)
  phone?: string | null;
}

@InputType({ description: "Set a brand's account team (ACC-2)." })
export class SetAccountTeamInput {
  @Field(() => ID, { description: 'Brand id.' })
  @Matches(ID_PATTERN)
  brandId!: string;

  @Field(() => TeamMemberInput, { nullable: true, description: 'XM Success Manager; null when the organization has none.' })
  @ValidateNested()
  @IsOptional()
  successManager?: TeamMemberInput | null;

  @Field(() => TeamMemberInput, { nullable: true, description: 'Account Executive.' })
  @ValidateNested()
  @IsOptional()
  accountExecutive?: TeamMemberInput | null;

  @Field(() => String, { nullable: true, description: 'Intake form for license requests, shown when there is no success manager.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  intakeFormUrl?: string | null;
}

@InputType({ description: 'A contract contact.' })
export class ContractContactInput {
  @Field({ description: 'First name (placeholder for a shared mailbox).' })
  @Length(1, 100)
  firstName!: string;

  @Field({ description: 'Last name.' })
  @Length(1, 100)
  lastName!: string;

  @Field({ description: 'E-mail.' })
  @IsEmail()
  email!: string;
}

@InputType({ description: 'A licensed product.' })
export class LicenseInput {
  @Field({ description: 'Product name.' })
  @Length(1, 200)
  product!: string;

  @Field(() => Int, { description: 'Seats or units.' })
  @Min(0)
  @Max(10_000_000)
  quantity!: number;
}

@InputType({ description: 'Create or update a contract by its number.' })
export class UpsertContractInput {
  @Field(() => ID, { description: 'Brand id.' })
  @Matches(ID_PATTERN)
  brandId!: string;

  @Field({ description: 'Contract number.' })
  @Length(1, 50)
  number!: string;

  @Field({ description: 'Start date, YYYY-MM-DD.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  startDate!: string;

  @Field({ description: 'End date, YYYY-MM-DD.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  endDate!: string;

  @Field(() => ContractContactInput, { description: 'Primary contact.' })
  @ValidateNested()
  primaryContact!: ContractContactInput;

  @Field(() => ContractContactInput, { description: 'Billing contact.' })
  @ValidateNested()
  billingContact!: ContractContactInput;

  @Field(() => [LicenseInput], { description: 'Licensed products; replaces the existing list.' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(200)
  licenses!: LicenseInput[];
}

@InputType({ description: 'A community account (LINK-1).' })
export class CommunityAccountInput {
  @Field({ description: 'Community username.' })
  @Length(1, 100)
  username!: string;

  @Field({ description: 'Rank.' })
  @Length(1, 100)
  rank!: string;

  @Field({ description: 'When the community account was created.' })
  memberSince!: Date;

  @Field(() => Int, { description: 'Number of topics participated in.' })
  @Min(0)
  topicsParticipated!: number;
}

@InputType({ description: 'A certification (LINK-2).' })
export class CertificationInput {
  @Field({ description: 'Certification name.' })
  @Length(1, 200)
  name!: string;

  @Field(() => CertificationStatus, { description: 'In progress or completed.' })
  status!: CertificationStatus;

  @Field(() => Date, { nullable: true, description: 'Completion date.' })
  completedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Link to the certificate.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  certificateUrl?: string | null;
}

@InputType({ description: "Replace an account's linked accounts." })
export class SetLinkedAccountsInput {
  @Field(() => ID, { description: 'Account id.' })
  @Matches(ID_PATTERN)
  accountId!: string;

  @Field(() => CommunityAccountInput, { nullable: true, description: 'Community account; null removes it.' })
  @ValidateNested()
  @IsOptional()
  community?: CommunityAccountInput | null;

  @Field(() => [CertificationInput], { description: 'Certifications; replaces the existing list.' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(200)
  certifications!: CertificationInput[];
}

@ObjectType('ProvisionedBrand', { description: 'A brand as the integration sees it.' })
export class ProvisionedBrand {
  @Field(() => ID, { description: 'Brand id.' })
  id!: string;

  @Field({ description: 'Name.' })
  name!: string;

  @Field({ description: 'FedRAMP brand.' })
  fedramp!: boolean;

  @Field({ description: 'Has a success package.' })
  successPackage!: boolean;

  @Field({ description: 'Contract contacts editable from the hub.' })
  billingContactEditing!: boolean;
}

@ObjectType('ProvisionedAccount', { description: 'An account as the integration sees it.' })
export class ProvisionedAccount {
  @Field(() => ID, { description: 'Account id.' })
  id!: string;

  @Field({ description: 'Username.' })
  username!: string;

  @Field({ description: 'E-mail.' })
  email!: string;

  @Field(() => BrandRole, { description: 'Role.' })
  role!: BrandRole;

  @Field(() => AccountType, { description: 'License type.' })
  accountType!: AccountType;

  @Field({ description: 'Holds an Enterprise Support seat.' })
  enterpriseSeat!: boolean;
}

@ObjectType({ description: 'Result of upsertBrand.' })
export class UpsertBrandPayload {
  @Field(() => ProvisionedBrand, { nullable: true, description: 'The brand.' })
  brand?: ProvisionedBrand | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of upsertAccount.' })
export class UpsertAccountPayload {
  @Field(() => ProvisionedAccount, { nullable: true, description: 'The account.' })
  account?: ProvisionedAccount | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a provisioning mutation that returns no object.' })
export class ProvisioningPayload {
  @Field({ description: 'True when the change was stored.' })
  ok!: boolean;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

