import { Migration } from '@mikro-orm/migrations';

// Issue 17 point 4: the topic picked on the contact page (CON-2) on the ticket; an index for the
// support history sorted by last activity within a brand.

export class Migration20261202062042_ticket_topic extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "ticket" add column "topic" text check ("topic" in ('TECHNICAL_ISSUE', 'HOW_TO_QUESTION', 'LOGIN_AND_ACCOUNT_ACCESS', 'THEME_REQUEST', 'OTHER_REQUEST')) null;`);
    this.addSql(`create index "ticket_brand_id_last_activity_at_index" on "ticket" ("brand_id", "last_activity_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "ticket_brand_id_last_activity_at_index";`);
    this.addSql(`alter table "ticket" drop column "topic";`);
  }

}
