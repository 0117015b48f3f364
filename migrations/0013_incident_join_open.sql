-- Alerts joining their groups' open incidents (src/incidents/alert-links.ts, ADR 0007): the link
-- rows, one timeline event per link that changed, and what was decided, in one call. It writes
-- incidents' tables only; the alerts domain records on its own rows the incident each alert joined
-- (`alert_incidents`), in the statement that calls this function (src/alerts/store.ts).
--
-- `joining`: the alerts as a JSON array of {ord, group_key, alert_id, fingerprint, labels, summary,
-- joined_text, refired_text}; `joined_at`: the time. The open states are those of the partial
-- unique index `incidents_open_group_idx` (and of OPEN_STATES in src/incidents/schema.ts), so each
-- group finds its one open incident through that index. A function keeps its plan per connection,
-- as the prepared statement it replaces did.
CREATE FUNCTION "nexus_incidents_join_open"(joining jsonb, joined_at timestamptz)
RETURNS TABLE (open_incidents json, joined_events json, alert_incidents jsonb)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(joining) AS x(ord int, group_key text, alert_id text, fingerprint text, labels jsonb,
        summary text, joined_text text, refired_text text)
    ), open AS (
      SELECT i.id, i.group_key, i.severity FROM "incidents" i
      WHERE i.group_key IN (SELECT x.group_key FROM x) AND i.state IN ('triggered', 'acknowledged', 'mitigated')
    ), linked AS (
      INSERT INTO "incident_alerts" AS l ("incident_id", "alert_id", "fingerprint", "labels", "summary", "fired_at")
      SELECT open.id, x.alert_id, x.fingerprint, x.labels, x.summary, joined_at FROM x JOIN open ON open.group_key = x.group_key
      ON CONFLICT ("incident_id", "alert_id") DO UPDATE SET "resolved_at" = NULL, "fired_at" = excluded."fired_at"
        WHERE l."resolved_at" IS NOT NULL
      RETURNING l."incident_id", l."alert_id", (l.xmax = 0) AS inserted
    ), events AS (
      INSERT INTO "incident_events" AS e ("incident_id", "kind", "actor", "summary", "data", "at")
      SELECT linked.incident_id, CASE WHEN linked.inserted THEN 'alert.joined' ELSE 'alert.refired' END, 'system',
        CASE WHEN linked.inserted THEN x.joined_text ELSE x.refired_text END,
        jsonb_build_object('alertId', x.alert_id, 'fingerprint', x.fingerprint, 'labels', x.labels), joined_at
      FROM linked JOIN x ON x.alert_id = linked.alert_id
      ORDER BY x.ord
      RETURNING e."seq", e."incident_id", e."kind", e."actor", e."summary", e."data", e."dedupe_key", e."at"
    )
    SELECT (SELECT coalesce(json_agg(json_build_object('id', open.id, 'groupKey', open.group_key, 'severity', open.severity)), '[]') FROM open),
      (SELECT coalesce(json_agg(events ORDER BY events.seq), '[]') FROM events),
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', x.alert_id, 'incident', open.id)), '[]') FROM x JOIN open ON open.group_key = x.group_key);
END $$;
