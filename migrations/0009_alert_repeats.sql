ALTER TABLE "alerts" ADD COLUMN "content_version" text;--> statement-breakpoint
-- Repeats whose content is unchanged (src/alerts/store.ts, UPSERT_SQL) only bump count and
-- last-seen, while the row still carries the content version the caller last wrote. One that no
-- longer does (another replica wrote the alert since) fails the whole statement, so the delivery
-- commits all or nothing and is sent again in full.
--
-- Plans in functions are cached per connection and were made once: written as joins, a plan
-- made while the table was tiny (a fresh install; the machine may not analyse) scanned the whole
-- table for every repeat once it had grown. So no joins: each repeat goes through the
-- fingerprint's unique index (ON CONFLICT always does; a missing row inserts a placeholder that
-- the check below rolls back with everything else).
CREATE FUNCTION "nexus_alert_repeats"(repeats jsonb) RETURNS TABLE (id uuid, fingerprint text, incident_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  sent bigint := jsonb_array_length(repeats);
  matched bigint;
BEGIN
  RETURN QUERY
    WITH bumped AS (
      INSERT INTO "alerts" AS a ("fingerprint", "source", "status", "labels", "annotations", "group_key", "starts_at",
        "receive_count", "first_seen_at", "last_seen_at", "content_version")
      SELECT r.fingerprint, '', r.status, '{}', '{}', '', r.last_seen_at, r.receive_count, r.last_seen_at, r.last_seen_at, r.content_version
      FROM jsonb_to_recordset(repeats) AS r(fingerprint text, content_version text, status text, receive_count bigint, last_seen_at timestamptz)
      ON CONFLICT ("fingerprint") DO UPDATE SET "receive_count" = a."receive_count" + excluded."receive_count", "last_seen_at" = excluded."last_seen_at"
        -- The status as well: a writer that predates versions (an older replica during an upgrade)
        -- leaves the version as it was, and a repeat must never keep an alert resolved that fires.
        WHERE a."content_version" = excluded."content_version" AND a."status" = excluded."status"
      RETURNING a."id", a."fingerprint", a."incident_id", (a.xmax = 0) AS placeholder
    )
    SELECT b.id, b.fingerprint, b.incident_id FROM bumped b WHERE NOT b.placeholder;
  GET DIAGNOSTICS matched = ROW_COUNT;
  IF matched < sent THEN
    RAISE EXCEPTION '% of % repeated alerts no longer match their stored content', sent - matched, sent USING ERRCODE = 'NX001';
  END IF;
END $$;
--> statement-breakpoint
-- Links alerts back to the incidents they paged: one update by primary key per alert, for the
-- same reason (no join whose plan could turn into a scan of the table).
CREATE FUNCTION "nexus_alerts_link_incidents"(pairs jsonb) RETURNS void
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  pair record;
BEGIN
  FOR pair IN SELECT * FROM jsonb_to_recordset(pairs) AS x(id uuid, incident uuid) LOOP
    UPDATE "alerts" SET "incident_id" = pair.incident WHERE "id" = pair.id;
  END LOOP;
END $$;
