"""Core pages: health, organization switch, the no-organization page."""

import time

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from cem.tenancy import SESSION_ORG_KEY


def _check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (reported, not raised: this is the health probe)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor,
            "latency_ms": round((time.monotonic() - started) * 1000, 1)}


def _check_broker() -> dict:
    from cem.celery import app

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "transport": str(transport),
            "latency_ms": round((time.monotonic() - started) * 1000, 1)}


def healthz(request):
    """GET /healthz: database and broker status as JSON; 503 when either is down."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks,
            "embedded": not settings.REDIS_URL}
    return JsonResponse(body, status=200 if healthy else 503)


class OrganizationSwitchView(LoginRequiredMixin, View):
    """POST: make another of the user's organizations the active one (checked against membership)."""

    def post(self, request):
        wanted = request.POST.get("organization")
        memberships = getattr(request, "memberships", [])
        match = next((m for m in memberships if str(m.organization_id) == wanted), None)
        if match is not None:
            request.session[SESSION_ORG_KEY] = match.organization_id
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "/"
        return HttpResponseRedirect(target)


class NoOrganizationView(TemplateView):
    template_name = "cem/no_organization.html"
