CREATE TABLE "runner_leases" (
	"lease_id" uuid PRIMARY KEY NOT NULL,
	"runner_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"leased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enrolment_hash" text NOT NULL,
	"enrolment_expires_at" timestamp with time zone NOT NULL,
	"credential_hash" text,
	"credential_prefix" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enrolled_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "runners_enrolment_hash_unique" UNIQUE("enrolment_hash"),
	CONSTRAINT "runners_credential_hash_unique" UNIQUE("credential_hash")
);
--> statement-breakpoint
ALTER TABLE "runner_leases" ADD CONSTRAINT "runner_leases_runner_id_runners_id_fk" FOREIGN KEY ("runner_id") REFERENCES "public"."runners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_leases" ADD CONSTRAINT "runner_leases_step_id_run_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."run_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runners" ADD CONSTRAINT "runners_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runners" ADD CONSTRAINT "runners_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runner_leases_step_idx" ON "runner_leases" USING btree ("step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runners_live_name_idx" ON "runners" USING btree ("name") WHERE "runners"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "runners_created_idx" ON "runners" USING btree ("created_at","id");