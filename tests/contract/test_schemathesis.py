"""Contract fuzzing (ACCEPTANCE C1, C2): schemathesis against /api/schema/, in-process over WSGI,
authenticated as a seeded tenant with every scope. No input may produce a 500, and documented
responses must match the schema."""

import re

import pytest
import schemathesis
from django.urls import get_resolver
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from cem.wsgi import application
from tests.cem.test_isolation import iter_routes

schema = schemathesis.from_wsgi("/api/schema/", application, headers={"Host": "localhost"})
CHECKS = (not_a_server_error, response_schema_conformance)


@pytest.fixture
def partner_headers(tenant):
    return {"Authorization": f"Api-Key {tenant.raw_key}", "Host": "localhost"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_never_errors_and_matches_its_schema(case, partner_headers):
    response = case.call_wsgi(headers=partner_headers)
    case.validate_response(response, checks=CHECKS)


def test_every_api_route_is_in_the_schema():
    documented = {re.sub(r"\{[^}]+\}", "{}", path) for path in schema.raw_schema["paths"]}
    routes = {"/" + re.sub(r"<[^>]+>", "{}", route) for route, _name in iter_routes()
              if route.startswith("api/v1/")}
    assert get_resolver() is not None
    assert routes and routes <= documented, sorted(routes - documented)
