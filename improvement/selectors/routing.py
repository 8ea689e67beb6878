"""Reads for routing: departments with what they own, topics and touchpoints by name/key."""

from __future__ import annotations

from cem import selectors as cem_selectors
from journeys.models import Touchpoint
from voice.models import Topic


def department_ownership(*, organization) -> list[dict]:
    """Every department with the topic names and touchpoint keys it owns (3 queries)."""
    topics: dict[int, list[str]] = {}
    for department_id, name in (Topic.objects.filter(organization=organization, department__isnull=False)
                                .order_by("name").values_list("department_id", "name")):
        topics.setdefault(department_id, []).append(name)
    touchpoints: dict[int, list[str]] = {}
    for department_id, key in (Touchpoint.objects.filter(organization=organization,
                                                         department__isnull=False)
                               .order_by("key").values_list("department_id", "key")):
        touchpoints.setdefault(department_id, []).append(key)
    return [{"id": d.pk, "name": d.name, "is_default": d.is_default, "created_at": d.created_at,
             "parent": {"id": d.parent_id, "name": d.parent.name} if d.parent_id else None,
             "lead": d.lead, "topics": topics.get(d.pk, []), "touchpoints": touchpoints.get(d.pk, [])}
            for d in cem_selectors.department_list(organization=organization)]


def topic_list(*, organization):
    return Topic.objects.filter(organization=organization).select_related("department").order_by("name")


def topic_get_by_name(*, organization, name: str) -> Topic | None:
    return Topic.objects.filter(organization=organization, name=name).first()


def topic_get(*, organization, topic_id: int) -> Topic:
    return topic_list(organization=organization).get(pk=topic_id)


def touchpoint_list(*, organization):
    return (Touchpoint.objects.filter(organization=organization)
            .select_related("stage__journey", "department").order_by("stage__journey__name", "stage__position",
                                                                      "position", "id"))


def touchpoint_get_by_key(*, organization, key: str) -> Touchpoint | None:
    return Touchpoint.objects.filter(organization=organization, key=key).first()


def touchpoint_get(*, organization, touchpoint_id: int) -> Touchpoint:
    return touchpoint_list(organization=organization).get(pk=touchpoint_id)
