"""The closed loop: alert rules, tickets and their history, SLA policy, notifications, webhooks."""

from improvement.models.choices import Priority
from improvement.models.notifications import Notification
from improvement.models.rules import AlertRule, RuleMatch
from improvement.models.sla import SlaPolicy
from improvement.models.tickets import Ticket, TicketEvent, TicketEvidence
from improvement.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AlertRule", "Notification", "Priority", "RuleMatch", "SlaPolicy", "Ticket", "TicketEvent",
    "TicketEvidence", "WebhookDelivery", "WebhookEndpoint",
]
