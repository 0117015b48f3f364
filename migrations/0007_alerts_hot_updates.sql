-- Repeats of an alert (most of what the receivers write) become heap-only (HOT)
-- updates: no index covers last_seen_at any more, and pages keep 30 % free so
-- the new row version fits beside the old one. Lists go newest-started first.
DROP INDEX "alerts_last_seen_idx";--> statement-breakpoint
DROP INDEX "alerts_status_idx";--> statement-breakpoint
CREATE INDEX "alerts_starts_idx" ON "alerts" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "alerts_status_starts_idx" ON "alerts" USING btree ("status","starts_at","id");--> statement-breakpoint
ALTER TABLE "alerts" SET (fillfactor = 70);
