CREATE TABLE "schedule_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"due_at" timestamp with time zone,
	"status" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_id" uuid,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"progress_fraction" real,
	"progress_message" text,
	"summary" text,
	"details" jsonb,
	"runbook_run_id" uuid,
	"notification" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_runs_trigger_valid" CHECK ("schedule_runs"."trigger" IN ('due', 'catch-up', 'manual', 'missed')),
	CONSTRAINT "schedule_runs_status_valid" CHECK ("schedule_runs"."status" IN ('queued', 'running', 'ok', 'failed', 'missed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "schedule_seeds" (
	"seed_key" text PRIMARY KEY NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"cron" text NOT NULL,
	"time_zone" text NOT NULL,
	"target_kind" text NOT NULL,
	"task_key" text,
	"runbook_id" uuid,
	"procedure_id" text,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" uuid NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"missed_policy" text DEFAULT 'run-once' NOT NULL,
	"next_due_at" timestamp with time zone,
	"seed_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedules_name_unique" UNIQUE("name"),
	CONSTRAINT "schedules_seed_key_unique" UNIQUE("seed_key"),
	CONSTRAINT "schedules_target_kind_valid" CHECK ("schedules"."target_kind" IN ('task', 'runbook')),
	CONSTRAINT "schedules_target_complete" CHECK (("schedules"."target_kind" = 'task' AND "schedules"."task_key" IS NOT NULL) OR ("schedules"."target_kind" = 'runbook' AND "schedules"."runbook_id" IS NOT NULL AND "schedules"."procedure_id" IS NOT NULL)),
	CONSTRAINT "schedules_missed_policy_valid" CHECK ("schedules"."missed_policy" IN ('run-once', 'skip'))
);
--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_runs_due_once" ON "schedule_runs" USING btree ("schedule_id","due_at");--> statement-breakpoint
CREATE INDEX "schedule_runs_history_idx" ON "schedule_runs" USING btree ("schedule_id","created_at","id");--> statement-breakpoint
CREATE INDEX "schedule_runs_open_idx" ON "schedule_runs" USING btree ("status") WHERE "schedule_runs"."status" IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "schedules" USING btree ("next_due_at") WHERE "schedules"."enabled";