CREATE TABLE "incident_pages" (
	"incident_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"level" integer NOT NULL,
	"notification_id" uuid NOT NULL,
	"after_minutes" integer NOT NULL,
	"early" boolean DEFAULT false NOT NULL,
	"last" boolean NOT NULL,
	"targets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"paged_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	"reached" boolean,
	"outcome" jsonb,
	CONSTRAINT "incident_pages_incident_id_started_at_level_pk" PRIMARY KEY("incident_id","started_at","level")
);
--> statement-breakpoint
ALTER TABLE "incident_pages" ADD CONSTRAINT "incident_pages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_pages_notification_idx" ON "incident_pages" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "incident_pages_unsettled_idx" ON "incident_pages" USING btree ("paged_at") WHERE settled_at IS NULL;