ALTER TABLE "incident_sla_breaches" DROP CONSTRAINT "incident_sla_breaches_incident_id_kind_pk";--> statement-breakpoint
ALTER TABLE "incident_sla_breaches" ADD CONSTRAINT "incident_sla_breaches_incident_id_kind_due_at_pk" PRIMARY KEY("incident_id","kind","due_at");--> statement-breakpoint
CREATE INDEX "incidents_ack_due_idx" ON "incidents" USING btree ("ack_due_at") WHERE acknowledged_at IS NULL AND resolved_at IS NULL;--> statement-breakpoint
CREATE INDEX "incidents_resolve_due_idx" ON "incidents" USING btree ("resolve_due_at") WHERE resolved_at IS NULL;--> statement-breakpoint
CREATE INDEX "incidents_late_stop_idx" ON "incidents" USING btree ("updated_at") WHERE COALESCE(acknowledged_at, resolved_at) > ack_due_at OR resolved_at > resolve_due_at;