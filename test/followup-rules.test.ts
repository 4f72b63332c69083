import { translate } from '../src/i18n';
import { describe, expect, it } from 'vitest';
import {
  canClose,
  canLeaveFeedback,
  canReply,
  canSetProxyAccess,
  closedNotice,
  effectiveProxyAccess,
  isAuthorizationRefusal,
  ProxyAccessSource,
  TicketActionRefusal as R,
  type TicketActionFacts,
} from '../src/auth/ticket-actions';
import type { Viewer } from '../src/auth/viewer';
import { BrandRole, TicketKind, TicketStatus } from '../src/entities/enums';
import { nextEscalationStatus } from '../src/services/ticket-work.service';
import { EscalationStatus } from '../src/entities/enums';

const customer = (accountId: string, opts: { role?: BrandRole; brandId?: string; fedramp?: boolean } = {}): Viewer =>
  ({
    kind: 'customer',
    accountId,
    brandId: opts.brandId ?? 'brand-a',
    role: opts.role ?? BrandRole.STANDARD,
    isFedramp: opts.fedramp ?? false,
    account: {} as never,
    brand: {} as never,
  }) as Viewer;

const submitter = customer('sub');
const associated = customer('assoc');
const admin = customer('admin', { role: BrandRole.BRAND_ADMIN });
const otherAdmin = customer('other-admin', { role: BrandRole.BRAND_ADMIN, brandId: 'brand-b' });
const fedramp = customer('sub', { fedramp: true });
const agent = { kind: 'agent', agentId: 'ag', agent: {} } as Viewer;

const facts = (over: Partial<TicketActionFacts> = {}): TicketActionFacts => ({
  brandId: 'brand-a',
  submitterId: 'sub',
  participantIds: ['sub', 'assoc'],
  createdAt: new Date('2026-10-01T00:00:00Z'),
  kind: TicketKind.EMAIL,
  status: TicketStatus.OPEN,
  messageCount: 1,
  hasFeedback: false,
  ...over,
});

const outcome = (d: { allowed: boolean; reason?: R }) => (d.allowed ? 'ALLOW' : d.reason);

describe('FUP-1, FUP-4: canReply', () => {
  it.each([
    ['FUP-1: submitter, open e-mail ticket', submitter, facts(), 'ALLOW'],
    ['FUP-1: brand admin of the brand', admin, facts(), 'ALLOW'],
    ['FUP-1: escalated tickets are still open', submitter, facts({ status: TicketStatus.ESCALATED }), 'ALLOW'],
    ['FUP-1: phone ticket with related e-mails has a thread', submitter, facts({ kind: TicketKind.PHONE, messageCount: 2 }), 'ALLOW'],
    ['FUP-1: an e-mail ticket always has a thread', submitter, facts({ messageCount: 0 }), 'ALLOW'],
    ['FUP-1: chat ticket without e-mails has no thread', submitter, facts({ kind: TicketKind.CHAT, messageCount: 0 }), R.NO_EMAIL_THREAD],
    ['FUP-4: closed ticket', submitter, facts({ status: TicketStatus.CLOSED }), R.TICKET_CLOSED],
    ['FUP-4: associated standard user is not the submitter', associated, facts(), R.NOT_TICKET_OWNER],
    ['FUP-4: non-owner hears who first, even on a closed ticket', associated, facts({ status: TicketStatus.CLOSED }), R.NOT_TICKET_OWNER],
    ['FUP-4: admin of another brand', otherAdmin, facts(), R.NOT_TICKET_OWNER],
    ['FED-1: FedRAMP accounts', fedramp, facts(), R.FEDRAMP_RESTRICTED],
    ['agents reply through postAgentReply', agent, facts(), R.NOT_A_CUSTOMER],
    ['anonymous', { kind: 'anonymous' } as Viewer, facts(), R.NOT_A_CUSTOMER],
  ])('%s', (_title, viewer, f, expected) => {
    expect(outcome(canReply(viewer, f))).toBe(expected);
  });
});

describe('CLS-1: canClose', () => {
  it.each([
    ['CLS-1: owner of an open ticket', submitter, facts(), 'ALLOW'],
    ['CLS-1: owner of an escalated ticket', submitter, facts({ status: TicketStatus.ESCALATED }), 'ALLOW'],
    ['CLS-1: already closed', submitter, facts({ status: TicketStatus.CLOSED }), R.TICKET_CLOSED],
    ['CLS-1: associated user is not the owner', associated, facts(), R.NOT_TICKET_OWNER],
    ['CLS-1: brand admin is not the owner', admin, facts(), R.NOT_TICKET_OWNER],
    ['CLS-1: agents', agent, facts(), R.NOT_A_CUSTOMER],
  ])('%s', (_title, viewer, f, expected) => {
    expect(outcome(canClose(viewer, f))).toBe(expected);
  });
});

describe('CLS-3: canLeaveFeedback', () => {
  const closed = facts({ status: TicketStatus.CLOSED });
  it.each([
    ['CLS-3: owner of a closed ticket', submitter, closed, 'ALLOW'],
    ['CLS-3: not yet closed', submitter, facts(), R.TICKET_NOT_CLOSED],
    ['CLS-3: only once', submitter, { ...closed, hasFeedback: true }, R.FEEDBACK_ALREADY_RECEIVED],
    ['CLS-3: associated user', associated, closed, R.NOT_TICKET_OWNER],
    ['CLS-3: brand admin', admin, closed, R.NOT_TICKET_OWNER],
  ])('%s', (_title, viewer, f, expected) => {
    expect(outcome(canLeaveFeedback(viewer, f))).toBe(expected);
  });
});

describe('PRX-2: canSetProxyAccess', () => {
  it.each([
    ['PRX-2: submitter', submitter, 'ALLOW'],
    ['PRX-2: associated user sets their own', associated, 'ALLOW'],
    ['PRX-2: brand admin not on the ticket', admin, R.NOT_TICKET_PARTICIPANT],
    ['PRX-2: FedRAMP', fedramp, R.FEDRAMP_RESTRICTED],
    ['PRX-2: agent', agent, R.NOT_A_CUSTOMER],
  ])('%s', (_title, viewer, expected) => {
    expect(outcome(canSetProxyAccess(viewer, facts()))).toBe(expected);
  });
});

describe('PRX-3: effectiveProxyAccess', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['no override, default off', false, [], { granted: false, source: ProxyAccessSource.ACCOUNT_DEFAULT }],
    ['no override, default on', true, [], { granted: true, source: ProxyAccessSource.ACCOUNT_DEFAULT }],
    ['override grant beats default off', false, [{ granted: true, changedAt: at('2026-01-01T00:00:00Z') }], { granted: true, source: ProxyAccessSource.TICKET_OVERRIDE }],
    ['override revoke beats default on', true, [{ granted: false, changedAt: at('2026-01-01T00:00:00Z') }], { granted: false, source: ProxyAccessSource.TICKET_OVERRIDE }],
    [
      'latest change wins, whatever the order given',
      false,
      [
        { granted: false, changedAt: at('2026-01-03T00:00:00Z') },
        { granted: true, changedAt: at('2026-01-01T00:00:00Z') },
      ],
      { granted: false, source: ProxyAccessSource.TICKET_OVERRIDE },
    ],
  ])('PRX-3: %s', (_title, def, changes, expected) => {
    expect(effectiveProxyAccess(def, changes)).toEqual(expected);
  });
});

describe('CLS-2 and refusal kinds', () => {
  it('CLS-2: the closed notice, word for word, only on closed tickets', () => {
    expect(translate('en', closedNotice(TicketStatus.CLOSED)!)).toBe(
      'This ticket has been closed. If you have further questions or concerns, please create a new support ticket and reference this ticket ID.',
    );
    expect(closedNotice(TicketStatus.OPEN)).toBeNull();
    expect(closedNotice(TicketStatus.ESCALATED)).toBeNull();
  });

  it.each([
    [R.NOT_TICKET_OWNER, true],
    [R.NOT_TICKET_PARTICIPANT, true],
    [R.FEDRAMP_RESTRICTED, true],
    [R.NOT_A_CUSTOMER, true],
    [R.TICKET_CLOSED, false],
    [R.TICKET_NOT_CLOSED, false],
    [R.NO_EMAIL_THREAD, false],
    [R.FEEDBACK_ALREADY_RECEIVED, false],
  ])('%s is an authorization refusal: %s', (reason, expected) => {
    expect(isAuthorizationRefusal(reason)).toBe(expected);
  });
});

describe('ESC-3: nextEscalationStatus', () => {
  it.each([
    [EscalationStatus.SUBMITTED, EscalationStatus.IN_REVIEW],
    [EscalationStatus.IN_REVIEW, EscalationStatus.ENGINEERING_IN_PROGRESS],
    [EscalationStatus.ENGINEERING_IN_PROGRESS, EscalationStatus.VERIFYING_RESOLUTION],
    [EscalationStatus.VERIFYING_RESOLUTION, EscalationStatus.RESOLVED],
    [EscalationStatus.RESOLVED, null],
  ])('ESC-3: after %s comes %s', (current, next) => {
    expect(nextEscalationStatus(current)).toBe(next);
  });
});
