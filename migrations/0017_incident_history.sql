DROP INDEX "incidents_created_idx";--> statement-breakpoint
CREATE INDEX "incidents_triggered_idx" ON "incidents" USING btree ("triggered_at","id");--> statement-breakpoint
CREATE INDEX "incidents_service_idx" ON "incidents" USING btree ("service","triggered_at");--> statement-breakpoint
CREATE INDEX "incidents_assignee_idx" ON "incidents" USING btree ("assignee_id","triggered_at");