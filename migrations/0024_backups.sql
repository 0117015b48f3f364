CREATE TABLE "backups" (
	"id" text PRIMARY KEY NOT NULL,
	"target" text NOT NULL,
	"location" text NOT NULL,
	"engine" text NOT NULL,
	"format" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"schema_version" text NOT NULL,
	"row_counts" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"verified_at" timestamp with time zone,
	"verify_ok" boolean,
	"verify_message" text,
	"drilled_at" timestamp with time zone,
	"drill_seconds" double precision
);
--> statement-breakpoint
CREATE TABLE "maintenance_mode" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"reason" text NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"failed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "backups_created_at_idx" ON "backups" USING btree ("created_at");--> statement-breakpoint
-- One switch for the whole installation: a second row would be a second, contradictory state.
ALTER TABLE "maintenance_mode" ADD CONSTRAINT "maintenance_mode_single_row" CHECK ("id" = 1);
