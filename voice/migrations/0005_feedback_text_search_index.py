"""Text search (`q`) on PostgreSQL: a trigram GIN index on the feedback text, per organization.

`text__icontains` compiles to `UPPER(text) LIKE UPPER('%…%')` on PostgreSQL, so the index is on
`UPPER(text)` (a no-op for Chinese). It needs the trusted extensions pg_trgm and btree_gin (for
the leading organization_id); where they cannot be created the index is skipped with a
warning and search stays correct, only slower. SQLite has no such index.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "fb_org_text_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except Exception as exc:  # noqa: BLE001 (no privilege or extension: search works unindexed)
        logger.warning("text search index skipped: %s", exc)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON voice_feedback "
        "USING gin (organization_id, UPPER(text) gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("voice", "0004_import_job_updated_at"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
