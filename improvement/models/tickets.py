"""Improvement tickets, their evidence (feedback) and their full history (TicketEvent)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cem.models import Department, OrgOwnedModel
from improvement.models.choices import Priority
from improvement.models.rules import AlertRule
from journeys.models import Touchpoint
from voice.models import Feedback, Topic


class Ticket(OrgOwnedModel):
    """A piece of improvement work routed to a department. Its status changes only through
    `improvement.services.tickets.ticket_transition`, which writes the TicketEvent."""

    class Status(models.TextChoices):
        # NOTE: a context: "Open" is also a survey link's state in the voice catalogue.
        OPEN = "open", pgettext_lazy("ticket status", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        VERIFIED = "verified", _("Verified")
        REOPENED = "reopened", _("Reopened")

    class Source(models.TextChoices):
        RULE = "rule", _("Alert rule")
        MANUAL = "manual", _("Created by hand")
        FEEDBACK = "feedback", _("From a feedback")

    #: Statuses in which a ticket still needs work (one such ticket per rule and scope).
    ACTIVE = (Status.OPEN, Status.IN_PROGRESS, Status.REOPENED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.OPEN)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices,
                                default=Priority.NORMAL)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="tickets", verbose_name=_("department"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("assignee"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices,
                              default=Source.MANUAL)
    rule = models.ForeignKey(AlertRule, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="tickets", verbose_name=_("alert rule"))
    #: What the rule watched, e.g. "topic:3" or "tp:5|ch:app" ("" for manual tickets).
    scope_key = models.CharField(max_length=200, blank=True, default="")
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("touchpoint"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("topic"))
    channel = models.CharField(_("channel"), max_length=32, blank=True, default="")
    #: Why the rule fired: {"kind", "value", "threshold", "window_minutes", "count", ...}
    trigger = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(auto_now=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    response_escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_escalated_at = models.DateTimeField(null=True, blank=True)
    #: The before/after comparison of the metric on the ticket's scope (improvement.effect).
    effect = models.JSONField(default=dict, blank=True)
    effect_final = models.BooleanField(default=False)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rule", "scope_key"], name="ticket_one_active_per_rule_scope",
                condition=Q(rule__isnull=False) & Q(status__in=["open", "in_progress", "reopened"]),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "created_at"], name="ticket_org_status_idx"),
            models.Index(fields=["organization", "department", "status"], name="ticket_org_dept_idx"),
            models.Index(fields=["organization", "due_at"], name="ticket_org_due_idx"),
            models.Index(fields=["organization", "rule", "scope_key"], name="ticket_org_rule_scope_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_overdue(self) -> bool:
        """Active and past the resolution due time, or past the first-response one unanswered."""
        now = timezone.now()
        return self.is_active and bool(
            (self.due_at and self.due_at < now)
            or (self.first_response_at is None and self.first_response_due_at
                and self.first_response_due_at < now))


class TicketEvent(OrgOwnedModel):
    """One change of a ticket (status, assignment, comment, evidence, escalation …): who, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        COMMENT = "comment", _("Comment")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        DEPARTMENT = "department", _("Department changed")
        EVIDENCE = "evidence", _("Evidence added")
        ESCALATED = "escalated", _("Escalated")
        EFFECT = "effect", _("Effect measured")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    #: None for the system (rules, SLA checks) and for partner API keys (see `actor_label`).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True, default="")
    from_status = models.CharField(max_length=16, blank=True, default="", choices=Ticket.Status.choices)
    to_status = models.CharField(max_length=16, blank=True, default="", choices=Ticket.Status.choices)
    comment = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta(OrgOwnedModel.Meta):
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organization", "ticket", "created_at"],
                                name="ticketevent_org_ticket_idx")]


class TicketEvidence(OrgOwnedModel):
    """A feedback linked to a ticket as evidence (quoted on the ticket); once per ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="evidence")
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    #: Linked while the ticket was already resolved (a burst during the cooldown).
    after_resolution = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "ticket", "feedback"],
                                    name="evidence_org_ticket_feedback_uniq"),
        ]
        indexes = [models.Index(fields=["organization", "feedback"], name="evidence_org_feedback_idx")]
