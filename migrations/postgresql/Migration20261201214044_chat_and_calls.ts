import { Migration } from '@mikro-orm/migrations';

export class Migration20261201214044_chat_and_calls extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "chat_session" ("id" serial primary key, "ticket_id" int not null, "language" text check ("language" in ('ENGLISH', 'SPANISH', 'PORTUGUESE', 'GERMAN', 'FRENCH', 'ITALIAN', 'DUTCH', 'JAPANESE')) not null, "product_area" text check ("product_area" in ('SURVEY_PLATFORM', 'CX_DASHBOARDS', 'BX_DASHBOARDS', 'EMPLOYEE_ENGAGEMENT', 'EMPLOYEE_360', 'XM_DIRECTORY', 'WEBSITE_APP_FEEDBACK', 'STATS_IQ_CROSSTABS', 'COVID19_XM_SOLUTIONS', 'INTEGRATIONS_API', 'SSO_SETUP', 'ACCESSIBILITY', 'XM_DISCOVER_SOCIAL_CONNECT')) not null, "state" text check ("state" in ('WAITING', 'ACTIVE', 'ENDED', 'CANCELLED')) not null default 'WAITING', "enqueued_at" timestamptz not null, "agent_id" varchar(64) null, "joined_at" timestamptz null, "ended_at" timestamptz null, "ended_by" text check ("ended_by" in ('CUSTOMER', 'AGENT')) null);`);
    this.addSql(`alter table "chat_session" add constraint "chat_session_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`create index "chat_session_language_product_area_state_enqueued_at_index" on "chat_session" ("language", "product_area", "state", "enqueued_at");`);

    this.addSql(`alter table "chat_session" add constraint "chat_session_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chat_session" add constraint "chat_session_agent_id_foreign" foreign key ("agent_id") references "agent" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "ticket" add column "enterprise_handover_at" timestamptz null, add column "conference_cancelled_at" timestamptz null;`);

    this.addSql(`alter table "proxy_access_change" add column "origin" text check ("origin" in ('TICKET_SETTING', 'ENTERPRISE_VERIFICATION')) not null default 'TICKET_SETTING';`);

    this.addSql(`alter table "callback_request" add column "outcome" text check ("outcome" in ('RESOLVED', 'FOLLOW_UP', 'NO_ANSWER')) null, add column "left_queue_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "chat_session" cascade;`);

    this.addSql(`alter table "callback_request" drop column "outcome", drop column "left_queue_at";`);

    this.addSql(`alter table "proxy_access_change" drop column "origin";`);

    this.addSql(`alter table "ticket" drop column "enterprise_handover_at", drop column "conference_cancelled_at";`);
  }

}
