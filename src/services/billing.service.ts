import { ForbiddenReason } from '../auth/errors';
import { billingAccess, billingAvailability, canReadBillingInquiry, billingContactsConfirmationDue, canEditBillingContacts, contractDurationMonths, type Availability, type BillingDecision } from '../auth/profile-access';
import type { CustomerViewer } from '../auth/viewer';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, InputProblems, StateReason } from '../domain/errors';
import {
  BillingInquiryTopic,
  ContractContactKind,
  type Billing,
  type BillingContactChange,
  type BillingInquiry as BillingInquiryView,
  type BillingInquiryRequest,
  type ContractView,
} from '../domain/profile';
import { BillingInquiry, Brand, Contract, License } from '../entities';
import { SupportLanguage } from '../entities/enums';

/** BILL-4: listed with the billing details; each title is `billing.document.<code>` in the answer language (LANG-1). */
export const SECURITY_DOCUMENTS = [
  { code: 'TRUST_CENTER', url: 'https://www.qualtrics.com/trust-center/' },
  { code: 'TERMS_OF_SERVICE', url: 'https://www.qualtrics.com/terms-of-service/' },
  { code: 'PRIVACY_STATEMENT', url: 'https://www.qualtrics.com/privacy-statement/' },
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contracts an allowing `billingAccess` decision covers: all of the brand's, or those listing the viewer. */
function visibleOf(decision: Extract<BillingDecision, { allowed: true }>, contracts: Contract[]): Contract[] {
  return decision.all ? contracts : decision.contractIndexes.map((i) => contracts[i]);
}

/** BILL-1…7: billing details, contracts, contacts and billing inquiries. */
export class BillingService {
  constructor(private readonly ctx: Context) {}

  private get em() {
    return this.ctx.em;
  }

  /** A length problem: English as raised (it names the field), other languages the catalog text (LANG-1). */
  private tooLong(english: string, max: number): string {
    return this.ctx.locale === 'en' ? english : this.ctx.t('userError.tooLong', { max });
  }

  /** A missing value: English as raised (it names the field), other languages the catalog text (LANG-1). */
  private required(english: string): string {
    return this.ctx.locale === 'en' ? english : this.ctx.t('userError.required');
  }

  private get viewer(): CustomerViewer {
    const { viewer } = this.ctx;
    if (viewer.kind !== 'customer') throw DomainError.forbidden(ForbiddenReason.NOT_A_CUSTOMER, this.ctx.t('userError.notACustomer'));
    return viewer;
  }

  /** BILL-1: the brand's contracts and what `billingAccess` decides over them for this viewer. */
  private async access(): Promise<{ decision: BillingDecision; contracts: Contract[] }> {
    const viewer = this.viewer;
    const contracts = await this.em.find(Contract, { brand: viewer.brandId }, { orderBy: { endDate: 'desc', id: 'asc' } });
    const decision = billingAccess(
      { role: viewer.role, email: viewer.account.email },
      contracts.map((c) => ({ primaryEmail: c.primaryContact.email, billingEmail: c.billingContact.email })),
    );
    return { decision, contracts };
  }

  /** BILL-1: the contracts this viewer may see; FORBIDDEN (NOT_BILLING_CONTACT) when none (the mutations). */
  async visibleContracts(): Promise<Contract[]> {
    const { decision, contracts } = await this.access();
    if (!decision.allowed) throw DomainError.forbidden(decision.reason, decision.message);
    return visibleOf(decision, contracts);
  }

  /** BILL-1: whether the billing section is shown and, if not, why (`viewer.billingAvailability`, `viewer.canSeeBilling`). */
  async availability(): Promise<Availability> {
    return billingAvailability((await this.access()).decision);
  }

  /** BILL-5 / BILL-7: may this viewer edit contract contacts (`viewer.canEditBillingContacts`; `updateBillingContact` asks the same). */
  async canEditContacts(): Promise<boolean> {
    const { decision } = await this.access();
    const brand = await this.em.findOneOrFail(Brand, { id: this.viewer.brandId });
    return canEditBillingContacts(decision, brand.billingContactEditing);
  }

  /** BILL-1…7: the billing section; null when `billingAvailability` says it is not shown. */
  async billing(): Promise<Billing | null> {
    const { decision, contracts: all } = await this.access();
    if (!decision.allowed) return null;
    const contracts = visibleOf(decision, all);
    const brand = await this.em.findOneOrFail(Brand, { id: this.viewer.brandId });
    return {
      contracts: await this.toViews(contracts, canEditBillingContacts(decision, brand.billingContactEditing)),
      documents: SECURITY_DOCUMENTS.map((d) => ({ title: this.ctx.t(`billing.document.${d.code}`), url: d.url })),
      contactEditingEnabled: brand.billingContactEditing,
    };
  }

  /** A contract this viewer may see, for `node(id)`; null otherwise (never an error: ids are not probed). */
  async findVisibleContract(id: number): Promise<ContractView | null> {
    const { decision, contracts } = await this.access();
    if (!decision.allowed) return null;
    const contract = visibleOf(decision, contracts).find((c) => c.id === id);
    if (!contract) return null;
    const brand = await this.em.findOneOrFail(Brand, { id: this.viewer.brandId });
    return (await this.toViews([contract], canEditBillingContacts(decision, brand.billingContactEditing)))[0];
  }

  /** BILL-2: an inquiry the viewer submitted, for `node(id)`; null for anyone else's. */
  async findOwnInquiry(id: number): Promise<BillingInquiryView | null> {
    const inquiry = await this.em.findOne(BillingInquiry, { id });
    return inquiry && canReadBillingInquiry(this.viewer, { accountId: inquiry.accountId, brandId: inquiry.brand.id }) ? { id: inquiry.id, topic: inquiry.topic as BillingInquiryTopic, subject: inquiry.subject, createdAt: inquiry.createdAt } : null;
  }

  private async toViews(contracts: Contract[], editable: boolean): Promise<ContractView[]> {
    const now = this.ctx.now();
    const licenses = contracts.length
      ? await this.em.find(License, { contract: { $in: contracts.map((c) => c.id) } }, { orderBy: { id: 'asc' } })
      : [];
    return contracts.map((c) => ({
      id: c.id,
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

  /** A contract among those the viewer may see; a NOT_FOUND problem otherwise. */
  private async contractFor(id: number): Promise<Contract> {
    const contract = (await this.visibleContracts()).find((c) => c.id === id);
    if (!contract) throw DomainError.input(['input', 'contractId'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.noSuchContract'));
    return contract;
  }

  /** BILL-5 / BILL-7: edit a contact; applies at once and counts as confirming for this cycle (BILL-6). */
  async updateContact(input: BillingContactChange): Promise<ContractView> {
    const contract = await this.contractFor(input.contractId);
    if (!(await this.canEditContacts())) {
      throw DomainError.state(['input'], StateReason.CONTACT_EDITING_DISABLED, this.ctx.t('userError.contactsReadOnly'));
    }
    const now = this.ctx.now();
    const problems = new InputProblems();
    const firstName = input.firstName.trim();
    const lastName = input.lastName.trim();
    const email = input.email.trim().toLowerCase();
    for (const [field, value, max] of [['firstName', firstName, 100], ['lastName', lastName, 100], ['email', email, 320]] as const) {
      if (value === '') problems.add(['input', field], DomainErrorCode.REQUIRED, this.required(`${field} is required.`));
      else if (value.length > max) problems.add(['input', field], DomainErrorCode.INVALID, this.tooLong(`${field} is at most ${max} characters.`, max));
    }
    if (email !== '' && !EMAIL.test(email)) problems.add(['input', 'email'], DomainErrorCode.INVALID, this.ctx.t('userError.invalidEmail'));
    problems.throwIfAny();
    const target = input.kind === ContractContactKind.PRIMARY ? contract.primaryContact : contract.billingContact;
    target.firstName = firstName;
    target.lastName = lastName;
    target.email = email;
    target.updatedAt = now;
    contract.contactsConfirmedAt = now;
    contract.contactsConfirmedForEndDate = contract.endDate;
    await this.em.flush();
    return (await this.toViews([contract], true))[0];
  }

  /** BILL-6: confirm the contacts for the renewal cycle ending at the contract's end date. */
  async confirmContacts(contractId: number): Promise<ContractView> {
    const contract = await this.contractFor(contractId);
    const now = this.ctx.now();
    contract.contactsConfirmedAt = now;
    contract.contactsConfirmedForEndDate = contract.endDate;
    await this.em.flush();
    return (await this.toViews([contract], await this.canEditContacts()))[0];
  }

  /** BILL-2: stored as a billing inquiry (never a support ticket); English only. */
  async submitInquiry(input: BillingInquiryRequest): Promise<BillingInquiryView> {
    const viewer = this.viewer;
    const contract = input.contractId != null ? await this.contractFor(input.contractId) : (await this.visibleContracts(), null);
    const problems = new InputProblems();
    if (input.language && input.language !== SupportLanguage.ENGLISH) {
      problems.add(['input', 'language'], DomainErrorCode.INVALID, this.ctx.t('userError.billingEnglishOnly'));
    }
    const subject = input.subject.trim();
    const message = input.message.trim();
    if (subject === '') problems.add(['input', 'subject'], DomainErrorCode.REQUIRED, this.required('A subject is required.'));
    else if (subject.length > 300) problems.add(['input', 'subject'], DomainErrorCode.INVALID, this.tooLong('The subject is at most 300 characters.', 300));
    if (message === '') problems.add(['input', 'message'], DomainErrorCode.REQUIRED, this.required('A message is required.'));
    else if (message.length > 10_000) problems.add(['input', 'message'], DomainErrorCode.INVALID, this.tooLong('The message is at most 10000 characters.', 10_000));
    problems.throwIfAny();
    const now = this.ctx.now();
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
    return { id: inquiry.id, topic: input.topic, subject, createdAt: inquiry.createdAt };
  }
}
