"""Survey links over the API: list and create links, read one with its counts, invite a customer."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from cem.api.base import OrgAPIView
from cem.api.pagination import CreatedCursorPagination
from cem.errors import ApplicationError
from journeys.selectors import touchpoints_by_key
from voice import selectors
from voice.api import survey_serializers as s
from voice.api.views import IDEMPOTENCY_HEADER, idempotent_response
from voice.services.idempotency import StoredResponse
from voice.services.surveys import (
    ERR_TOUCHPOINT_OTHER_ORG,
    survey_invitation_create,
    survey_invitation_url,
    survey_link_create,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _link_context(request) -> dict:
    base = _base_url(request)
    return {"url_for": lambda link: base + reverse("survey-public", kwargs={"token": link.token})}


class SurveyLinkListCreateApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read", "POST": "manage"}

    @extend_schema(responses=s.SurveyLinkPageOut)
    def get(self, request):
        links = selectors.survey_link_list(organization=request.organization)
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(links, request, view=self)
        return paginator.get_paginated_response(
            s.SurveyLinkOut(page, many=True, context=_link_context(request)).data)

    @extend_schema(request=s.SurveyLinkCreateInput, responses={201: s.SurveyLinkOut})
    def post(self, request):
        payload = s.SurveyLinkCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        touchpoint = touchpoints_by_key(organization=request.organization).get(data["touchpoint"])
        if touchpoint is None:
            raise ApplicationError(ERR_TOUCHPOINT_OTHER_ORG, field="touchpoint")
        link = survey_link_create(organization=request.organization, touchpoint=touchpoint,
                                  question=data["question"], title=data["title"],
                                  intro=data["intro"],
                                  created_by=request.user if request.user.is_authenticated else None)
        link = selectors.survey_link_get(organization=request.organization, link_id=link.pk)
        return Response(s.SurveyLinkOut(link, context=_link_context(request)).data,
                        status=status.HTTP_201_CREATED)


class SurveyLinkDetailApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read"}

    @extend_schema(responses=s.SurveyLinkOut)
    def get(self, request, link_id: int):
        link = selectors.survey_link_get(organization=request.organization, link_id=link_id)
        return Response(s.SurveyLinkOut(link, context=_link_context(request)).data)


class SurveyInvitationCreateApi(OrgAPIView):
    required_scopes = {"POST": "feedback:write"}

    @extend_schema(request=s.SurveyInvitationCreateInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.SurveyInvitationOut,
                              409: OpenApiResponse(description="Invited within the frequency "
                                                               "cap; see Retry-After.")})
    def post(self, request, link_id: int):
        link = selectors.survey_link_get(organization=request.organization, link_id=link_id)
        payload = s.SurveyInvitationCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data

        def work():
            invitation = survey_invitation_create(
                organization=request.organization, link=link,
                customer_external_id=data["customer"]["external_id"],
                customer_segment=data["customer"].get("segment"), send_email=data["send_email"],
                email=data["email"], base_url=_base_url(request))
            invitation.url = survey_invitation_url(invitation=invitation,
                                                   base_url=_base_url(request))
            return StoredResponse(201, s.SurveyInvitationOut(invitation).data)

        return idempotent_response(request, f"survey-links.{link.pk}.invitations", work)
