ALTER TABLE "alert_routing_rules" ALTER COLUMN "severity" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "closed_reason" text;