"""Every existing organization gets the default topic taxonomy (voice/taxonomy.py).

Idempotent: topics whose names already exist are left as they are. NOTE: the keyword lists
come from the live module (they are data, not schema), so a later edit there applies here too.
"""

from django.db import migrations

from voice.taxonomy import DEFAULT_TAXONOMY

TAXONOMY = {name: list(keywords) for name, keywords in DEFAULT_TAXONOMY.items()}


def install(apps, schema_editor):
    Organization = apps.get_model("cem", "Organization")
    Topic = apps.get_model("voice", "Topic")
    for org_id in Organization.objects.values_list("pk", flat=True):
        existing = set(Topic._default_manager.filter(organization_id=org_id, name__in=list(TAXONOMY))
                       .values_list("name", flat=True))
        Topic._default_manager.bulk_create(
            [Topic(organization_id=org_id, name=name, keywords=keywords, origin="default")
             for name, keywords in TAXONOMY.items() if name not in existing],
            ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cem", "0002_audit_event"),
        ("voice", "0005_feedback_text_search_index"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
