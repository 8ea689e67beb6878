"""Celery tasks of the improvement app: ids in, one service call, idempotent."""

import logging
from datetime import timedelta

from celery.utils.time import get_exponential_backoff_interval

from cem.tasks import fanout_task, org_task

logger = logging.getLogger(__name__)
#: Outbox rows (webhooks, mails) left pending this long are re-enqueued by the periodic sweep.
OUTBOX_STALE_AFTER = timedelta(minutes=2)


@org_task(name="improvement.handle_feedback_analyzed")
def handle_feedback_analyzed(organization_id: int, feedback_ids: list[int]) -> None:
    """Run the feedback alert rules over newly analyzed rows, then queue feedback.analyzed webhooks."""
    from improvement.services.evaluation import alert_rules_evaluate_feedback
    from improvement.services.feedback_events import webhook_enqueue_feedback_analyzed

    alert_rules_evaluate_feedback(organization_id=organization_id, feedback_ids=feedback_ids)
    webhook_enqueue_feedback_analyzed(organization_id=organization_id, feedback_ids=feedback_ids)


@org_task(name="improvement.evaluate_metric_rules")
def evaluate_metric_rules(organization_id: int) -> None:
    """Evaluate this organization's windowed metric rules now."""
    from improvement.services.metric_rules import alert_rules_evaluate_metrics

    alert_rules_evaluate_metrics(organization_id=organization_id)


@fanout_task(name="improvement.evaluate_metric_rules_all")
def evaluate_metric_rules_all() -> None:
    """Beat: one evaluation task per organization that has an enabled metric rule."""
    from improvement.selectors.rules import organizations_with_metric_rules

    for organization_id in organizations_with_metric_rules():
        evaluate_metric_rules.delay(organization_id)


@org_task(name="improvement.check_overdue_tickets")
def check_overdue_tickets(organization_id: int) -> None:
    """Escalate overdue tickets, refresh due effect checks, re-run feedback rules a lost message
    may have skipped, and resend outbox rows left behind."""
    from improvement.services.effect import tickets_effect_due
    from improvement.services.escalation import tickets_escalate_overdue
    from improvement.services.evaluation import alert_rules_sweep_recent
    from improvement.services.notifications import notifications_unmailed
    from improvement.services.webhooks import outbox_overdue

    tickets_escalate_overdue(organization_id=organization_id)
    alert_rules_sweep_recent(organization_id=organization_id)
    for ticket_id in tickets_effect_due(organization_id=organization_id):
        compute_ticket_effect.delay(organization_id, ticket_id)
    for delivery_id in outbox_overdue(organization_id=organization_id, older_than=OUTBOX_STALE_AFTER):
        deliver_webhook.delay(organization_id, delivery_id)
    unmailed = notifications_unmailed(organization_id=organization_id, older_than=OUTBOX_STALE_AFTER)
    if unmailed:
        send_notification_emails.delay(organization_id, unmailed)


@fanout_task(name="improvement.check_overdue_tickets_all")
def check_overdue_tickets_all() -> None:
    """Beat: the SLA / effect / outbox housekeeping of every organization."""
    from cem.selectors import organization_ids

    for organization_id in organization_ids():
        check_overdue_tickets.delay(organization_id)


@org_task(name="improvement.compute_ticket_effect")
def compute_ticket_effect(organization_id: int, ticket_id: int) -> None:
    """Compare the metric before and after a resolved ticket (a final result is kept)."""
    from improvement.services.effect import ticket_effect_refresh

    ticket_effect_refresh(organization_id=organization_id, ticket_id=ticket_id)


@org_task(name="improvement.deliver_webhook")
def deliver_webhook(organization_id: int, delivery_id: int) -> None:
    """Send one outbox row; a retryable failure schedules the next attempt with back-off."""
    from improvement.services.webhooks import webhook_deliver

    status, retry_in = webhook_deliver(delivery_id=delivery_id)
    if retry_in is not None:
        deliver_webhook.apply_async((organization_id, delivery_id), countdown=retry_in)


@org_task(name="improvement.send_notification_emails", bind=True, max_retries=3)
def send_notification_emails(self, organization_id: int, notification_ids: list[int]) -> None:
    """Mail notifications once each; SMTP failures retry with back-off, then give up visibly."""
    from improvement.services.notifications import (
        notification_emails_give_up,
        notification_emails_send,
    )

    failed = notification_emails_send(notification_ids=notification_ids)
    if not failed:
        return
    if self.request.retries >= self.max_retries:
        notification_emails_give_up(notification_ids=failed)
        return
    countdown = get_exponential_backoff_interval(factor=30, retries=self.request.retries,
                                                 maximum=600, full_jitter=True)
    raise self.retry(args=(organization_id, failed), countdown=countdown)


@org_task(name="improvement.ensure_defaults")
def ensure_defaults(organization_id: int) -> None:
    """A new organization gets its default SLA policy rows (editable in settings)."""
    from improvement.services.sla import sla_policy_ensure_defaults

    sla_policy_ensure_defaults(organization_id=organization_id)
