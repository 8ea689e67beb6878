"""Reads of journeys, stages and touchpoints; every function takes `organization=`."""

from django.db.models import Count, Prefetch, QuerySet

from journeys.models import Journey, Stage, Touchpoint


def touchpoint_list(*, organization) -> QuerySet[Touchpoint]:
    return (Touchpoint.objects.filter(organization=organization)
            .select_related("stage", "stage__journey", "department"))


def touchpoints_by_key(*, organization) -> dict[str, Touchpoint]:
    """Every touchpoint of the organization keyed by its `key` (for validating feedback)."""
    return {tp.key: tp for tp in Touchpoint.objects.filter(organization=organization)}


def journey_list(*, organization) -> QuerySet[Journey]:
    return Journey.objects.filter(organization=organization)


def journey_list_with_structure(*, organization) -> QuerySet[Journey]:
    """Journeys with their ordered stages and touchpoints (and departments) prefetched."""
    touchpoints = Touchpoint.objects.filter(organization=organization).select_related("department")
    stages = (Stage.objects.filter(organization=organization)
              .prefetch_related(Prefetch("touchpoints", queryset=touchpoints)))
    return (journey_list(organization=organization)
            .annotate(touchpoint_count=Count("stages__touchpoints", distinct=True))
            .prefetch_related(Prefetch("stages", queryset=stages)).order_by("name", "id"))


def journey_get(*, organization, journey_id: int) -> Journey:
    """Raises Journey.DoesNotExist for unknown ids and other organizations' ids alike."""
    return journey_list_with_structure(organization=organization).get(pk=journey_id)


def journey_touchpoints_in_order(*, journey: Journey) -> list[Touchpoint]:
    """The journey's touchpoints in map order (stage position, then touchpoint position)."""
    return [tp for stage in journey.stages.all() for tp in stage.touchpoints.all()]
