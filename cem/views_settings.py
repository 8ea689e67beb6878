"""Settings: the index of sections, API keys, the organization profile, the audit history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from cem import audit, selectors, services
from cem.access import ADMINS, EVERYONE, OrgPageMixin
from cem.errors import ApplicationError
from cem.forms import (
    WEEKDAY_LABELS,
    ApiKeyCreateForm,
    ApiKeyFilterForm,
    AuditFilterForm,
    OrganizationForm,
)
from cem.models import ApiKey
from cem.navigation import nav_for
from cem.pages import error_text, form_error, paginate

AUDIT_PER_PAGE = 50


class SettingsIndexView(OrgPageMixin, View):
    """The sections the role may open (each app registers its own); 403 when there is none."""

    allowed_roles = EVERYONE

    def get(self, request):
        sections = nav_for(section="settings", role=self.membership.role, current_url_name=None)
        if not sections:
            raise PermissionDenied
        return render(request, "settings/index.html", {"sections": sections})


class ApiKeyListView(OrgPageMixin, View):
    """GET lists keys; POST creates one and shows the full key once, on that response only."""

    allowed_roles = ADMINS

    def _render(self, request, form, *, created=None, raw_key=""):
        filters = ApiKeyFilterForm(request.GET or None)
        status_filter = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
        keys = selectors.api_key_list(organization=self.organization, status=status_filter)
        page, query = paginate(request, keys)
        response = render(request, "settings/api_keys.html", {
            "form": form, "filters": filters, "page": page, "query": query,
            "created": created, "raw_key": raw_key, "scope_labels": dict(ApiKey.Scope.choices),
        })
        if raw_key:
            # NOTE: the secret must not stay in any cache; a reload shows the list without it.
            response["Cache-Control"] = "no-store"
        return response

    def get(self, request):
        return self._render(request, ApiKeyCreateForm())

    def post(self, request):
        form = ApiKeyCreateForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        try:
            key, raw = services.api_key_create(organization=self.organization,
                                               name=form.cleaned_data["name"],
                                               scopes=form.cleaned_data["scopes"],
                                               created_by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
            return self._render(request, form)
        return self._render(request, ApiKeyCreateForm(), created=key, raw_key=raw)


class ApiKeyRevokeView(OrgPageMixin, View):
    """GET asks for confirmation; POST revokes (systems using the key get 401 from then on)."""

    allowed_roles = ADMINS

    def get(self, request, key_id: int):
        key = selectors.api_key_get(organization=self.organization, key_id=key_id)
        return render(request, "settings/api_key_revoke.html", {
            "key": key, "scope_labels": dict(ApiKey.Scope.choices)})

    def post(self, request, key_id: int):
        key = selectors.api_key_get(organization=self.organization, key_id=key_id)
        services.api_key_revoke(key=key, actor=request.user)
        messages.success(request, _("Revoked the key %(name)s (%(prefix)s…).") % {
            "name": key.name, "prefix": key.prefix})
        return redirect("settings-api-keys")


class OrganizationUpdateView(OrgPageMixin, View):
    """Name, time zone, business-hours calendar, survey invitation cap."""

    allowed_roles = ADMINS

    def _render(self, request, form):
        return render(request, "settings/organization.html", {"form": form})

    def get(self, request):
        return self._render(request, OrganizationForm(initial=OrganizationForm.initial_for(
            self.organization)))

    def post(self, request):
        form = OrganizationForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        data = form.cleaned_data
        try:
            services.organization_update(
                organization=self.organization, actor=request.user, name=data["name"],
                tz=data["timezone"], business_hours=form.business_hours(),
                survey_invite_cap_days=data["survey_invite_cap_days"])
        except ApplicationError as exc:
            day = exc.params.get("day")
            if day in WEEKDAY_LABELS:
                form.add_error(f"hours_{day}", error_text(exc, day=WEEKDAY_LABELS[day]))
            else:
                if exc.field == "business_hours":
                    exc.field = None
                form_error(form, exc)
            return self._render(request, form)
        messages.success(request, _("Saved the organization profile."))
        return redirect("settings-organization")


class AuditEventListView(OrgPageMixin, View):
    allowed_roles = ADMINS

    def get(self, request):
        filters = AuditFilterForm(
            request.GET or None, actions=audit.audit_actions(),
            actors=selectors.audit_event_actors(organization=self.organization))
        values = filters.cleaned_data if filters.is_valid() else {}
        events = selectors.audit_event_list(organization=self.organization, filters=values)
        page, query = paginate(request, events, per_page=AUDIT_PER_PAGE)
        for event in page.object_list:
            event.action_label = audit.audit_action_label(event.action)
        return render(request, "settings/audit.html", {
            "filters": filters, "page": page, "query": query,
            "filtered": any(v for k, v in request.GET.items() if k != "page")})
