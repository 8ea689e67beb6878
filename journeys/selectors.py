"""Reads of journeys, stages and touchpoints; every function takes `organization=`."""

from django.db.models import QuerySet

from journeys.models import Journey, Touchpoint


def touchpoint_list(*, organization) -> QuerySet[Touchpoint]:
    return (Touchpoint.objects.filter(organization=organization)
            .select_related("stage", "stage__journey", "department"))


def touchpoints_by_key(*, organization) -> dict[str, Touchpoint]:
    """Every touchpoint of the organization keyed by its `key` (for validating feedback)."""
    return {tp.key: tp for tp in Touchpoint.objects.filter(organization=organization)}


def journey_list(*, organization) -> QuerySet[Journey]:
    return Journey.objects.filter(organization=organization)
