ALTER TABLE "run_steps" ADD COLUMN "needs_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD COLUMN "imported_by_id" uuid;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_imported_by_id_users_id_fk" FOREIGN KEY ("imported_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Versions imported before this migration: the importer by the username they recorded.
UPDATE "runbook_versions" AS v SET "imported_by_id" = u."id" FROM "users" AS u WHERE u."username" = v."imported_by";