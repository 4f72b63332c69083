import { ok, type TestServer } from './harness';

/** Builds brands, accounts, agents and tickets through the internal API, as the CRM and agents would. */
export class Fixtures {
  private agentToken?: string;

  constructor(private readonly t: TestServer) {}

  async brand(id: string, opts: { fedramp?: boolean; successPackage?: boolean } = {}): Promise<string> {
    const res = ok(
      await this.t.internal(
        `mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { brand { id } userErrors { code message } } }`,
        { input: { id, name: `Brand ${id}`, ...opts } },
      ),
    );
    if (res.upsertBrand.userErrors.length) throw new Error(JSON.stringify(res.upsertBrand.userErrors));
    return id;
  }

  async account(id: string, brandId: string, opts: { role?: 'STANDARD' | 'BRAND_ADMIN'; accountType?: string } = {}): Promise<string> {
    const res = ok(
      await this.t.internal(
        `mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { account { id } userErrors { code message } } }`,
        { input: { id, brandId, username: id, email: `${id}@example.com`, firstName: 'First', lastName: id, ...opts } },
      ),
    );
    if (res.upsertAccount.userErrors.length) throw new Error(JSON.stringify(res.upsertAccount.userErrors));
    return id;
  }

  async agent(id = 'agent-test'): Promise<string> {
    ok(await this.t.internal(`mutation($input: UpsertAgentInput!) { upsertAgent(input: $input) { ok } }`, { input: { id, displayName: `Agent ${id}`, email: `${id}@vendor.example` } }));
    this.agentToken ??= await this.t.token(id, ['hub:agent']);
    return id;
  }

  /** Records a ticket through the agent API; returns its global id and number. */
  async ticket(input: Record<string, unknown>): Promise<{ id: string; number: number }> {
    if (!this.agentToken) await this.agent();
    const res = ok(
      await this.t.internal(
        `mutation($input: RecordTicketInput!) { recordTicket(input: $input) { ticket { id number } userErrors { field code message } } }`,
        { input: { kind: 'EMAIL', productArea: 'SURVEY_PLATFORM', subject: 'A problem', description: 'Details', ...input } },
        this.agentToken,
      ),
    );
    if (res.recordTicket.userErrors.length) throw new Error(JSON.stringify(res.recordTicket.userErrors));
    return res.recordTicket.ticket;
  }

  async tokenFor(accountId: string): Promise<string> {
    return this.t.token(accountId);
  }
}
