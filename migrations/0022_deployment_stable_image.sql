ALTER TABLE "deployments" ADD COLUMN "stable_image" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "stable_handover" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_handover_check" CHECK ("deployments"."stable_handover" IS NULL OR "deployments"."stable_handover" IN ('promoting', 'promoted'));