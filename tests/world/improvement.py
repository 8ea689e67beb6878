"""Victim data of the improvement app: a rule, a ticket with evidence and history, a notification,
a webhook endpoint (an address that never resolves) and a delivery."""

from improvement.access import Actor
from improvement.models import Notification, WebhookDelivery, WebhookEndpoint
from improvement.services.rules import alert_rule_create
from improvement.services.tickets import ticket_comment, ticket_create
from voice.models import Topic


def build(tenant):
    org, marker = tenant.org, tenant.marker
    topic, _ = Topic.all_orgs.get_or_create(organization=org, name="物流配送")
    tenant.extra["topic"] = topic
    tenant.extra["rule"] = alert_rule_create(organization=org, data={
        "kind": "keyword", "keywords": [marker, "投诉"], "name": f"{marker}关键词规则",
        "department": tenant.departments["marked"]})
    ticket = ticket_create(organization=org, actor=Actor.system(), title=f"{marker}工单：快递太慢",
                           description=f"{marker} 描述", department=tenant.departments["物流部"],
                           feedback_ids=[tenant.extra["feedback"].pk])
    ticket_comment(ticket=ticket, actor=Actor.system(), text=f"{marker} 评论")
    tenant.extra["ticket"] = ticket
    tenant.extra["notification"] = Notification.all_orgs.filter(organization=org, ticket=ticket).first()
    endpoint = WebhookEndpoint.all_orgs.create(
        organization=org, name=f"{marker}机器人", url=f"https://{org.slug}.hooks.invalid/robot",
        format="wecom", events=["ticket.created"], secret=f"{marker}-secret")
    tenant.extra["endpoint"] = endpoint
    tenant.extra["delivery"] = WebhookDelivery.all_orgs.create(
        organization=org, endpoint=endpoint, event="ticket.created", event_key=f"world:{marker}",
        payload={"summary": {"title": marker}}, status="failed", last_error=f"{marker} error")
