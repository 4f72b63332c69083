import type { Context } from '../context';
import { DomainError, DomainErrorCode } from '../domain/errors';
import type { ApplicationComponentStatus, SetApplicationStatus } from '../domain/profile';
import { ApplicationComponent } from '../entities';
import { ApplicationComponentKey, ComponentStatus } from '../entities/enums';
import { applicationStatusChanged } from '../realtime/events';
import { recordEvent } from '../realtime/event-log';

/** STAT-1: the sixteen components, in status-page order, with their display names. */
export const APPLICATION_COMPONENTS: ReadonlyArray<readonly [ApplicationComponentKey, string]> = [
  [ApplicationComponentKey.LOGINS, 'Logins'],
  [ApplicationComponentKey.SURVEY_EDITING, 'Survey editing'],
  [ApplicationComponentKey.SURVEY_TAKING, 'Survey taking'],
  [ApplicationComponentKey.DATA_INGESTION, 'Data ingestion'],
  [ApplicationComponentKey.CONTACT_IMPORTS, 'Contact imports'],
  [ApplicationComponentKey.EMAIL_DISTRIBUTIONS, 'Email distributions'],
  [ApplicationComponentKey.REPORTING, 'Reporting'],
  [ApplicationComponentKey.ACTIONS_AND_TICKETING, 'Actions & ticketing'],
  [ApplicationComponentKey.API_V3, 'API (v3)'],
  [ApplicationComponentKey.CX_DASHBOARDS, 'CX dashboards'],
  [ApplicationComponentKey.EMPLOYEE_360, 'Employee 360'],
  [ApplicationComponentKey.EX_DASHBOARDS, 'EX dashboards'],
  [ApplicationComponentKey.EX_PROJECT_MANAGEMENT, 'EX project management'],
  [ApplicationComponentKey.WEBSITE_APP_FEEDBACK_COLLECTION, 'Website/app feedback data collection'],
  [ApplicationComponentKey.WEBSITE_APP_FEEDBACK_MANAGEMENT, 'Website/app feedback management'],
  [ApplicationComponentKey.XM_DIRECTORY, 'XM Directory'],
];

const NAMES = new Map(APPLICATION_COMPONENTS);

function toStatus(key: ApplicationComponentKey, row: ApplicationComponent | undefined): ApplicationComponentStatus {
  return {
    component: key,
    name: NAMES.get(key)!,
    status: row?.status ?? ComponentStatus.OPERATIONAL,
    message: row?.message ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** STAT-1: reads and sets the status page. A component never reported is operational. */
export class ApplicationStatusService {
  constructor(private readonly ctx: Context) {}

  async list(): Promise<ApplicationComponentStatus[]> {
    const rows = await this.ctx.em.find(ApplicationComponent, {});
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return APPLICATION_COMPONENTS.map(([key]) => toStatus(key, byKey.get(key)));
  }

  /** Sets one component; an unknown key is a NOT_FOUND problem. Records STAT-2 with the change. */
  async set(input: SetApplicationStatus): Promise<ApplicationComponentStatus> {
    const key = input.component as ApplicationComponentKey;
    if (!NAMES.has(key)) {
      throw DomainError.input(['input', 'component'], DomainErrorCode.NOT_FOUND, this.ctx.t('userError.status.unknownComponent', { component: input.component, expected: [...NAMES.keys()].join(', ') }));
    }
    const now = this.ctx.now();
    const row = await this.ctx.em.transactional(async (em) => {
      const existing = (await em.findOne(ApplicationComponent, { key })) ?? em.create(ApplicationComponent, { key, name: NAMES.get(key)! });
      existing.status = input.status;
      existing.message = input.message ?? null;
      existing.updatedAt = now;
      // STAT-2: subscribers re-read the status page once committed
      recordEvent(em, applicationStatusChanged(key, now));
      return existing;
    });
    return toStatus(key, row);
  }
}
