"""Another tenant's admin (browser) and key (API) cannot change this tenant's rules, tickets,
webhooks or notifications, whatever route they try (the harness checks the answers; this checks
the rows)."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from improvement.models import AlertRule, Notification, Ticket, TicketEvent, WebhookEndpoint
from tests.catalogue.improvement import ROUTES
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


def snapshot(victim):
    extra = victim.extra
    return (AlertRule.all_orgs.filter(pk=extra["rule"].pk).values_list("is_enabled", "name", "keywords").get(),
            Ticket.all_orgs.filter(pk=extra["ticket"].pk).values_list("status", "priority", "department_id",
                                                                      "assignee_id").get(),
            TicketEvent.all_orgs.filter(ticket=extra["ticket"]).count(),
            WebhookEndpoint.all_orgs.filter(pk=extra["endpoint"].pk).values_list("name", "url", "is_active").get(),
            Notification.all_orgs.filter(pk=extra["notification"].pk).values_list("read_at", flat=True).get())


def test_attacks_change_nothing(world):
    victim, attacker = world
    before = snapshot(victim)
    key = APIClient()
    key.credentials(HTTP_AUTHORIZATION=f"Api-Key {attacker.raw_key}")
    browser = session_client(attacker.users["admin"])
    bodies = {"ticket-transition": {"to_status": "resolved"}, "ticket-priority": {"priority": "low"},
              "ticket-assign": {"assignee": "me"}, "ticket-comment": {"text": "x"},
              "alert-rule-edit": {"keywords": "x", "cooldown_minutes": "0"}}
    for name, spec in ROUTES.items():
        url = reverse(name, kwargs=spec.kwargs(victim))
        for method in spec.methods:
            if method == "GET":
                continue
            if spec.kind == "page":
                browser.post(url, bodies.get(name, {}))
            else:
                key.generic(method, url, data=json.dumps(spec.body(victim) if spec.body else {}),
                            content_type="application/json")
    assert snapshot(victim) == before
