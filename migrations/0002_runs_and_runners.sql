CREATE TABLE "run_secrets" (
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"sealed" text NOT NULL,
	CONSTRAINT "run_secrets_run_id_name_pk" PRIMARY KEY("run_id","name"),
	CONSTRAINT "run_secrets_kind_valid" CHECK ("run_secrets"."kind" IN ('parameter','variable'))
);
--> statement-breakpoint
ALTER TABLE "run_checks" ALTER COLUMN "checked_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "run_checks" ALTER COLUMN "checked_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "run_checks" ADD COLUMN "seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_checks" ADD COLUMN "text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "title" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "placeholders" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "assigns" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "expect" text;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "selector_labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "lease_id" uuid;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "output_tail" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "variables" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "procedure_title" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_secrets" ADD CONSTRAINT "run_secrets_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;