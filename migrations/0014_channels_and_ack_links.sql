CREATE TABLE "incident_ack_links_used" (
	"nonce" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notify_channels" DROP CONSTRAINT "notify_channels_kind_check";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "ack_link" jsonb;--> statement-breakpoint
ALTER TABLE "notify_channels" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "incident_ack_links_used" ADD CONSTRAINT "incident_ack_links_used_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_channels" ADD CONSTRAINT "notify_channels_kind_check" CHECK ("notify_channels"."kind" IN ('slack', 'webhook', 'email', 'teams', 'mattermost', 'discord', 'telegram', 'ntfy', 'sms', 'voice'));