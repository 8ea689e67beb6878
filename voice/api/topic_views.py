"""Taxonomy, keywords, topic discovery and re-analysis over the API (reads: feedback:read,
writes: manage)."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from cem import selectors as cem_selectors
from cem.api.base import OrgAPIView
from cem.api.pagination import CreatedCursorPagination
from cem.models import Department
from journeys.selectors import touchpoints_by_key
from voice import selectors_topics as selectors
from voice.api import topic_serializers as s
from voice.models import Topic
from voice.services import discovery, reanalysis
from voice.services import topics as services

ERR_UNKNOWN_DEPARTMENT = gettext_noop("Unknown department.")
ERR_UNKNOWN_TOUCHPOINT = "Unknown touchpoint key."
ERR_UNKNOWN_TOPIC = "Unknown topic name."


def _department(organization, department_id):
    if department_id is None:
        return None
    try:
        return cem_selectors.department_get(organization=organization, department_id=department_id)
    except Department.DoesNotExist:
        raise serializers.ValidationError({"department": [ERR_UNKNOWN_DEPARTMENT]}) from None


def _out(request, topic_id: int) -> dict:
    """A topic as the API shows it, with its 30-day pain/delight counts (as in the list)."""
    return s.TopicOut(selectors.topic_list_with_counts(organization=request.organization)
                      .get(pk=topic_id)).data


class TopicListCreateApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read", "POST": "manage"}

    @extend_schema(parameters=[s.TopicFilterInput], responses=s.TopicPageOut,
                   operation_id="v1_topics_list")
    def get(self, request):
        params = s.TopicFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.topic_list_with_counts(organization=request.organization,
                                                q=params.validated_data.get("q", ""),
                                                active=params.validated_data.get("active"))
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.TopicOut(page, many=True).data)

    @extend_schema(request=s.TopicWriteInput, responses={201: s.TopicOut})
    def post(self, request):
        payload = s.TopicWriteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        topic = services.topic_create(
            organization=request.organization, actor=request.user, name=data["name"],
            keywords=data["keywords"], is_active=data.get("is_active", True),
            department=_department(request.organization, data.get("department")))
        return Response(_out(request, topic.pk), status=status.HTTP_201_CREATED)


class TopicDetailApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read", "PATCH": "manage", "DELETE": "manage"}

    def _topic(self, request, topic_id: int) -> Topic:
        return selectors.topic_get(organization=request.organization, topic_id=topic_id)

    @extend_schema(responses=s.TopicOut)
    def get(self, request, topic_id: int):
        return Response(_out(request, topic_id))

    @extend_schema(request=s.TopicWriteInput, responses=s.TopicOut)
    def patch(self, request, topic_id: int):
        topic = self._topic(request, topic_id)
        payload = s.TopicWriteInput(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        if "department" in changes:
            changes["department"] = _department(request.organization, changes["department"])
        topic = services.topic_update(organization=request.organization, topic=topic,
                                      actor=request.user, **changes)
        return Response(_out(request, topic.pk))

    @extend_schema(responses={204: None})
    def delete(self, request, topic_id: int):
        services.topic_delete(organization=request.organization,
                              topic=self._topic(request, topic_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeywordCloudApi(OrgAPIView):
    """GET the stored cloud of a scope; POST asks the workers to recompute them now (202)."""

    required_scopes = {"GET": "feedback:read", "POST": "manage"}

    @extend_schema(request=None, responses={202: s.KeywordRefreshOut},
                   operation_id="v1_keywords_refresh")
    def post(self, request):
        from voice.tasks_topics import refresh_keywords

        transaction.on_commit(partial(refresh_keywords.delay, request.organization.pk))
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[s.KeywordFilterInput], responses=s.KeywordCloudOut)
    def get(self, request):
        params = s.KeywordFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data, org = params.validated_data, request.organization
        touchpoint = topic = None
        if data.get("touchpoint"):
            touchpoint = touchpoints_by_key(organization=org).get(data["touchpoint"])
            if touchpoint is None:
                raise serializers.ValidationError({"touchpoint": [ERR_UNKNOWN_TOUCHPOINT]})
        if data.get("topic"):
            topic = selectors.topic_list_with_counts(organization=org).filter(
                name=data["topic"]).first()
            if topic is None:
                raise serializers.ValidationError({"topic": [ERR_UNKNOWN_TOPIC]})
        cloud = selectors.keyword_cloud(organization=org, touchpoint=touchpoint, topic=topic,
                                        window_days=int(data["window"]), limit=data["limit"])
        cloud = cloud or {"words": [], "window_days": int(data["window"]), "feedback_count": 0,
                          "computed_at": None}
        return Response(s.KeywordCloudOut(cloud).data)


class TopicDiscoveryApi(OrgAPIView):
    """GET the last run and the pending suggestions; POST queues a run (202)."""

    required_scopes = {"GET": "feedback:read", "POST": "manage"}

    def _body(self, request, run):
        suggestions = selectors.topic_suggestion_list(organization=request.organization)
        return s.TopicDiscoveryOut({"run": run, "suggestions": suggestions}).data

    @extend_schema(responses=s.TopicDiscoveryOut)
    def get(self, request):
        run = selectors.discovery_run_latest(organization=request.organization)
        return Response(self._body(request, run))

    @extend_schema(request=None, responses={202: s.TopicDiscoveryOut})
    def post(self, request):
        run = discovery.discovery_run_request(organization=request.organization,
                                              actor=request.user)
        return Response(self._body(request, run), status=status.HTTP_202_ACCEPTED)


class TopicSuggestionAcceptApi(OrgAPIView):
    required_scopes = {"POST": "manage"}

    @extend_schema(request=s.SuggestionAcceptInput, responses={201: s.TopicOut})
    def post(self, request, suggestion_id: int):
        suggestion = selectors.topic_suggestion_get(organization=request.organization,
                                                    suggestion_id=suggestion_id)
        payload = s.SuggestionAcceptInput(data=request.data)
        payload.is_valid(raise_exception=True)
        topic = discovery.topic_suggestion_accept(
            organization=request.organization, suggestion=suggestion, actor=request.user,
            name=payload.validated_data.get("name"))
        return Response(_out(request, topic.pk), status=status.HTTP_201_CREATED)


class TopicSuggestionDismissApi(OrgAPIView):
    required_scopes = {"POST": "manage"}

    @extend_schema(request=None, responses={200: s.TopicSuggestionOut})
    def post(self, request, suggestion_id: int):
        suggestion = selectors.topic_suggestion_get(organization=request.organization,
                                                    suggestion_id=suggestion_id)
        discovery.topic_suggestion_dismiss(organization=request.organization,
                                           suggestion=suggestion, actor=request.user)
        suggestion.refresh_from_db()
        return Response(s.TopicSuggestionOut(suggestion).data)


class ReanalysisListCreateApi(OrgAPIView):
    """GET past jobs, newest first; POST starts one (202), or returns the unfinished one (200)."""

    required_scopes = {"GET": "feedback:read", "POST": "manage"}

    @extend_schema(responses=s.ReanalysisJobPageOut, operation_id="v1_reanalysis_list")
    def get(self, request):
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(
            selectors.reanalysis_job_list(organization=request.organization), request, view=self)
        return paginator.get_paginated_response(s.ReanalysisJobOut(page, many=True).data)

    @extend_schema(request=None, responses={202: s.ReanalysisJobOut, 200: s.ReanalysisJobOut})
    def post(self, request):
        job, created = reanalysis.reanalysis_job_request(organization=request.organization,
                                                         actor=request.user)
        return Response(s.ReanalysisJobOut(job).data,
                        status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)


class ReanalysisDetailApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read"}

    @extend_schema(responses=s.ReanalysisJobOut)
    def get(self, request, job_id: int):
        job = selectors.reanalysis_job_get(organization=request.organization, job_id=job_id)
        return Response(s.ReanalysisJobOut(job).data)
