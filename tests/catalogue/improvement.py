"""Routes of the improvement app (API and pages), for the isolation harness."""

from tests.catalogue.route import Route


def _ticket(victim):
    return {"ticket_id": victim.extra["ticket"].pk}


def _rule(victim):
    return {"rule_id": victim.extra["rule"].pk}


def _endpoint(victim):
    return {"endpoint_id": victim.extra["endpoint"].pk}


def _victim_department(victim):
    return victim.departments["marked"].pk


ROUTES: dict[str, Route] = {
    # --- API
    "api-departments": Route("api", methods=("GET", "POST"), body=lambda victim: {
        "name": "攻击者部门", "parent": _victim_department(victim)}, body_has_victim_ids=True),
    "api-alert-rules": Route("api", methods=("GET", "POST"), body=lambda victim: {
        "kind": "keyword", "keywords": ["投诉"], "department": _victim_department(victim)},
        body_has_victim_ids=True),
    "api-alert-rule-detail": Route("api", methods=("GET", "PATCH"), kwargs=_rule,
                                   body=lambda victim: {"is_enabled": False}),
    "api-tickets": Route("api", methods=("GET", "POST"), body=lambda victim: {
        "title": "攻击者工单", "department": _victim_department(victim)}, body_has_victim_ids=True,
        query=lambda victim: f"department={_victim_department(victim)}"),
    "api-ticket-detail": Route("api", kwargs=_ticket),
    "api-ticket-stats": Route("api"),
    "api-ticket-transition": Route("api", methods=("POST",), kwargs=_ticket,
                                   body=lambda victim: {"to_status": "in_progress"}),
    "api-ticket-comments": Route("api", methods=("POST",), kwargs=_ticket,
                                 body=lambda victim: {"text": "攻击者评论"}),
    # --- pages
    "ticket-board": Route("page", query=lambda victim: f"view=list&department={_victim_department(victim)}"),
    "ticket-create": Route("page", methods=("GET", "POST")),
    "ticket-report": Route("page"),
    "ticket-detail": Route("page", kwargs=_ticket),
    "ticket-transition": Route("page", methods=("POST",), kwargs=_ticket),
    "ticket-comment": Route("page", methods=("POST",), kwargs=_ticket),
    "ticket-assign": Route("page", methods=("POST",), kwargs=_ticket),
    "ticket-priority": Route("page", methods=("POST",), kwargs=_ticket),
    "ticket-department": Route("page", methods=("POST",), kwargs=_ticket),
    "ticket-evidence": Route("page", methods=("POST",), kwargs=_ticket),
    "notification-list": Route("page"),
    "notification-read-all": Route("page", methods=("POST",)),
    "notification-open": Route("page", kwargs=lambda victim: {
        "notification_id": victim.extra["notification"].pk}),
    "alert-rule-list": Route("page", methods=("GET", "POST")),
    "alert-rule-edit": Route("page", methods=("GET", "POST"), kwargs=_rule),
    "alert-rule-toggle": Route("page", methods=("POST",), kwargs=_rule),
    "alert-rule-delete": Route("page", methods=("POST",), kwargs=_rule),
    "routing-settings": Route("page", methods=("GET", "POST")),
    "sla-settings": Route("page", methods=("GET", "POST")),
    "webhook-list": Route("page", methods=("GET", "POST")),
    "webhook-deliveries": Route("page", query=lambda victim: f"endpoint={victim.extra['endpoint'].pk}"),
    "webhook-edit": Route("page", methods=("GET", "POST"), kwargs=_endpoint),
    "webhook-test": Route("page", methods=("POST",), kwargs=_endpoint),
    "webhook-delete": Route("page", methods=("POST",), kwargs=_endpoint),
}
