import { type EntityManager, ref } from '@mikro-orm/core';
import {
  Account,
  AccountTeam,
  AccountType,
  Agent,
  ApplicationComponent,
  ApplicationComponentKey,
  Brand,
  BrandRole,
  Certification,
  CertificationStatus,
  ChatTranscriptEntry,
  CommunityAccount,
  ComponentStatus,
  ConferenceCallStatus,
  ConferenceDetails,
  Contract,
  ContractContact,
  EmailPreference,
  EmailPreferenceCategory,
  Escalation,
  EscalationStatus,
  EscalationTimelineEntry,
  License,
  Message,
  MessageAuthorKind,
  ParticipantRole,
  PhoneDetails,
  ProductArea,
  SharedResource,
  SupportLanguage,
  Ticket,
  TicketKind,
  TicketParticipant,
  TicketStatus,
  TranscriptAuthorKind,
} from '../entities';

/** A demo caller: `subject` is the token's `sub`, `scopes` its `scope` claim. */
export interface DemoIdentity {
  label: string;
  subject: string;
  scopes: string[];
}

/** The identities `npm start` prints tokens for on the embedded default. Ids are fixed. */
export const DEMO_IDENTITIES: DemoIdentity[] = [
  { label: 'standard user', subject: 'acc-standard', scopes: [] },
  { label: 'brand admin', subject: 'acc-admin', scopes: [] },
  { label: 'FedRAMP user', subject: 'acc-fedramp', scopes: [] },
  { label: 'Enterprise-seat user', subject: 'acc-enterprise', scopes: [] },
  { label: 'support agent', subject: 'agent-1', scopes: ['hub:agent'] },
  { label: 'integration', subject: 'integration-crm', scopes: ['hub:integration'] },
];

/** Human names of the status page's components (STAT-1). */
const COMPONENT_NAMES: Record<ApplicationComponentKey, string> = {
  [ApplicationComponentKey.LOGINS]: 'Logins',
  [ApplicationComponentKey.SURVEY_EDITING]: 'Survey editing',
  [ApplicationComponentKey.SURVEY_TAKING]: 'Survey taking',
  [ApplicationComponentKey.DATA_INGESTION]: 'Data ingestion',
  [ApplicationComponentKey.CONTACT_IMPORTS]: 'Contact imports',
  [ApplicationComponentKey.EMAIL_DISTRIBUTIONS]: 'Email distributions',
  [ApplicationComponentKey.REPORTING]: 'Reporting',
  [ApplicationComponentKey.ACTIONS_AND_TICKETING]: 'Actions & ticketing',
  [ApplicationComponentKey.API_V3]: 'API (v3)',
  [ApplicationComponentKey.CX_DASHBOARDS]: 'CX dashboards',
  [ApplicationComponentKey.EMPLOYEE_360]: 'Employee 360',
  [ApplicationComponentKey.EX_DASHBOARDS]: 'EX dashboards',
  [ApplicationComponentKey.EX_PROJECT_MANAGEMENT]: 'EX project management',
  [ApplicationComponentKey.WEBSITE_APP_FEEDBACK_COLLECTION]: 'Website/app feedback data collection',
  [ApplicationComponentKey.WEBSITE_APP_FEEDBACK_MANAGEMENT]: 'Website/app feedback management',
  [ApplicationComponentKey.XM_DIRECTORY]: 'XM Directory',
};

/** Fixed base for created dates, so the demo data is the same on every start. */
const BASE = Date.UTC(2026, 9, 1, 9, 0, 0); // 2026-10-01T09:00:00Z
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** `BASE` shifted by days and hours (negative = earlier). */
function at(days: number, hours = 0): Date {
  return new Date(BASE + days * DAY + hours * HOUR);
}

/** Builds an entity or embeddable with its class defaults, then the given values. */
function build<T extends object>(cls: new () => T, data: Partial<T>): T {
  return Object.assign(new cls(), data);
}

/**
 * Seeds the demo brands, accounts, tickets and profile data into an empty database, in one
 * transaction. Returns false and changes nothing when any brand already exists.
 */
export async function seedDemoData(em: EntityManager): Promise<boolean> {
  if ((await em.count(Brand, {})) > 0) return false;

  await em.transactional(async (tx) => {
    const add = <T extends object>(cls: new () => T, data: Partial<T>): T => {
      const entity = build(cls, data);
      tx.persist(entity);
      return entity;
    };

    // ---- brands --------------------------------------------------------------------------
    const acme = add(Brand, {
      id: 'brand-acme',
      name: 'Acme Research',
      successPackage: true,
      billingContactEditing: true,
      createdAt: at(-400),
      updatedAt: at(-400),
    });
    const federal = add(Brand, {
      id: 'brand-federal',
      name: 'Federal Insights',
      fedramp: true,
      createdAt: at(-300),
      updatedAt: at(-300),
    });
    const globex = add(Brand, { id: 'brand-globex', name: 'Globex', createdAt: at(-200), updatedAt: at(-200) });

    // ---- accounts ------------------------------------------------------------------------
    const standard = add(Account, {
      id: 'acc-standard',
      brand: ref(acme),
      username: 'sam.rivera',
      email: 'sam.rivera@acme-research.example',
      firstName: 'Sam',
      lastName: 'Rivera',
      language: 'en',
      accountType: AccountType.SELF_SERVICE,
      role: BrandRole.STANDARD,
      createdAt: at(-390),
      updatedAt: at(-390),
    });
    const admin = add(Account, {
      id: 'acc-admin',
      brand: ref(acme),
      username: 'alex.morgan',
      email: 'alex.morgan@acme-research.example',
      firstName: 'Alex',
      lastName: 'Morgan',
      language: 'en',
      accountType: AccountType.ENTERPRISE,
      role: BrandRole.BRAND_ADMIN,
      contactPhone: '+1 801 555 0142',
      supportAccessGranted: true,
      createdAt: at(-395),
      updatedAt: at(-395),
    });
    const fedUser = add(Account, {
      id: 'acc-fedramp',
      brand: ref(federal),
      username: 'jordan.lee',
      email: 'jordan.lee@federal-insights.example',
      firstName: 'Jordan',
      lastName: 'Lee',
      language: 'en',
      accountType: AccountType.ENTERPRISE,
      role: BrandRole.STANDARD,
      createdAt: at(-290),
      updatedAt: at(-290),
    });
    const enterprise = add(Account, {
      id: 'acc-enterprise',
      brand: ref(acme),
      username: 'chris.novak',
      email: 'chris.novak@acme-research.example',
      firstName: 'Chris',
      lastName: 'Novak',
      language: 'de-DE',
      accountType: AccountType.ENTERPRISE,
      role: BrandRole.STANDARD,
      enterpriseSeat: true,
      createdAt: at(-380),
      updatedAt: at(-380),
    });
    const globexAdmin = add(Account, {
      id: 'acc-globex',
      brand: ref(globex),
      username: 'pat.kim',
      email: 'pat.kim@globex.example',
      firstName: 'Pat',
      lastName: 'Kim',
      language: 'en',
      accountType: AccountType.ENTERPRISE,
      role: BrandRole.BRAND_ADMIN,
      contactPhone: '+1 415 555 0199',
      createdAt: at(-190),
      updatedAt: at(-190),
    });

    const agent = add(Agent, {
      id: 'agent-1',
      displayName: 'Dana Support',
      email: 'dana.support@vendor.example',
      createdAt: at(-500),
    });

    // ---- account teams (ACC-2) -----------------------------------------------------------
    add(AccountTeam, {
      brand: ref(acme),
      successManagerName: 'Morgan Ellis',
      successManagerEmail: 'morgan.ellis@vendor.example',
      successManagerPhone: '+1 801 555 0100',
      accountExecutiveName: 'Riley Chen',
      accountExecutiveEmail: 'riley.chen@vendor.example',
      accountExecutivePhone: '+1 801 555 0101',
      updatedAt: at(-100),
    });
    add(AccountTeam, {
      brand: ref(globex),
      intakeFormUrl: 'https://vendor.example/forms/license-request',
      updatedAt: at(-100),
    });

    // ---- tickets -------------------------------------------------------------------------
    const participants = (ticket: Ticket, submitter: Account, associated: Account[] = []): void => {
      add(TicketParticipant, {
        ticket: ref(ticket),
        account: ref(submitter),
        role: ParticipantRole.SUBMITTER,
        addedAt: ticket.createdAt,
      });
      for (const account of associated) {
        add(TicketParticipant, {
          ticket: ref(ticket),
          account: ref(account),
          role: ParticipantRole.ASSOCIATED,
          addedAt: new Date(ticket.createdAt.getTime() + HOUR),
        });
      }
    };
    const message = (
      ticket: Ticket,
      createdAt: Date,
      author: { account: Account } | { agent: Agent },
      bodyHtml: string,
      recipients: string[],
    ): void => {
      const fromCustomer = 'account' in author;
      add(Message, {
        ticket: ref(ticket),
        authorKind: fromCustomer ? MessageAuthorKind.CUSTOMER : MessageAuthorKind.AGENT,
        authorAccount: fromCustomer ? ref(author.account) : null,
        authorAgent: fromCustomer ? null : ref(author.agent),
        subject: ticket.subject,
        bodyHtml,
        recipients,
        createdAt,
      });
    };

    // 1. Open e-mail ticket with a thread, a shared resource and an associated user.
    const surveyLink = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.OPEN,
      subject: 'Survey link returns 404 after publishing a new version',
      description:
        'Since we published version 3 of our customer onboarding survey this morning, the anonymous link returns a 404 page. The previous link worked fine.',
      productArea: ProductArea.SURVEY_PLATFORM,
      brand: ref(acme),
      submitter: ref(standard),
      assignee: ref(agent),
      createdAt: at(-5),
      lastActivityAt: at(-4, 3),
    });
    participants(surveyLink, standard, [admin]);
    message(
      surveyLink,
      at(-5),
      { account: standard },
      '<p>Hello,</p><p>since publishing version 3 of our onboarding survey, the anonymous link returns a <strong>404</strong>. Can you take a look?</p>',
      ['support@vendor.example', standard.email],
    );
    message(
      surveyLink,
      at(-4, 3),
      { agent },
      '<p>Hi Sam,</p><p>thanks for the details. Please check that the survey is active and see <a href="https://vendor.example/help/anonymous-links">this article</a> on regenerating anonymous links.</p><p>Dana</p>',
      ['support@vendor.example', standard.email],
    );
    add(SharedResource, {
      ticket: ref(surveyLink),
      title: 'Anonymous survey links',
      url: 'https://vendor.example/help/anonymous-links',
      sharedBy: ref(agent),
      sharedAt: at(-4, 3),
    });

    // 2. Closed e-mail ticket written in German (HIST-6: never translated).
    const exportTicket = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.CLOSED,
      subject: 'XLSX-Export enthält keine benutzerdefinierten Spalten',
      description:
        'Beim Export der Antworten als XLSX fehlen alle benutzerdefinierten Spalten (eingebettete Daten). Im CSV-Export sind sie vorhanden.',
      descriptionLanguage: 'de',
      supportLanguage: SupportLanguage.GERMAN,
      productArea: ProductArea.SURVEY_PLATFORM,
      brand: ref(acme),
      submitter: ref(enterprise),
      assignee: ref(agent),
      createdAt: at(-40),
      lastActivityAt: at(-37),
      closedAt: at(-37),
    });
    participants(exportTicket, enterprise);
    message(
      exportTicket,
      at(-40),
      { account: enterprise },
      '<p>Hallo,</p><p>beim XLSX-Export fehlen die eingebetteten Daten. Im CSV-Export sind sie vorhanden.</p>',
      ['support@vendor.example', enterprise.email],
    );
    message(
      exportTicket,
      at(-38),
      { agent },
      '<p>Hallo Chris,</p><p>bitte aktivieren Sie unter <em>Download-Optionen</em> die Option „Eingebettete Daten exportieren“. Damit sollten die Spalten erscheinen.</p>',
      ['support@vendor.example', enterprise.email],
    );

    // 3. Closed chat ticket with a transcript (TKT-5).
    const chat = add(Ticket, {
      kind: TicketKind.CHAT,
      status: TicketStatus.CLOSED,
      subject: 'Dashboard filter does not apply to one widget',
      description: 'The region filter on our CX dashboard applies to every widget except the NPS trend chart.',
      productArea: ProductArea.CX_DASHBOARDS,
      brand: ref(acme),
      submitter: ref(standard),
      assignee: ref(agent),
      createdAt: at(-20),
      lastActivityAt: at(-20, 1),
      closedAt: at(-20, 1),
    });
    participants(chat, standard);
    const transcript: Array<[TranscriptAuthorKind, string, string, number]> = [
      [TranscriptAuthorKind.CUSTOMER, 'Sam Rivera', 'Hi, the region filter does not apply to the NPS trend widget.', 0],
      [TranscriptAuthorKind.AGENT, 'Dana Support', 'Hi Sam, is the widget using a different data source than the dashboard?', 0.05],
      [TranscriptAuthorKind.CUSTOMER, 'Sam Rivera', 'Yes, it uses the 2025 survey.', 0.1],
      [TranscriptAuthorKind.AGENT, 'Dana Support', 'Filters only apply to widgets on mapped fields. Map "Region" in that source and it will work.', 0.15],
      [TranscriptAuthorKind.CUSTOMER, 'Sam Rivera', 'That fixed it, thanks!', 0.5],
    ];
    for (const [authorKind, authorName, text, hours] of transcript) {
      add(ChatTranscriptEntry, { ticket: ref(chat), authorKind, authorName, text, sentAt: at(-20, hours) });
    }

    // 4. Phone ticket with the default subject (HIST-7), described in Italian (HIST-6).
    const phone = add(Ticket, {
      kind: TicketKind.PHONE,
      status: TicketStatus.OPEN,
      subject: `Phone call – ${admin.username}`,
      description: 'Impossibile importare i contatti nella XM Directory: il file viene rifiutato senza errori.',
      descriptionLanguage: 'it',
      supportLanguage: SupportLanguage.ITALIAN,
      productArea: ProductArea.XM_DIRECTORY,
      brand: ref(acme),
      submitter: ref(admin),
      phone: build(PhoneDetails, {
        number: '+390212345678',
        country: 'IT',
        confirmationEmail: admin.email,
        recordingConsent: true,
      }),
      createdAt: at(-2),
      lastActivityAt: at(-2),
    });
    participants(phone, admin);

    // 5. Conference ticket for the Enterprise-seat user (TKT-4, ENT-3); scheduled a week from now.
    const conference = add(Ticket, {
      kind: TicketKind.CONFERENCE,
      status: TicketStatus.OPEN,
      subject: `Conference call – ${enterprise.username}`,
      description: 'Walk-through of our employee engagement project set-up with the analytics team.',
      productArea: ProductArea.EMPLOYEE_ENGAGEMENT,
      brand: ref(acme),
      submitter: ref(enterprise),
      assignee: ref(agent),
      enterprise: true,
      conference: build(ConferenceDetails, {
        scheduledAt: new Date(Date.now() + 7 * DAY),
        callStatus: ConferenceCallStatus.ACCEPTED,
        meetingUrl: 'https://meet.vendor.example/j/4812-7730',
        passcode: '582913',
        screenShare: true,
      }),
      createdAt: at(-1),
      lastActivityAt: at(-1, 2),
    });
    participants(conference, enterprise, [admin]);

    // 6. Escalated e-mail ticket (ESC-1…3).
    const escalated = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.ESCALATED,
      subject: 'Scheduled e-mail distribution sent twice',
      description:
        'Our weekly pulse survey distribution scheduled for Monday 08:00 was sent twice to the whole panel, about 4 minutes apart.',
      productArea: ProductArea.SURVEY_PLATFORM,
      brand: ref(acme),
      submitter: ref(standard),
      assignee: ref(agent),
      createdAt: at(-12),
      lastActivityAt: at(-8),
    });
    participants(escalated, standard);
    message(
      escalated,
      at(-12),
      { account: standard },
      '<p>Our scheduled distribution went out <strong>twice</strong> this Monday. Respondents are complaining.</p>',
      ['support@vendor.example', standard.email],
    );
    message(
      escalated,
      at(-11),
      { agent },
      '<p>Hi Sam,</p><p>we could reproduce the duplicate send and have escalated it to engineering as <strong>CP-10442</strong>. We will keep you updated here.</p>',
      ['support@vendor.example', standard.email],
    );
    const escalation = add(Escalation, {
      ticket: ref(escalated),
      reference: 'CP-10442',
      problemDescription:
        'Scheduled distributions are occasionally dispatched twice when the scheduler fails over between regions.',
      productArea: ProductArea.SURVEY_PLATFORM,
      status: EscalationStatus.ENGINEERING_IN_PROGRESS,
      submittedAt: at(-11),
    });
    const timeline: Array<[EscalationStatus, Date]> = [
      [EscalationStatus.SUBMITTED, at(-11)],
      [EscalationStatus.IN_REVIEW, at(-10)],
      [EscalationStatus.ENGINEERING_IN_PROGRESS, at(-8)],
    ];
    for (const [status, reachedAt] of timeline) {
      add(EscalationTimelineEntry, { escalation: ref(escalation), status, reachedAt });
    }

    // 7. A Globex ticket, for trying cross-brand isolation.
    const globexTicket = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.OPEN,
      subject: 'SSO login loop after IdP certificate rotation',
      description: 'After rotating the signing certificate in our IdP, users are redirected back to the login page endlessly.',
      productArea: ProductArea.SSO_SETUP,
      brand: ref(globex),
      submitter: ref(globexAdmin),
      createdAt: at(-3),
      lastActivityAt: at(-3),
    });
    participants(globexTicket, globexAdmin);
    message(
      globexTicket,
      at(-3),
      { account: globexAdmin },
      '<p>We rotated our IdP signing certificate and now SSO users loop back to the login page.</p>',
      ['support@vendor.example', globexAdmin.email],
    );

    // 8. A FedRAMP user's ticket (FED-1: they can file, but not list).
    const fedTicket = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.OPEN,
      subject: 'Contact import fails on a 60 MB CSV',
      description: 'Importing a 60 MB contact list into XM Directory stops at 12% without an error message.',
      productArea: ProductArea.XM_DIRECTORY,
      brand: ref(federal),
      submitter: ref(fedUser),
      createdAt: at(-6),
      lastActivityAt: at(-6),
    });
    participants(fedTicket, fedUser);
    message(
      fedTicket,
      at(-6),
      { account: fedUser },
      '<p>Our contact import stops at 12% with no error. The file is 60 MB.</p>',
      ['support@vendor.example', fedUser.email],
    );

    // 9. An old ticket from before the history cutoff (HIST-5: not viewable).
    const oldCreated = new Date(Date.UTC(2019, 2, 1, 15, 30, 0));
    const oldTicket = add(Ticket, {
      kind: TicketKind.EMAIL,
      status: TicketStatus.CLOSED,
      subject: 'Question about response quotas',
      description: 'How do quotas count partial responses?',
      productArea: ProductArea.SURVEY_PLATFORM,
      brand: ref(acme),
      submitter: ref(standard),
      createdAt: oldCreated,
      lastActivityAt: new Date(Date.UTC(2019, 2, 2, 10, 0, 0)),
      closedAt: new Date(Date.UTC(2019, 2, 2, 10, 0, 0)),
    });
    participants(oldTicket, standard);
    message(
      oldTicket,
      oldCreated,
      { account: standard },
      '<p>Do partial responses count towards a quota?</p>',
      ['support@vendor.example', standard.email],
    );

    // ---- contract (BILL-3, BILL-5) ------------------------------------------------------
    const contract = add(Contract, {
      brand: ref(acme),
      number: 'C-2025-00421',
      startDate: '2025-04-01',
      endDate: '2027-03-31',
      primaryContact: build(ContractContact, {
        firstName: admin.firstName,
        lastName: admin.lastName,
        email: admin.email,
        updatedAt: null,
      }),
      billingContact: build(ContractContact, {
        firstName: standard.firstName,
        lastName: standard.lastName,
        email: standard.email,
        updatedAt: at(-60),
      }),
      updatedAt: at(-60),
    });
    add(License, { contract: ref(contract), product: 'CustomerXM Suite', quantity: 25 });
    add(License, { contract: ref(contract), product: 'XM Directory', quantity: 1 });

    // ---- linked accounts (LINK) ---------------------------------------------------------
    add(CommunityAccount, {
      account: ref(standard),
      username: 'samr_surveys',
      rank: 'Level 3',
      memberSince: at(-380),
      topicsParticipated: 17,
    });
    add(Certification, {
      account: ref(standard),
      name: 'CoreXM Technical Expert',
      status: CertificationStatus.COMPLETED,
      completedAt: at(-90),
      certificateUrl: 'https://certification.vendor.example/certificates/7f3c2a',
    });
    add(Certification, {
      account: ref(standard),
      name: 'CX Dashboards Specialist',
      status: CertificationStatus.IN_PROGRESS,
    });

    // ---- e-mail preferences (PREF-4: keyed by address) ----------------------------------
    for (const category of Object.values(EmailPreferenceCategory)) {
      add(EmailPreference, {
        email: standard.email,
        category,
        subscribed: category !== EmailPreferenceCategory.CUSTOMER_EVENTS,
        updatedAt: at(-30),
      });
    }

    // ---- application status (STAT-1) ----------------------------------------------------
    for (const key of Object.values(ApplicationComponentKey)) {
      add(ApplicationComponent, {
        key,
        name: COMPONENT_NAMES[key],
        status: ComponentStatus.OPERATIONAL,
        message: null,
        updatedAt: at(0),
      });
    }
  });

  return true;
}
