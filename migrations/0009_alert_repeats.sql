ALTER TABLE "alerts" ADD COLUMN "content_version" text;--> statement-breakpoint
-- Repeats whose content is unchanged (src/alerts/store.ts, UPSERT_SQL) only bump count and
-- last-seen, while the row still carries the content version the caller last wrote. One that no
-- longer does (another replica wrote the alert since) fails the whole statement, so the delivery
-- commits all or nothing and is sent again in full.
--
-- The join must stay an index lookup per repeat at any table size: the plan is made once per
-- connection and kept, and a plan made while the table was small (or never analysed) would be a
-- sequential scan, paid again for every repeat once the table has grown.
CREATE FUNCTION "nexus_alert_repeats"(repeats jsonb) RETURNS TABLE (id uuid, fingerprint text, incident_id uuid)
LANGUAGE plpgsql SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
#variable_conflict use_column
DECLARE
  sent bigint := jsonb_array_length(repeats);
  matched bigint;
BEGIN
  RETURN QUERY
    UPDATE "alerts" AS a SET "receive_count" = a."receive_count" + r.receive_count, "last_seen_at" = r.last_seen_at
    FROM jsonb_to_recordset(repeats) AS r(fingerprint text, content_version text, status text, receive_count bigint, last_seen_at timestamptz)
    -- The status as well: a writer that predates versions (an older replica during an upgrade)
    -- leaves the version as it was, and a repeat must never keep an alert resolved that fires.
    WHERE a."fingerprint" = r.fingerprint AND a."content_version" = r.content_version AND a."status" = r.status
    RETURNING a."id", a."fingerprint", a."incident_id";
  GET DIAGNOSTICS matched = ROW_COUNT;
  IF matched < sent THEN
    RAISE EXCEPTION '% of % repeated alerts no longer match their stored content', sent - matched, sent USING ERRCODE = 'NX001';
  END IF;
END $$;
--> statement-breakpoint
-- Links alerts back to the incidents they paged: also an index lookup per alert at any table size.
CREATE FUNCTION "nexus_alerts_link_incidents"(pairs jsonb) RETURNS void
LANGUAGE plpgsql SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  UPDATE "alerts" AS a SET "incident_id" = x.incident
  FROM jsonb_to_recordset(pairs) AS x(id uuid, incident uuid)
  WHERE a."id" = x.id;
END $$;
