"""PostgreSQL statement triggers marking (organization, local day) dirty in the writing
transaction, for every write to feedback and feedback-topic links (ORM, bulk, COPY, admin):
the rollups can never silently miss a change. SQLite has no rollups (raw path) and no triggers.

Also a covering index on interactions for the duration metrics (raw path, index-only scans).
"""

from django.db import migrations

FEEDBACK_COLUMNS = ("organization_id", "occurred_at", "touchpoint_id", "channel", "segment", "nps",
                    "csat", "ces", "sentiment_label", "sentiment_score")
CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in FEEDBACK_COLUMNS)

CREATE = f"""
CREATE OR REPLACE FUNCTION metrics_mark_feedback_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO metrics_dirtyday (organization_id, day, marked_at)
    SELECT DISTINCT n.organization_id, (n.occurred_at AT TIME ZONE org.timezone)::date, now()
    FROM metrics_new_rows n JOIN cem_organization org ON org.id = n.organization_id;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO metrics_dirtyday (organization_id, day, marked_at)
    SELECT DISTINCT o.organization_id, (o.occurred_at AT TIME ZONE org.timezone)::date, now()
    FROM metrics_old_rows o JOIN cem_organization org ON org.id = o.organization_id;
  ELSE
    INSERT INTO metrics_dirtyday (organization_id, day, marked_at)
    SELECT DISTINCT c.organization_id, (c.occurred_at AT TIME ZONE org.timezone)::date, now()
    FROM (SELECT o.organization_id, o.occurred_at FROM metrics_old_rows o
            JOIN metrics_new_rows n ON n.id = o.id WHERE {CHANGED}
          UNION ALL
          SELECT n.organization_id, n.occurred_at FROM metrics_old_rows o
            JOIN metrics_new_rows n ON n.id = o.id WHERE {CHANGED}) c
    JOIN cem_organization org ON org.id = c.organization_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION metrics_mark_topic_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO metrics_dirtyday (organization_id, day, marked_at)
    SELECT DISTINCT f.organization_id, (f.occurred_at AT TIME ZONE org.timezone)::date, now()
    FROM metrics_new_rows n JOIN voice_feedback f ON f.id = n.feedback_id
    JOIN cem_organization org ON org.id = f.organization_id;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- NOTE: links deleted with their feedback find no feedback here; its own trigger marks.
    INSERT INTO metrics_dirtyday (organization_id, day, marked_at)
    SELECT DISTINCT f.organization_id, (f.occurred_at AT TIME ZONE org.timezone)::date, now()
    FROM metrics_old_rows o JOIN voice_feedback f ON f.id = o.feedback_id
    JOIN cem_organization org ON org.id = f.organization_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER metrics_feedback_ins AFTER INSERT ON voice_feedback
  REFERENCING NEW TABLE AS metrics_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_feedback_days();
CREATE TRIGGER metrics_feedback_upd AFTER UPDATE ON voice_feedback
  REFERENCING OLD TABLE AS metrics_old_rows NEW TABLE AS metrics_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_feedback_days();
CREATE TRIGGER metrics_feedback_del AFTER DELETE ON voice_feedback
  REFERENCING OLD TABLE AS metrics_old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_feedback_days();
CREATE TRIGGER metrics_topic_ins AFTER INSERT ON voice_feedbacktopic
  REFERENCING NEW TABLE AS metrics_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_topic_days();
CREATE TRIGGER metrics_topic_upd AFTER UPDATE ON voice_feedbacktopic
  REFERENCING OLD TABLE AS metrics_old_rows NEW TABLE AS metrics_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_topic_days();
CREATE TRIGGER metrics_topic_del AFTER DELETE ON voice_feedbacktopic
  REFERENCING OLD TABLE AS metrics_old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_mark_topic_days();

CREATE INDEX IF NOT EXISTS metrics_inter_org_opened_cover_idx ON voice_interaction
  (organization_id, opened_at) INCLUDE (reopened_at, first_response_at, resolved_at,
  touchpoint_id, channel, segment);
"""

DROP = """
DROP INDEX IF EXISTS metrics_inter_org_opened_cover_idx;
DROP TRIGGER IF EXISTS metrics_feedback_ins ON voice_feedback;
DROP TRIGGER IF EXISTS metrics_feedback_upd ON voice_feedback;
DROP TRIGGER IF EXISTS metrics_feedback_del ON voice_feedback;
DROP TRIGGER IF EXISTS metrics_topic_ins ON voice_feedbacktopic;
DROP TRIGGER IF EXISTS metrics_topic_upd ON voice_feedbacktopic;
DROP TRIGGER IF EXISTS metrics_topic_del ON voice_feedbacktopic;
DROP FUNCTION IF EXISTS metrics_mark_feedback_days();
DROP FUNCTION IF EXISTS metrics_mark_topic_days();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_rollups"),
        ("voice", "0005_feedback_text_search_index"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
