CREATE TABLE "deployment_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"summary" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_measurements" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" uuid NOT NULL,
	"step_index" integer NOT NULL,
	"round" integer NOT NULL,
	"metric" text NOT NULL,
	"value" double precision,
	"phase" text NOT NULL,
	"message" text,
	"weight" integer NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_steps" (
	"deployment_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"kind" text NOT NULL,
	"spec" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"message" text,
	"round_base" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "deployment_steps_deployment_id_index_pk" PRIMARY KEY("deployment_id","index")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service" text NOT NULL,
	"strategy" text NOT NULL,
	"router" text NOT NULL,
	"stable_version" text NOT NULL,
	"stable_upstream" text NOT NULL,
	"version" text NOT NULL,
	"upstream" text NOT NULL,
	"image" text,
	"analysis" jsonb,
	"scale_down_delay_seconds" integer DEFAULT 30 NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"reason" text,
	"current_step" integer DEFAULT 0 NOT NULL,
	"canary_weight" integer DEFAULT 0 NOT NULL,
	"intent_weight" integer,
	"stable_retired" boolean DEFAULT false NOT NULL,
	"incident_id" uuid,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "deployments_strategy_check" CHECK ("deployments"."strategy" IN ('canary', 'blue-green')),
	CONSTRAINT "deployments_weight_check" CHECK ("deployments"."canary_weight" BETWEEN 0 AND 100 AND ("deployments"."intent_weight" IS NULL OR "deployments"."intent_weight" BETWEEN 0 AND 100))
);
--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_measurements" ADD CONSTRAINT "deployment_measurements_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_steps" ADD CONSTRAINT "deployment_steps_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_events_idx" ON "deployment_events" USING btree ("deployment_id","seq");--> statement-breakpoint
CREATE INDEX "deployment_measurements_idx" ON "deployment_measurements" USING btree ("deployment_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_measurements_round_idx" ON "deployment_measurements" USING btree ("deployment_id","step_index","round","metric");--> statement-breakpoint
CREATE INDEX "deployments_created_idx" ON "deployments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_service_idx" ON "deployments" USING btree ("service","created_at");--> statement-breakpoint
CREATE INDEX "deployments_due_idx" ON "deployments" USING btree ("next_at") WHERE state IN ('progressing', 'aborting', 'rolling_back');--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_active_service_idx" ON "deployments" USING btree ("service") WHERE state IN ('progressing', 'paused', 'aborting', 'rolling_back');