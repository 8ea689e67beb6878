"""Journeys API: list, create (nested stages and touchpoints), read, update, delete."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from cem.api.base import OrgAPIView
from cem.api.permissions import ANY_MEMBER
from journeys import selectors, services
from journeys.api import serializers as s


class JourneyPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _out(request, journey_id: int) -> dict:
    journey = selectors.journey_get(organization=request.organization, journey_id=journey_id)
    return s.JourneyOut(journey).data


class JourneyListCreateApi(OrgAPIView):
    """Journeys with their ordered stages and touchpoints; `manage` creates them."""

    required_scopes = {"GET": ANY_MEMBER, "POST": "manage"}

    @extend_schema(responses=s.JourneyPageOut)
    def get(self, request):
        rows = selectors.journey_list_with_structure(organization=request.organization)
        paginator = JourneyPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.JourneyOut(page, many=True).data)

    @extend_schema(request=s.JourneyCreateInput, responses={201: s.JourneyOut})
    def post(self, request):
        payload = s.JourneyCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        journey = services.journey_create(organization=request.organization, actor=request.user,
                                          **payload.validated_data)
        return Response(_out(request, journey.pk), status=status.HTTP_201_CREATED)


class JourneyDetailApi(OrgAPIView):
    """One journey; PATCH renames it or (with `stages`) rewrites its structure; DELETE unlinks
    the feedback of its touchpoints (it stays countable)."""

    required_scopes = {"GET": ANY_MEMBER, "PATCH": "manage", "DELETE": "manage"}

    @extend_schema(responses=s.JourneyOut)
    def get(self, request, journey_id: int):
        return Response(_out(request, journey_id))

    @extend_schema(request=s.JourneyUpdateInput, responses=s.JourneyOut)
    def patch(self, request, journey_id: int):
        journey = selectors.journey_get(organization=request.organization, journey_id=journey_id)
        payload = s.JourneyUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.journey_update(journey=journey, actor=request.user, change="api",
                                **payload.validated_data)
        return Response(_out(request, journey_id))

    @extend_schema(responses={204: None})
    def delete(self, request, journey_id: int):
        journey = selectors.journey_get(organization=request.organization, journey_id=journey_id)
        services.journey_delete(journey=journey, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
