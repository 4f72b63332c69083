import type { EntityManager } from '@mikro-orm/core';
import { forbidden } from '../auth/errors';
import { billingAccess, billingContactsConfirmationDue, contractDurationMonths } from '../auth/profile-access';
import type { CustomerViewer } from '../auth/viewer';
import { BillingInquiry, Brand, Contract, License } from '../entities';
import { SupportLanguage } from '../entities/enums';
import {
  ContractContactKind,
  type BillingInquiryType,
  type BillingType,
  type ContractType,
  type SubmitBillingInquiryInput,
  type UpdateBillingContactInput,
} from '../resolvers/types/profile.types';
import { numericIdOf, toGlobalId } from '../resolvers/types/node';
import { localizedUserError, UserErrorCode, UserInputError, type UserError } from '../resolvers/types/user-error';

/** BILL-4: listed with the billing details. */
export const SECURITY_DOCUMENTS = [
  { title: 'Trust center', url: 'https://www.qualtrics.com/trust-center/' },
  { title: 'Terms of service', url: 'https://www.qualtrics.com/terms-of-service/' },
  { title: 'Privacy statement', url: 'https://www.qualtrics.com/privacy-statement/' },
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** BILL-1…7: billing details, contracts, contacts and billing inquiries. */
export class BillingService {
  constructor(private readonly em: EntityManager) {}

  /** BILL-1: the contracts this viewer may see; FORBIDDEN (NOT_BILLING_CONTACT) when none. */
  async visibleContracts(viewer: CustomerViewer): Promise<Contract[]> {
    const contracts = await this.em.find(Contract, { brand: viewer.brandId }, { orderBy: { endDate: 'desc', id: 'asc' } });
    const decision = billingAccess(
      { role: viewer.role, email: viewer.account.email },
      contracts.map((c) => ({ primaryEmail: c.primaryContact.email, billingEmail: c.billingContact.email })),
    );
    if (!decision.allowed) throw forbidden(decision.reason, decision.message);
    return decision.all ? contracts : decision.contractIndexes.map((i) => contracts[i]);
  }

  async billing(viewer: CustomerViewer, now: Date): Promise<BillingType> {
    const contracts = await this.visibleContracts(viewer);
    const brand = await this.em.findOneOrFail(Brand, { id: viewer.brandId });
    return {
      contracts: await this.toTypes(contracts, brand.billingContactEditing, now),
      documents: SECURITY_DOCUMENTS.map((d) => ({ ...d })),
      contactEditingEnabled: brand.billingContactEditing,
    };
  }

  private async toTypes(contracts: Contract[], editable: boolean, now: Date): Promise<ContractType[]> {
    const licenses = contracts.length
      ? await this.em.find(License, { contract: { $in: contracts.map((c) => c.id) } }, { orderBy: { id: 'asc' } })
      : [];
    return contracts.map((c) => ({
      id: toGlobalId('Contract', c.id),
      number: c.number,
      startDate: c.startDate,
      endDate: c.endDate,
      durationMonths: contractDurationMonths(c.startDate, c.endDate),
      licenses: licenses.filter((l) => l.contract.id === c.id).map((l) => ({ product: l.product, quantity: l.quantity })),
      primaryContact: { ...c.primaryContact, updatedAt: c.primaryContact.updatedAt ?? null },
      billingContact: { ...c.billingContact, updatedAt: c.billingContact.updatedAt ?? null },
      billingContactsConfirmationDue: billingContactsConfirmationDue(c, now),
      contactsConfirmedAt: c.contactsConfirmedAt ?? null,
      viewerCanEditContacts: editable,
    }));
  }

  /** A contract by global id among those the viewer may see; a userError otherwise. */
  private async contractFor(viewer: CustomerViewer, globalId: string): Promise<Contract> {
    let id: number;
    try {
      id = numericIdOf('Contract', globalId);
    } catch {
      throw UserInputError.of(['input', 'contractId'], UserErrorCode.NOT_FOUND, 'No such contract.');
    }
    const contract = (await this.visibleContracts(viewer)).find((c) => c.id === id);
    if (!contract) throw UserInputError.of(['input', 'contractId'], UserErrorCode.NOT_FOUND, 'No such contract.');
    return contract;
  }

  /** BILL-5 / BILL-7: edit a contact; applies at once and counts as confirming for this cycle (BILL-6). */
  async updateContact(viewer: CustomerViewer, input: UpdateBillingContactInput, now: Date): Promise<ContractType> {
    const contract = await this.contractFor(viewer, input.contractId);
    const brand = await this.em.findOneOrFail(Brand, { id: viewer.brandId });
    if (!brand.billingContactEditing) {
      throw UserInputError.localized(['input'], UserErrorCode.INVALID_STATE, 'userError.contactsReadOnly');
    }
    const errors: UserError[] = [];
    const firstName = input.firstName.trim();
    const lastName = input.lastName.trim();
    const email = input.email.trim().toLowerCase();
    for (const [field, value, max] of [['firstName', firstName, 100], ['lastName', lastName, 100], ['email', email, 320]] as const) {
      if (value === '') errors.push({ field: ['input', field], code: UserErrorCode.REQUIRED, message: `${field} is required.`, messageKey: 'userError.required' });
      else if (value.length > max) errors.push({ field: ['input', field], code: UserErrorCode.INVALID, message: `${field} is at most ${max} characters.`, messageKey: 'userError.tooLong', messageParams: { max } });
    }
    if (email !== '' && !EMAIL.test(email)) errors.push(localizedUserError(['input', 'email'], UserErrorCode.INVALID, 'userError.invalidEmail'));
    if (errors.length) throw new UserInputError(errors);
    const target = input.kind === ContractContactKind.PRIMARY ? contract.primaryContact : contract.billingContact;
    target.firstName = firstName;
    target.lastName = lastName;
    target.email = email;
    target.updatedAt = now;
    contract.contactsConfirmedAt = now;
    contract.contactsConfirmedForEndDate = contract.endDate;
    await this.em.flush();
    return (await this.toTypes([contract], true, now))[0];
  }

  /** BILL-6: confirm the contacts for the renewal cycle ending at the contract's end date. */
  async confirmContacts(viewer: CustomerViewer, contractId: string, now: Date): Promise<ContractType> {
    const contract = await this.contractFor(viewer, contractId);
    const brand = await this.em.findOneOrFail(Brand, { id: viewer.brandId });
    contract.contactsConfirmedAt = now;
    contract.contactsConfirmedForEndDate = contract.endDate;
    await this.em.flush();
    return (await this.toTypes([contract], brand.billingContactEditing, now))[0];
  }

  /** BILL-2: stored as a billing inquiry (never a support ticket); English only. */
  async submitInquiry(viewer: CustomerViewer, input: SubmitBillingInquiryInput, now: Date): Promise<BillingInquiryType> {
    const contract = input.contractId ? await this.contractFor(viewer, input.contractId) : (await this.visibleContracts(viewer), null);
    const errors: UserError[] = [];
    if (input.language && input.language !== SupportLanguage.ENGLISH) {
      errors.push(localizedUserError(['input', 'language'], UserErrorCode.INVALID, 'userError.billingEnglishOnly'));
    }
    const subject = input.subject.trim();
    const message = input.message.trim();
    if (subject === '') errors.push({ field: ['input', 'subject'], code: UserErrorCode.REQUIRED, message: 'A subject is required.', messageKey: 'userError.required' });
    else if (subject.length > 300) errors.push({ field: ['input', 'subject'], code: UserErrorCode.INVALID, message: 'The subject is at most 300 characters.', messageKey: 'userError.tooLong', messageParams: { max: 300 } });
    if (message === '') errors.push({ field: ['input', 'message'], code: UserErrorCode.REQUIRED, message: 'A message is required.', messageKey: 'userError.required' });
    else if (message.length > 10_000) errors.push({ field: ['input', 'message'], code: UserErrorCode.INVALID, message: 'The message is at most 10000 characters.', messageKey: 'userError.tooLong', messageParams: { max: 10_000 } });
    if (errors.length) throw new UserInputError(errors);
    const inquiry = this.em.create(BillingInquiry, {
      brand: viewer.brandId,
      accountId: viewer.accountId,
      contract: contract ?? null,
      topic: input.topic,
      subject,
      message,
      createdAt: now,
    });
    await this.em.flush();
    return { id: toGlobalId('BillingInquiry', inquiry.id), topic: input.topic, subject, createdAt: inquiry.createdAt };
  }
}
