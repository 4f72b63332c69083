import type { EntityManager } from '@mikro-orm/core';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  Account,
  AccountTeam,
  Agent,
  Brand,
  Certification,
  CommunityAccount,
  Contract,
  License,
} from '../entities';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';
import type { AccountTeamChange, AccountUpsert, AgentUpsert, BrandUpsert, ContractUpsert, LinkedAccountsChange } from '../domain/provisioning';

/** ENT-1: a success package gives at most this many Enterprise Support seats. */
export const MAX_ENTERPRISE_SEATS = 5;

/** Provisioning from the CRM integration: idempotent upserts keyed by the CRM's ids. */
export class ProvisioningService {
  constructor(private readonly ctx: Context) {}

  private get em(): EntityManager {
    return this.ctx.em;
  }

  async upsertBrand(input: BrandUpsert): Promise<Brand> {
    return this.em.transactional(async (em) => {
      const brand = (await em.findOne(Brand, { id: input.id })) ?? em.create(Brand, { id: input.id, name: input.name });
      brand.name = input.name;
      if (input.fedramp !== undefined && input.fedramp !== null) brand.fedramp = input.fedramp;
      if (input.successPackage !== undefined && input.successPackage !== null) brand.successPackage = input.successPackage;
      if (input.billingContactEditing !== undefined && input.billingContactEditing !== null) brand.billingContactEditing = input.billingContactEditing;
      return brand;
    });
  }

  private async brandOf(em: EntityManager, brandId: string): Promise<Brand> {
    const brand = await em.findOne(Brand, { id: brandId });
    if (!brand) throw DomainError.input(['input', 'brandId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.brandNotFound', { brandId }));
    return brand;
  }

  async upsertAccount(input: AccountUpsert): Promise<Account> {
    try {
      return await this.em.transactional(async (em) => {
        const brand = await this.brandOf(em, input.brandId);
        let account = await em.findOne(Account, { id: input.id });
        if (!account) {
          account = em.create(Account, {
            id: input.id,
            brand,
            username: input.username,
            email: input.email,
            firstName: input.firstName,
            lastName: input.lastName,
          });
        }
        account.brand = em.getReference(Brand, brand.id, { wrapped: true });
        account.username = input.username;
        account.email = input.email.toLowerCase();
        account.firstName = input.firstName;
        account.lastName = input.lastName;
        if (input.language) account.language = input.language;
        if (input.accountType) account.accountType = input.accountType;
        if (input.role) account.role = input.role;
        if (input.contactPhone !== undefined) account.contactPhone = input.contactPhone;
        if (input.supportAccessGranted != null) account.supportAccessGranted = input.supportAccessGranted;
        if (input.enterpriseSeat != null) account.enterpriseSeat = input.enterpriseSeat;
        if (account.enterpriseSeat) await this.checkSeats(em, brand, account.id);
        return account;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.input(['input', 'username'], DomainErrorCode.TAKEN, this.ctx.t('userError.provisioning.usernameTaken', { username: input.username }));
      }
      throw error;
    }
  }

  /** ENT-1: seats need a success package, and a brand has at most five. */
  private async checkSeats(em: EntityManager, brand: Brand, accountId: string): Promise<void> {
    if (!brand.successPackage) {
      throw DomainError.state(['input', 'enterpriseSeat'], StateReason.NOT_SUCCESS_PACKAGE, this.ctx.t('userError.provisioning.seatNeedsSuccessPackage'));
    }
    const others = await em.count(Account, { brand: brand.id, enterpriseSeat: true, id: { $ne: accountId } });
    if (others >= MAX_ENTERPRISE_SEATS) {
      throw DomainError.input(
        ['input', 'enterpriseSeat'],
        DomainErrorCode.LIMIT_EXCEEDED,
        this.ctx.t('userError.provisioning.seatLimit', { max: MAX_ENTERPRISE_SEATS, brandId: brand.id, taken: others }),
      );
    }
  }

  async upsertAgent(input: AgentUpsert): Promise<Agent> {
    return this.em.transactional(async (em) => {
      const agent = (await em.findOne(Agent, { id: input.id })) ?? em.create(Agent, { id: input.id, displayName: input.displayName, email: input.email });
      agent.displayName = input.displayName;
      agent.email = input.email.toLowerCase();
      return agent;
    });
  }

  async setAccountTeam(input: AccountTeamChange): Promise<void> {
    await this.em.transactional(async (em) => {
      const brand = await this.brandOf(em, input.brandId);
      const team = (await em.findOne(AccountTeam, { brand: brand.id })) ?? em.create(AccountTeam, { brand });
      team.successManagerName = input.successManager?.name ?? null;
      team.successManagerEmail = input.successManager?.email ?? null;
      team.successManagerPhone = input.successManager?.phone ?? null;
      team.accountExecutiveName = input.accountExecutive?.name ?? null;
      team.accountExecutiveEmail = input.accountExecutive?.email ?? null;
      team.accountExecutivePhone = input.accountExecutive?.phone ?? null;
      team.intakeFormUrl = input.intakeFormUrl ?? null;
    });
  }

  async upsertContract(input: ContractUpsert): Promise<Contract> {
    if (input.endDate <= input.startDate) {
      throw DomainError.input(['input', 'endDate'], DomainErrorCode.INVALID, this.ctx.t('userError.provisioning.endBeforeStart'));
    }
    for (const key of ['startDate', 'endDate'] as const) {
      if (Number.isNaN(Date.parse(`${input[key]}T00:00:00Z`))) {
        throw DomainError.input(['input', key], DomainErrorCode.INVALID, this.ctx.t('userError.provisioning.notADate', { value: input[key] }));
      }
    }
    return this.em.transactional(async (em) => {
      const brand = await this.brandOf(em, input.brandId);
      let contract = await em.findOne(Contract, { number: input.number });
      if (contract && contract.brand.id !== brand.id) {
        throw DomainError.input(['input', 'number'], DomainErrorCode.TAKEN, this.ctx.t('userError.provisioning.contractOfAnotherBrand', { number: input.number }));
      }
      const contact = (c: ContractUpsert['primaryContact']) => ({ firstName: c.firstName, lastName: c.lastName, email: c.email.toLowerCase(), updatedAt: null });
      if (!contract) {
        contract = em.create(Contract, {
          brand,
          number: input.number,
          startDate: input.startDate,
          endDate: input.endDate,
          primaryContact: contact(input.primaryContact),
          billingContact: contact(input.billingContact),
        });
      } else {
        contract.startDate = input.startDate;
        contract.endDate = input.endDate;
        contract.primaryContact = Object.assign(contract.primaryContact, contact(input.primaryContact));
        contract.billingContact = Object.assign(contract.billingContact, contact(input.billingContact));
        await em.nativeDelete(License, { contract: contract.id });
      }
      for (const license of input.licenses) em.create(License, { contract, product: license.product, quantity: license.quantity });
      return contract;
    });
  }

  async setLinkedAccounts(input: LinkedAccountsChange): Promise<void> {
    await this.em.transactional(async (em) => {
      const account = await em.findOne(Account, { id: input.accountId });
      if (!account) throw DomainError.input(['input', 'accountId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.accountNotFound', { accountId: input.accountId }));
      await em.nativeDelete(CommunityAccount, { account: account.id });
      await em.nativeDelete(Certification, { account: account.id });
      if (input.community) em.create(CommunityAccount, { account, ...input.community });
      for (const cert of input.certifications) em.create(Certification, { account, ...cert });
    });
  }
}
