import { Migration } from '@mikro-orm/migrations';

export class Migration20261123135648_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agent" ("id" varchar(64) not null, "display_name" varchar(200) not null, "email" varchar(320) not null, "created_at" timestamptz not null, constraint "agent_pkey" primary key ("id"));`);

    this.addSql(`create table "application_component" ("key" text check ("key" in ('LOGINS', 'SURVEY_EDITING', 'SURVEY_TAKING', 'DATA_INGESTION', 'CONTACT_IMPORTS', 'EMAIL_DISTRIBUTIONS', 'REPORTING', 'ACTIONS_AND_TICKETING', 'API_V3', 'CX_DASHBOARDS', 'EMPLOYEE_360', 'EX_DASHBOARDS', 'EX_PROJECT_MANAGEMENT', 'WEBSITE_APP_FEEDBACK_COLLECTION', 'WEBSITE_APP_FEEDBACK_MANAGEMENT', 'XM_DIRECTORY')) not null, "name" varchar(200) not null, "status" text check ("status" in ('OPERATIONAL', 'DEGRADED_PERFORMANCE', 'PARTIAL_OUTAGE', 'MAJOR_OUTAGE', 'MAINTENANCE')) not null default 'OPERATIONAL', "message" varchar(1000) null, "updated_at" timestamptz not null, constraint "application_component_pkey" primary key ("key"));`);

    this.addSql(`create table "brand" ("id" varchar(64) not null, "name" varchar(200) not null, "fedramp" boolean not null default false, "success_package" boolean not null default false, "billing_contact_editing" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "brand_pkey" primary key ("id"));`);

    this.addSql(`create table "account_team" ("brand_id" varchar(64) not null, "success_manager_name" varchar(200) null, "success_manager_email" varchar(320) null, "success_manager_phone" varchar(40) null, "account_executive_name" varchar(200) null, "account_executive_email" varchar(320) null, "account_executive_phone" varchar(40) null, "intake_form_url" varchar(500) null, "updated_at" timestamptz not null, constraint "account_team_pkey" primary key ("brand_id"));`);

    this.addSql(`create table "account" ("id" varchar(64) not null, "brand_id" varchar(64) not null, "username" varchar(100) not null, "email" varchar(320) not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "language" varchar(35) not null default 'en', "account_type" text check ("account_type" in ('FREE', 'SELF_SERVICE', 'ENTERPRISE')) not null default 'SELF_SERVICE', "role" text check ("role" in ('STANDARD', 'BRAND_ADMIN')) not null default 'STANDARD', "contact_phone" varchar(40) null, "support_access_granted" boolean not null default false, "enterprise_seat" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "account_pkey" primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`create index "account_email_index" on "account" ("email");`);
    this.addSql(`create index "account_brand_id_role_index" on "account" ("brand_id", "role");`);

    this.addSql(`create table "certification" ("id" serial primary key, "account_id" varchar(64) not null, "name" varchar(200) not null, "status" text check ("status" in ('IN_PROGRESS', 'COMPLETED')) not null, "completed_at" timestamptz null, "certificate_url" varchar(2000) null);`);
    this.addSql(`create index "certification_account_id_index" on "certification" ("account_id");`);

    this.addSql(`create table "community_account" ("id" serial primary key, "account_id" varchar(64) not null, "username" varchar(100) not null, "rank" varchar(100) not null, "member_since" timestamptz not null, "topics_participated" int not null default 0);`);
    this.addSql(`alter table "community_account" add constraint "community_account_account_id_unique" unique ("account_id");`);

    this.addSql(`create table "contract" ("id" serial primary key, "brand_id" varchar(64) not null, "number" varchar(50) not null, "start_date" date not null, "end_date" date not null, "primary_contact_first_name" varchar(100) not null, "primary_contact_last_name" varchar(100) not null, "primary_contact_email" varchar(320) not null, "primary_contact_updated_at" timestamptz null, "billing_contact_first_name" varchar(100) not null, "billing_contact_last_name" varchar(100) not null, "billing_contact_email" varchar(320) not null, "billing_contact_updated_at" timestamptz null, "contacts_confirmed_at" timestamptz null, "contacts_confirmed_for_end_date" date null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "contract" add constraint "contract_number_unique" unique ("number");`);
    this.addSql(`create index "contract_brand_id_index" on "contract" ("brand_id");`);

    this.addSql(`create table "billing_inquiry" ("id" serial primary key, "brand_id" varchar(64) not null, "account_id" varchar(64) not null, "contract_id" int null, "topic" varchar(40) not null, "subject" varchar(300) not null, "message" text not null, "created_at" timestamptz not null);`);

    this.addSql(`create table "email_preference" ("email" varchar(320) not null, "category" text check ("category" in ('PERSONALIZED_LEARNING', 'NEWS_AND_UPDATES', 'CUSTOMER_EVENTS', 'OPERATIONAL_UPDATES')) not null, "subscribed" boolean not null default true, "updated_at" timestamptz not null, constraint "email_preference_pkey" primary key ("email", "category"));`);

    this.addSql(`create table "license" ("id" serial primary key, "contract_id" int not null, "product" varchar(200) not null, "quantity" int not null);`);
    this.addSql(`create index "license_contract_id_index" on "license" ("contract_id");`);

    this.addSql(`create table "outbox_email" ("id" serial primary key, "to" varchar(320) not null, "subject" varchar(300) not null, "body" text not null, "template" varchar(50) not null, "ticket_id" int null, "created_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`create index "outbox_email_sent_at_index" on "outbox_email" ("sent_at");`);

    this.addSql(`create table "pending_preference_change" ("id" serial primary key, "email" varchar(320) not null, "category" text check ("category" in ('PERSONALIZED_LEARNING', 'NEWS_AND_UPDATES', 'CUSTOMER_EVENTS', 'OPERATIONAL_UPDATES')) not null, "subscribed" boolean not null, "source" varchar(20) not null default 'HUB', "requested_at" timestamptz not null, "effective_at" timestamptz not null, "applied_at" timestamptz null);`);
    this.addSql(`create index "pending_preference_change_effective_at_applied_at_index" on "pending_preference_change" ("effective_at", "applied_at");`);
    this.addSql(`create index "pending_preference_change_email_applied_at_index" on "pending_preference_change" ("email", "applied_at");`);

    this.addSql(`create table "ticket" ("id" serial primary key, "kind" text check ("kind" in ('EMAIL', 'PHONE', 'CHAT', 'CONFERENCE')) not null, "status" text check ("status" in ('OPEN', 'CLOSED', 'ESCALATED')) not null default 'OPEN', "subject" varchar(300) not null, "description" text not null default '', "description_language" varchar(35) not null default 'en', "support_language" text check ("support_language" in ('ENGLISH', 'SPANISH', 'PORTUGUESE', 'GERMAN', 'FRENCH', 'ITALIAN', 'DUTCH', 'JAPANESE')) not null default 'ENGLISH', "product_area" text check ("product_area" in ('SURVEY_PLATFORM', 'CX_DASHBOARDS', 'BX_DASHBOARDS', 'EMPLOYEE_ENGAGEMENT', 'EMPLOYEE_360', 'XM_DIRECTORY', 'WEBSITE_APP_FEEDBACK', 'STATS_IQ_CROSSTABS', 'COVID19_XM_SOLUTIONS', 'INTEGRATIONS_API', 'SSO_SETUP', 'ACCESSIBILITY', 'XM_DISCOVER_SOCIAL_CONNECT')) not null, "brand_id" varchar(64) not null, "submitter_id" varchar(64) not null, "assignee_id" varchar(64) null, "enterprise" boolean not null default false, "awaiting_verification" boolean not null default false, "enterprise_access_allowed" boolean null, "verified_at" timestamptz null, "idempotency_key" varchar(100) null, "phone_number" varchar(20) null, "phone_country" varchar(2) null, "phone_extension" varchar(10) null, "phone_confirmation_email" varchar(320) null, "phone_recording_consent" boolean null default true, "conference_scheduled_at" timestamptz null, "conference_call_status" text check ("conference_call_status" in ('PENDING', 'ACCEPTED')) null default 'PENDING', "conference_meeting_url" varchar(500) null, "conference_passcode" varchar(50) null, "conference_screen_share" boolean null default false, "created_at" timestamptz not null, "last_activity_at" timestamptz not null, "closed_at" timestamptz null);`);
    this.addSql(`create index "ticket_created_at_index" on "ticket" ("created_at");`);
    this.addSql(`create index "ticket_submitter_id_created_at_index" on "ticket" ("submitter_id", "created_at");`);
    this.addSql(`create index "ticket_brand_id_created_at_index" on "ticket" ("brand_id", "created_at");`);
    this.addSql(`alter table "ticket" add constraint "ticket_submitter_id_idempotency_key_unique" unique ("submitter_id", "idempotency_key");`);

    this.addSql(`create table "shared_resource" ("id" serial primary key, "ticket_id" int not null, "title" varchar(300) not null, "url" varchar(2000) not null, "shared_by_id" varchar(64) null, "shared_at" timestamptz not null);`);
    this.addSql(`create index "shared_resource_ticket_id_index" on "shared_resource" ("ticket_id");`);

    this.addSql(`create table "proxy_access_change" ("id" serial primary key, "ticket_id" int not null, "account_id" varchar(64) not null, "granted" boolean not null, "changed_at" timestamptz not null);`);
    this.addSql(`create index "proxy_access_change_ticket_id_account_id_changed_at_index" on "proxy_access_change" ("ticket_id", "account_id", "changed_at");`);

    this.addSql(`create table "message" ("id" serial primary key, "ticket_id" int not null, "author_kind" text check ("author_kind" in ('CUSTOMER', 'AGENT')) not null, "author_account_id" varchar(64) null, "author_agent_id" varchar(64) null, "subject" varchar(300) not null, "body_html" text not null, "recipients" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "message_ticket_id_created_at_index" on "message" ("ticket_id", "created_at");`);

    this.addSql(`create table "attachment" ("id" serial primary key, "message_id" int not null, "file_name" varchar(255) not null, "content_type" varchar(100) not null, "size_bytes" int not null, "sha256" varchar(64) not null, "storage_key" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "attachment_message_id_index" on "attachment" ("message_id");`);

    this.addSql(`create table "escalation" ("id" serial primary key, "ticket_id" int not null, "reference" varchar(40) not null, "problem_description" text not null, "product_area" text check ("product_area" in ('SURVEY_PLATFORM', 'CX_DASHBOARDS', 'BX_DASHBOARDS', 'EMPLOYEE_ENGAGEMENT', 'EMPLOYEE_360', 'XM_DIRECTORY', 'WEBSITE_APP_FEEDBACK', 'STATS_IQ_CROSSTABS', 'COVID19_XM_SOLUTIONS', 'INTEGRATIONS_API', 'SSO_SETUP', 'ACCESSIBILITY', 'XM_DISCOVER_SOCIAL_CONNECT')) not null, "status" text check ("status" in ('SUBMITTED', 'IN_REVIEW', 'ENGINEERING_IN_PROGRESS', 'VERIFYING_RESOLUTION', 'RESOLVED')) not null default 'SUBMITTED', "estimated_resolution_at" timestamptz null, "submitted_at" timestamptz not null, "resolved_at" timestamptz null);`);
    this.addSql(`alter table "escalation" add constraint "escalation_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`alter table "escalation" add constraint "escalation_reference_unique" unique ("reference");`);
    this.addSql(`create index "escalation_product_area_status_index" on "escalation" ("product_area", "status");`);

    this.addSql(`create table "escalation_timeline_entry" ("id" serial primary key, "escalation_id" int not null, "status" text check ("status" in ('SUBMITTED', 'IN_REVIEW', 'ENGINEERING_IN_PROGRESS', 'VERIFYING_RESOLUTION', 'RESOLVED')) not null, "reached_at" timestamptz not null);`);
    this.addSql(`alter table "escalation_timeline_entry" add constraint "escalation_timeline_entry_escalation_id_status_unique" unique ("escalation_id", "status");`);

    this.addSql(`create table "chat_transcript_entry" ("id" serial primary key, "ticket_id" int not null, "author_kind" text check ("author_kind" in ('CUSTOMER', 'AGENT', 'SYSTEM')) not null, "author_name" varchar(200) not null, "text" text not null, "sent_at" timestamptz not null);`);
    this.addSql(`create index "chat_transcript_entry_ticket_id_sent_at_index" on "chat_transcript_entry" ("ticket_id", "sent_at");`);

    this.addSql(`create table "callback_request" ("id" serial primary key, "ticket_id" int not null, "language" text check ("language" in ('ENGLISH', 'SPANISH', 'PORTUGUESE', 'GERMAN', 'FRENCH', 'ITALIAN', 'DUTCH', 'JAPANESE')) not null, "product_area" text check ("product_area" in ('SURVEY_PLATFORM', 'CX_DASHBOARDS', 'BX_DASHBOARDS', 'EMPLOYEE_ENGAGEMENT', 'EMPLOYEE_360', 'XM_DIRECTORY', 'WEBSITE_APP_FEEDBACK', 'STATS_IQ_CROSSTABS', 'COVID19_XM_SOLUTIONS', 'INTEGRATIONS_API', 'SSO_SETUP', 'ACCESSIBILITY', 'XM_DISCOVER_SOCIAL_CONNECT')) not null, "state" text check ("state" in ('WAITING', 'IN_CALL', 'DONE', 'CANCELLED')) not null default 'WAITING', "enqueued_at" timestamptz not null, "call_started_at" timestamptz null, "call_ended_at" timestamptz null, "english_fallback_offered" boolean not null default false, "english_fallback_accepted" boolean null);`);
    this.addSql(`alter table "callback_request" add constraint "callback_request_ticket_id_unique" unique ("ticket_id");`);
    this.addSql(`create index "callback_request_language_product_area_state_enqueued_at_index" on "callback_request" ("language", "product_area", "state", "enqueued_at");`);

    this.addSql(`create table "ticket_feedback" ("id" serial primary key, "ticket_id" int not null, "account_id" varchar(64) not null, "rating" smallint not null, "comment" text null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "ticket_feedback" add constraint "ticket_feedback_ticket_id_unique" unique ("ticket_id");`);

    this.addSql(`create table "ticket_participant" ("id" serial primary key, "ticket_id" int not null, "account_id" varchar(64) not null, "role" text check ("role" in ('SUBMITTER', 'ASSOCIATED')) not null default 'ASSOCIATED', "added_at" timestamptz not null);`);
    this.addSql(`create index "ticket_participant_account_id_ticket_id_index" on "ticket_participant" ("account_id", "ticket_id");`);
    this.addSql(`alter table "ticket_participant" add constraint "ticket_participant_ticket_id_account_id_unique" unique ("ticket_id", "account_id");`);

    this.addSql(`alter table "account_team" add constraint "account_team_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "account" add constraint "account_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade;`);

    this.addSql(`alter table "certification" add constraint "certification_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "community_account" add constraint "community_account_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "contract" add constraint "contract_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade;`);

    this.addSql(`alter table "billing_inquiry" add constraint "billing_inquiry_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade;`);
    this.addSql(`alter table "billing_inquiry" add constraint "billing_inquiry_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "license" add constraint "license_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "ticket" add constraint "ticket_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade;`);
    this.addSql(`alter table "ticket" add constraint "ticket_submitter_id_foreign" foreign key ("submitter_id") references "account" ("id") on update cascade;`);
    this.addSql(`alter table "ticket" add constraint "ticket_assignee_id_foreign" foreign key ("assignee_id") references "agent" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "shared_resource" add constraint "shared_resource_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "shared_resource" add constraint "shared_resource_shared_by_id_foreign" foreign key ("shared_by_id") references "agent" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "proxy_access_change" add constraint "proxy_access_change_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "proxy_access_change" add constraint "proxy_access_change_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);

    this.addSql(`alter table "message" add constraint "message_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message" add constraint "message_author_account_id_foreign" foreign key ("author_account_id") references "account" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "message" add constraint "message_author_agent_id_foreign" foreign key ("author_agent_id") references "agent" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "attachment" add constraint "attachment_message_id_foreign" foreign key ("message_id") references "message" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "escalation" add constraint "escalation_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "escalation_timeline_entry" add constraint "escalation_timeline_entry_escalation_id_foreign" foreign key ("escalation_id") references "escalation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "chat_transcript_entry" add constraint "chat_transcript_entry_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "callback_request" add constraint "callback_request_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "ticket_feedback" add constraint "ticket_feedback_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ticket_feedback" add constraint "ticket_feedback_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);

    this.addSql(`alter table "ticket_participant" add constraint "ticket_participant_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ticket_participant" add constraint "ticket_participant_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ticket" drop constraint "ticket_assignee_id_foreign";`);

    this.addSql(`alter table "shared_resource" drop constraint "shared_resource_shared_by_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_author_agent_id_foreign";`);

    this.addSql(`alter table "account_team" drop constraint "account_team_brand_id_foreign";`);

    this.addSql(`alter table "account" drop constraint "account_brand_id_foreign";`);

    this.addSql(`alter table "contract" drop constraint "contract_brand_id_foreign";`);

    this.addSql(`alter table "billing_inquiry" drop constraint "billing_inquiry_brand_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_brand_id_foreign";`);

    this.addSql(`alter table "certification" drop constraint "certification_account_id_foreign";`);

    this.addSql(`alter table "community_account" drop constraint "community_account_account_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_submitter_id_foreign";`);

    this.addSql(`alter table "proxy_access_change" drop constraint "proxy_access_change_account_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_author_account_id_foreign";`);

    this.addSql(`alter table "ticket_feedback" drop constraint "ticket_feedback_account_id_foreign";`);

    this.addSql(`alter table "ticket_participant" drop constraint "ticket_participant_account_id_foreign";`);

    this.addSql(`alter table "billing_inquiry" drop constraint "billing_inquiry_contract_id_foreign";`);

    this.addSql(`alter table "license" drop constraint "license_contract_id_foreign";`);

    this.addSql(`alter table "shared_resource" drop constraint "shared_resource_ticket_id_foreign";`);

    this.addSql(`alter table "proxy_access_change" drop constraint "proxy_access_change_ticket_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_ticket_id_foreign";`);

    this.addSql(`alter table "escalation" drop constraint "escalation_ticket_id_foreign";`);

    this.addSql(`alter table "chat_transcript_entry" drop constraint "chat_transcript_entry_ticket_id_foreign";`);

    this.addSql(`alter table "callback_request" drop constraint "callback_request_ticket_id_foreign";`);

    this.addSql(`alter table "ticket_feedback" drop constraint "ticket_feedback_ticket_id_foreign";`);

    this.addSql(`alter table "ticket_participant" drop constraint "ticket_participant_ticket_id_foreign";`);

    this.addSql(`alter table "attachment" drop constraint "attachment_message_id_foreign";`);

    this.addSql(`alter table "escalation_timeline_entry" drop constraint "escalation_timeline_entry_escalation_id_foreign";`);

    this.addSql(`drop table if exists "agent" cascade;`);

    this.addSql(`drop table if exists "application_component" cascade;`);

    this.addSql(`drop table if exists "brand" cascade;`);

    this.addSql(`drop table if exists "account_team" cascade;`);

    this.addSql(`drop table if exists "account" cascade;`);

    this.addSql(`drop table if exists "certification" cascade;`);

    this.addSql(`drop table if exists "community_account" cascade;`);

    this.addSql(`drop table if exists "contract" cascade;`);

    this.addSql(`drop table if exists "billing_inquiry" cascade;`);

    this.addSql(`drop table if exists "email_preference" cascade;`);

    this.addSql(`drop table if exists "license" cascade;`);

    this.addSql(`drop table if exists "outbox_email" cascade;`);

    this.addSql(`drop table if exists "pending_preference_change" cascade;`);

    this.addSql(`drop table if exists "ticket" cascade;`);

    this.addSql(`drop table if exists "shared_resource" cascade;`);

    this.addSql(`drop table if exists "proxy_access_change" cascade;`);

    this.addSql(`drop table if exists "message" cascade;`);

    this.addSql(`drop table if exists "attachment" cascade;`);

    this.addSql(`drop table if exists "escalation" cascade;`);

    this.addSql(`drop table if exists "escalation_timeline_entry" cascade;`);

    this.addSql(`drop table if exists "chat_transcript_entry" cascade;`);

    this.addSql(`drop table if exists "callback_request" cascade;`);

    this.addSql(`drop table if exists "ticket_feedback" cascade;`);

    this.addSql(`drop table if exists "ticket_participant" cascade;`);
  }

}
