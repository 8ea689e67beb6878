"""Audit actions of the voice app's taxonomy and text-analytics jobs (labels on the audit page)."""

from django.utils.translation import gettext_lazy as _

from cem.audit import register_audit_action

TOPIC_CREATED = "topic.created"
TOPIC_CHANGED = "topic.changed"
TOPIC_DEACTIVATED = "topic.deactivated"
TOPIC_DELETED = "topic.deleted"
TOPIC_SUGGESTION_ACCEPTED = "topic_suggestion.accepted"
TOPIC_SUGGESTION_DISMISSED = "topic_suggestion.dismissed"
REANALYSIS_REQUESTED = "reanalysis.requested"


def register() -> None:
    for action, label in (
        (TOPIC_CREATED, _("Topic created")),
        (TOPIC_CHANGED, _("Topic changed")),
        (TOPIC_DEACTIVATED, _("Topic deactivated")),
        (TOPIC_DELETED, _("Topic deleted")),
        (TOPIC_SUGGESTION_ACCEPTED, _("Suggested topic accepted")),
        (TOPIC_SUGGESTION_DISMISSED, _("Suggested topic dismissed")),
        (REANALYSIS_REQUESTED, _("Re-analysis of past feedback requested")),
    ):
        register_audit_action(action, label)
