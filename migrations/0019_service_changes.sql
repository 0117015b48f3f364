CREATE TABLE "service_changes" (
	"deployment_id" uuid PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"version" text NOT NULL,
	"stable_version" text NOT NULL,
	"strategy" text,
	"state" text NOT NULL,
	"weight" integer NOT NULL,
	"weight_at" timestamp with time zone NOT NULL,
	"last_seq" bigint NOT NULL,
	"last_kind" text NOT NULL,
	"last_summary" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "service_changes_service_idx" ON "service_changes" USING btree ("service","last_at");