ALTER TABLE "incidents" ADD COLUMN "escalation_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "next_page_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "incidents_next_page_idx" ON "incidents" USING btree ("next_page_at") WHERE next_page_at IS NOT NULL;