"""Core API: the caller's organization, departments, and API keys (browser admins only)."""

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
    DepartmentCreateInput,
    DepartmentOut,
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


class DepartmentListCreateApi(OrgAPIView):
    required_scopes = {"GET": ANY_MEMBER, "POST": "manage"}

    @extend_schema(responses=DepartmentOut(many=True))
    def get(self, request):
        departments = selectors.department_list(organization=request.organization)
        return Response(DepartmentOut(departments, many=True).data)

    @extend_schema(request=DepartmentCreateInput, responses={201: DepartmentOut})
    def post(self, request):
        payload = DepartmentCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        parent = None
        if data.get("parent"):
            parent = selectors.department_get(organization=request.organization,
                                              department_id=data["parent"])
        department = services.department_create(
            organization=request.organization, name=data["name"], parent=parent,
            is_default=data["is_default"], actor=request.user,
        )
        return Response(DepartmentOut(department).data, status=status.HTTP_201_CREATED)


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
        key = selectors.api_key_get(organization=request.organization, key_id=key_id)
        return Response(ApiKeyOut(services.api_key_revoke(key=key, actor=request.user)).data)
