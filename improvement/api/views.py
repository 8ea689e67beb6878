"""Improvement API v1: departments with topics, alert rules, tickets (list, detail, transition,
comments). Writes go through the services; department members see their department only."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from cem import selectors as cem_selectors
from cem.api.base import OrgAPIView
from cem.api.pagination import CreatedCursorPagination
from cem.api.permissions import ANY_MEMBER
from cem.errors import ApplicationError
from improvement.access import Actor
from improvement.api import serializers as s
from improvement.selectors import routing as routing_selectors
from improvement.selectors.reports import report_range, ticket_times_by_department
from improvement.selectors.rules import alert_rule_get, alert_rule_list
from improvement.selectors.tickets import ticket_events, ticket_evidence, ticket_get, ticket_list
from improvement.services import rules as rule_services
from improvement.services import tickets as ticket_services
from improvement.services.routing import department_create_with_topics

ERR_UNKNOWN_TOPIC = "Unknown topic: {name}."
ERR_UNKNOWN_TOUCHPOINT = "Unknown touchpoint key: {key}."
PROBLEM = OpenApiResponse(description="problem+json: per-field errors or the refused state change")
EVIDENCE_SHOWN = 100


def _department(request, department_id):
    """The department of this organization, or DoesNotExist (404) — never another tenant's."""
    if department_id is None:
        return None
    return cem_selectors.department_get(organization=request.organization, department_id=department_id)


def _refs(request, data: dict) -> dict:
    """Replace topic names, touchpoint keys and department ids by this organization's objects."""
    data = dict(data)
    org = request.organization
    if data.get("topic"):
        data["topic"] = routing_selectors.topic_get_by_name(organization=org, name=data["topic"])
        if data["topic"] is None:
            raise ApplicationError(ERR_UNKNOWN_TOPIC.format(name=request.data.get("topic")), field="topic")
    if data.get("touchpoint"):
        data["touchpoint"] = routing_selectors.touchpoint_get_by_key(organization=org, key=data["touchpoint"])
        if data["touchpoint"] is None:
            raise ApplicationError(ERR_UNKNOWN_TOUCHPOINT.format(key=request.data.get("touchpoint")),
                                   field="touchpoint")
    if "department" in data:
        data["department"] = _department(request, data["department"])
    return data


class DepartmentListCreateApi(OrgAPIView):
    """Departments with the topics and touchpoints they own; POST creates one owning `topics`."""

    required_scopes = {"GET": ANY_MEMBER, "POST": "manage"}

    @extend_schema(responses=s.DepartmentWithTopicsOut(many=True))
    def get(self, request):
        rows = routing_selectors.department_ownership(organization=request.organization)
        return Response(s.DepartmentWithTopicsOut(rows, many=True).data)

    @extend_schema(request=s.DepartmentWithTopicsCreateInput,
                   responses={201: s.DepartmentWithTopicsOut, 400: PROBLEM})
    def post(self, request):
        payload = s.DepartmentWithTopicsCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        department = department_create_with_topics(
            organization=request.organization, name=data["name"], is_default=data["is_default"],
            parent=_department(request, data.get("parent")), topics=data["topics"],
            actor=request.user if request.user.is_authenticated else None)
        row = next(r for r in routing_selectors.department_ownership(organization=request.organization)
                   if r["id"] == department.pk)
        return Response(s.DepartmentWithTopicsOut(row).data, status=status.HTTP_201_CREATED)


class AlertRuleListCreateApi(OrgAPIView):
    required_scopes = {"GET": "tickets:read", "POST": "manage"}

    @extend_schema(parameters=[s.AlertRuleFilterInput], responses=s.AlertRulePageOut)
    def get(self, request):
        params = s.AlertRuleFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = alert_rule_list(organization=request.organization, filters=params.validated_data)
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.AlertRuleOut(page, many=True).data)

    @extend_schema(request=s.AlertRuleCreateInput, responses={201: s.AlertRuleOut, 400: PROBLEM})
    def post(self, request):
        payload = s.AlertRuleCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = _refs(request, payload.validated_data)
        rule = rule_services.alert_rule_create(organization=request.organization, data=data,
                                               created_by=request.user if request.user.is_authenticated else None)
        rule = alert_rule_get(organization=request.organization, rule_id=rule.pk)
        return Response(s.AlertRuleOut(rule).data, status=status.HTTP_201_CREATED)


class AlertRuleDetailApi(OrgAPIView):
    """One rule; PATCH enables/disables it or changes its threshold, window, priority …"""

    required_scopes = {"GET": "tickets:read", "PATCH": "manage"}

    @extend_schema(responses=s.AlertRuleOut)
    def get(self, request, rule_id: int):
        rule = alert_rule_get(organization=request.organization, rule_id=rule_id)
        return Response(s.AlertRuleOut(rule).data)

    @extend_schema(request=s.AlertRuleUpdateInput, responses={200: s.AlertRuleOut, 400: PROBLEM})
    def patch(self, request, rule_id: int):
        rule = alert_rule_get(organization=request.organization, rule_id=rule_id)
        payload = s.AlertRuleUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = _refs(request, payload.validated_data)
        rule_services.alert_rule_update(rule=rule, changes=changes,
                                        actor=request.user if request.user.is_authenticated else None)
        rule = alert_rule_get(organization=request.organization, rule_id=rule_id)
        return Response(s.AlertRuleOut(rule).data)


class TicketStatsApi(OrgAPIView):
    """First-response and resolution times of tickets per department (median/p90/mean seconds,
    wall-clock and business hours), SLA met share, open and overdue counts."""

    required_scopes = {"GET": "tickets:read"}

    @extend_schema(parameters=[s.TicketStatsFilterInput], responses=s.TicketStatsOut)
    def get(self, request):
        params = s.TicketStatsFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end, first, last = report_range(organization=request.organization,
                                               first=params.validated_data.get("from"),
                                               last=params.validated_data.get("to"))
        report = ticket_times_by_department(organization=request.organization,
                                            actor=Actor.from_request(request), start=start, end=end)
        body = {"period": {"from": first.isoformat(), "to": last.isoformat()}, **report}
        return Response(s.TicketStatsOut(body).data)


class TicketListCreateApi(OrgAPIView):
    """Tickets the caller may see (department members: their department's), newest first."""

    required_scopes = {"GET": "tickets:read", "POST": "tickets:write"}

    @extend_schema(parameters=[s.TicketFilterInput], responses=s.TicketPageOut)
    def get(self, request):
        params = s.TicketFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = ticket_list(organization=request.organization, actor=Actor.from_request(request),
                           filters=params.validated_data)
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.TicketOut(page, many=True).data)

    @extend_schema(request=s.TicketCreateInput, responses={201: s.TicketOut, 400: PROBLEM, 403: PROBLEM})
    def post(self, request):
        payload = s.TicketCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = _refs(request, payload.validated_data)
        actor = Actor.from_request(request)
        ticket = ticket_services.ticket_create(
            organization=request.organization, actor=actor, title=data["title"],
            description=data["description"], priority=data["priority"], department=data.get("department"),
            touchpoint=data.get("touchpoint"), topic=data.get("topic"), channel=data.get("channel", ""),
            feedback_ids=data["feedback"])
        ticket = ticket_get(organization=request.organization, actor=Actor.system(), ticket_id=ticket.pk)
        return Response(s.TicketOut(ticket).data, status=status.HTTP_201_CREATED)


def _detail(request, ticket_id: int) -> dict:
    ticket = ticket_get(organization=request.organization, actor=Actor.from_request(request),
                        ticket_id=ticket_id)
    data = s.TicketOut(ticket).data
    return {**data, "description": ticket.description, "trigger": ticket.trigger, "effect": ticket.effect,
            "effect_final": ticket.effect_final,
            "events": s.TicketEventOut(ticket_events(ticket=ticket), many=True).data,
            "evidence": s.TicketEvidenceOut(ticket_evidence(ticket=ticket, limit=EVIDENCE_SHOWN),
                                            many=True).data}


class TicketDetailApi(OrgAPIView):
    """One ticket with its history (events), evidence (latest 100) and effect check."""

    required_scopes = {"GET": "tickets:read"}

    @extend_schema(responses=s.TicketDetailOut)
    def get(self, request, ticket_id: int):
        return Response(_detail(request, ticket_id))


class TicketTransitionApi(OrgAPIView):
    """Move a ticket: 409 when its status does not allow the move, 403 when the caller may not."""

    required_scopes = {"POST": "tickets:write"}

    @extend_schema(request=s.TicketTransitionInput,
                   responses={200: s.TicketDetailOut, 400: PROBLEM, 403: PROBLEM, 409: PROBLEM})
    def post(self, request, ticket_id: int):
        actor = Actor.from_request(request)
        ticket = ticket_get(organization=request.organization, actor=actor, ticket_id=ticket_id)
        payload = s.TicketTransitionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ticket_services.ticket_transition(ticket=ticket, actor=actor, **payload.validated_data)
        return Response(_detail(request, ticket_id))


class TicketCommentCreateApi(OrgAPIView):
    required_scopes = {"POST": "tickets:write"}

    @extend_schema(request=s.TicketCommentInput, responses={201: s.TicketCommentOut, 400: PROBLEM,
                                                            403: PROBLEM})
    def post(self, request, ticket_id: int):
        actor = Actor.from_request(request)
        ticket = ticket_get(organization=request.organization, actor=actor, ticket_id=ticket_id)
        payload = s.TicketCommentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        event = ticket_services.ticket_comment(ticket=ticket, actor=actor,
                                               text=payload.validated_data["text"])
        return Response(s.TicketCommentOut(event).data, status=status.HTTP_201_CREATED)
