"""Reads of the voice app; every function takes `organization=` and filters by it."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cem.models import Membership
from voice.models import (
    Feedback,
    FeedbackAnalysis,
    FeedbackCorrection,
    FeedbackTopic,
    ImportJob,
    SurveyInvitation,
    SurveyLink,
    Topic,
)
from voice.visibility import feedback_visible_q

#: The filters of the feedback list (API, explorer, export and dashboard drill-downs alike).
FEEDBACK_FILTERS = ("channel", "touchpoint", "status", "sentiment", "topic", "polarity",
                    "customer", "external_id", "journey", "segment", "from", "to", "q")
_SIMPLE_FILTERS = {"channel": "channel", "status": "status", "sentiment": "sentiment_label",
                   "touchpoint": "touchpoint__key", "customer": "customer__external_id",
                   "external_id": "external_id", "journey": "touchpoint__stage__journey_id",
                   "segment": "segment", "from": "occurred_at__gte", "to": "occurred_at__lt",
                   "q": "text__icontains"}


def _topic_filter(organization, topic: str | None, polarity: str | None) -> Exists | None:
    """Exists(a topic link of this name and/or polarity); None when the topic is unknown.

    NOTE: the name is resolved to ids first: with a constant topic id PostgreSQL walks the
    newest feedback and probes its links (1 ms on 1M rows); joined by name it misjudged the
    match count and sorted every match (900 ms).
    """
    links = FeedbackTopic.objects.filter(organization=organization, feedback_id=OuterRef("pk"))
    if topic:
        topic_ids = list(Topic.objects.filter(organization=organization, name=topic)
                         .values_list("pk", flat=True))
        if not topic_ids:
            return None
        links = links.filter(topic_id__in=topic_ids)
    if polarity:
        links = links.filter(polarity=polarity)
    return Exists(links)


def feedback_list(*, organization, filters: dict | None = None,
                  visible_to: Membership | None = None) -> QuerySet[Feedback]:
    """Feedback of the organization, newest first, with what list pages and the API touch.

    `filters`: see FEEDBACK_FILTERS — touchpoint is a key, topic a name, polarity (pain /
    delight / neutral) narrows the topic (or any topic), customer an external_id, journey an
    id, from / to aware datetimes (from inclusive, to exclusive), q a text search.
    `visible_to`: a browser user's membership; department members see their department's part.
    """
    filters = filters or {}
    qs = (Feedback.objects.filter(organization=organization)
          .select_related("touchpoint", "customer")
          .prefetch_related(Prefetch("topic_links",
                                     queryset=FeedbackTopic.objects.select_related("topic")
                                     .order_by("topic__name"))))
    for name, lookup in _SIMPLE_FILTERS.items():
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("topic") or filters.get("polarity"):
        linked = _topic_filter(organization, filters.get("topic"), filters.get("polarity"))
        qs = qs.filter(linked) if linked is not None else qs.none()
    visible = feedback_visible_q(visible_to)
    if visible is not None:
        qs = qs.filter(visible)
    return qs


def feedback_get(*, organization, feedback_id: int, visible_to: Membership | None = None) -> Feedback:
    """Raises Feedback.DoesNotExist for unknown ids, other organizations' ids and rows the
    membership may not see, alike."""
    return feedback_list(organization=organization, visible_to=visible_to).get(pk=feedback_id)


def feedback_analysis_latest(*, organization, feedback: Feedback) -> FeedbackAnalysis | None:
    """The newest analysis of the feedback's current model version (else of any version)."""
    analyses = FeedbackAnalysis.objects.filter(organization=organization, feedback=feedback)
    current = analyses.filter(model_version=feedback.model_version).order_by("-created_at", "-id")
    return current.first() or analyses.order_by("-created_at", "-id").first()


def feedback_correction_list(*, organization, feedback: Feedback) -> QuerySet[FeedbackCorrection]:
    """The correction history of one feedback, newest first, with who made each."""
    return (FeedbackCorrection.objects.filter(organization=organization, feedback=feedback)
            .select_related("actor").order_by("-created_at", "-id"))


def feedback_failed_count(*, organization, visible_to: Membership | None = None) -> int:
    return feedback_list(organization=organization, filters={"status": Feedback.Status.FAILED},
                         visible_to=visible_to).count()


def feedback_exists(*, organization) -> bool:
    return Feedback.objects.filter(organization=organization).exists()


def topic_list(*, organization, active_only: bool = False) -> QuerySet[Topic]:
    topics = Topic.objects.filter(organization=organization).order_by("name")
    return topics.filter(is_active=True) if active_only else topics


def feedback_keywords(*, organization, start, end, touchpoint: str | None = None,
                      limit: int = 60) -> list[tuple[str, float]]:
    """(word, weight) pairs for the dashboard's word cloud, from the worker-computed snapshot
    of the organization (or of the touchpoint with this key) whose window covers the period:
    30 days when the period is at most 30 days long, else 90. [] until a worker computed one
    (the dashboard then shows topic names)."""
    from journeys.selectors import touchpoints_by_key
    from voice.selectors_topics import keyword_cloud

    window = 30 if (end - start).days <= 30 else 90
    scope = None
    if touchpoint:
        scope = touchpoints_by_key(organization=organization).get(touchpoint)
        if scope is None:
            return []
    cloud = keyword_cloud(organization=organization, touchpoint=scope, window_days=window,
                          limit=limit)
    return [(w["word"], w["weight"]) for w in cloud["words"]] if cloud else []


def segment_list(*, organization, limit: int = 200) -> list[str]:
    """The customer segments in use, for filter menus."""
    from voice.models import Customer

    return list(Customer.objects.filter(organization=organization).exclude(segment="")
                .order_by("segment").values_list("segment", flat=True).distinct()[:limit])


# --- Surveys -----------------------------------------------------------------------------------

def survey_link_list(*, organization) -> QuerySet[SurveyLink]:
    """Links newest first, each with `invitations_sent` and `invitations_answered` counts."""
    return (SurveyLink.objects.filter(organization=organization)
            .select_related("touchpoint")
            .annotate(invitations_sent=Count("invitations",
                                             filter=Q(invitations__sent_at__isnull=False)),
                      invitations_answered=Count("invitations",
                                                 filter=Q(invitations__sent_at__isnull=False,
                                                          invitations__responded_at__isnull=False))))


def survey_link_get(*, organization, link_id: int) -> SurveyLink:
    """Raises SurveyLink.DoesNotExist for unknown ids and other organizations' ids alike."""
    return survey_link_list(organization=organization).get(pk=link_id)


def survey_link_get_public(*, token: str) -> SurveyLink | None:
    """The active link with this public token, in whichever organization owns it."""
    if not token or len(token) > 64:
        return None
    # tenancy-exempt: the unguessable public token is what names the organization.
    return (SurveyLink.all_orgs.select_related("organization", "touchpoint")
            .filter(token=token, is_active=True).first())


def survey_invitation_get_public(*, link: SurveyLink, token: str) -> SurveyInvitation | None:
    """The invitation of this link with this token; another link's invitation is None."""
    if not token or len(token) > 64:
        return None
    return (SurveyInvitation.all_orgs.select_related("customer")
            .filter(organization_id=link.organization_id, link=link, token=token).first())


def survey_invitation_list(*, organization, link: SurveyLink) -> QuerySet[SurveyInvitation]:
    return (SurveyInvitation.objects.filter(organization=organization, link=link)
            .select_related("customer", "link").order_by("-created_at", "-id"))


def survey_response_rate(*, organization, start, end, touchpoint=None) -> dict:
    """{"invitations", "responses", "rate"}: invitations sent in [start, end), how many of them
    were answered, and responses ÷ invitations × 100 (None when no invitation was sent).

    `touchpoint`: a Touchpoint, its id or its key; None for every link.
    """
    invitations = SurveyInvitation.objects.filter(organization=organization, sent_at__gte=start,
                                                  sent_at__lt=end)
    if touchpoint is not None:
        if isinstance(touchpoint, str):
            invitations = invitations.filter(link__touchpoint__key=touchpoint)
        else:
            invitations = invitations.filter(link__touchpoint_id=getattr(touchpoint, "pk", touchpoint))
    counts = invitations.aggregate(sent=Count("pk"),
                                   answered=Count("pk", filter=Q(responded_at__isnull=False)))
    sent, answered = counts["sent"], counts["answered"]
    return {"invitations": sent, "responses": answered,
            "rate": round(answered * 100 / sent, 1) if sent else None}


# --- Imports -----------------------------------------------------------------------------------

def import_job_list(*, organization) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organization=organization).select_related("created_by")


def import_job_get(*, organization, job_id: int) -> ImportJob:
    """Raises ImportJob.DoesNotExist for unknown ids and other organizations' ids alike."""
    return import_job_list(organization=organization).get(pk=job_id)
