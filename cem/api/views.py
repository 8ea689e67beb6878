"""Core API: the caller's organization and API keys (browser admins only).

NOTE: `/api/v1/departments/` lives in improvement.api (departments own topics, which cem cannot see)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from cem import selectors, services
from cem.api.base import OrgAPIView
from cem.api.permissions import ANY_MEMBER, ORG_ADMIN, principal_scopes
from cem.api.serializers import (
    ApiKeyCreatedOut,
    ApiKeyCreateInput,
    ApiKeyOut,
    OrganizationOut,
)


class OrganizationDetailApi(OrgAPIView):
    """The organization the credentials belong to, and the scopes they hold."""

    required_scopes = {"GET": ANY_MEMBER}

    @extend_schema(responses=OrganizationOut)
    def get(self, request):
        org = request.organization
        data = {"id": org.pk, "slug": org.slug, "name": org.name, "timezone": org.timezone,
                "has_business_hours": bool(org.business_hours),
                "scopes": principal_scopes(request)}
        return Response(OrganizationOut(data).data)


class ApiKeyListCreateApi(OrgAPIView):
    """Tenant admins list and create keys; the full key appears only in the create response."""

    required_scopes = {"GET": ORG_ADMIN, "POST": ORG_ADMIN}

    @extend_schema(responses=ApiKeyOut(many=True))
    def get(self, request):
        keys = selectors.api_key_list(organization=request.organization)
        return Response(ApiKeyOut(keys, many=True).data)

    @extend_schema(request=ApiKeyCreateInput, responses={201: ApiKeyCreatedOut})
    def post(self, request):
        payload = ApiKeyCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        key, raw = services.api_key_create(
            organization=request.organization, name=payload.validated_data["name"],
            scopes=payload.validated_data["scopes"], created_by=request.user,
        )
        body = {**ApiKeyOut(key).data, "key": raw}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyRevokeApi(OrgAPIView):
    required_scopes = {"POST": ORG_ADMIN}

    @extend_schema(request=None, responses=ApiKeyOut)
    def post(self, request, key_id: int):
        key = selectors.api_key_list(organization=request.organization).get(pk=key_id)
        return Response(ApiKeyOut(services.api_key_revoke(key=key)).data)
