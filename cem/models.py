"""Tenancy core: Organization, Department, Membership, ApiKey and the OrgOwnedModel base."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.tenancy import current_organization_id


class OrgScopedManager(models.Manager):
    """Fail-closed manager: rows of the organization in scope only; raises outside a scope."""

    def get_queryset(self):
        return super().get_queryset().filter(organization_id=current_organization_id())


class Organization(models.Model):
    """A tenant. Every tenant-owned row points here."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    # {"weekly": {"mon": [["09:00", "18:00"]], ...}, "holidays": ["2026-10-01", ...]}; {} = none
    business_hours = models.JSONField(_("business-hours calendar"), default=dict, blank=True)
    survey_invite_cap_days = models.PositiveIntegerField(
        _("days between two survey invitations to one customer"), default=30
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class OrgOwnedModel(models.Model):
    """Base of every tenant-owned model: `organization`, scoped `objects`, loud `all_orgs`."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=True,
                                     related_name="+")

    all_orgs = models.Manager()
    objects = OrgScopedManager()

    class Meta:
        abstract = True
        default_manager_name = "all_orgs"
        base_manager_name = "all_orgs"


class Department(OrgOwnedModel):
    """A team that owns topics and touchpoints and works improvement tickets; forms a tree."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children", verbose_name=_("parent department"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("department lead"))
    is_default = models.BooleanField(_("default for unrouted tickets"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_org_name_uniq"),
        ]

    def __str__(self):
        return self.name


class Membership(OrgOwnedModel):
    """A user's place in one organization: a role and, for members, a department."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        CX_MANAGER = "cx_manager", _("CX manager")
        DEPARTMENT_MEMBER = "department_member", _("Department member")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="memberships", verbose_name=_("department"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_org_user_uniq"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization_id} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def can_manage(self) -> bool:
        """Admins and CX managers design journeys, rules and taxonomy."""
        return self.role in (self.Role.ADMIN, self.Role.CX_MANAGER)

    @property
    def can_write(self) -> bool:
        return self.role != self.Role.VIEWER


class ApiKey(OrgOwnedModel):
    """A partner credential: `<prefix>.<secret>`, only the SHA-256 of the secret is stored."""

    class Scope(models.TextChoices):
        FEEDBACK_WRITE = "feedback:write", _("Write feedback, customers and interactions")
        FEEDBACK_READ = "feedback:read", _("Read feedback")
        METRICS_READ = "metrics:read", _("Read metrics")
        TICKETS_READ = "tickets:read", _("Read tickets")
        TICKETS_WRITE = "tickets:write", _("Update tickets")
        MANAGE = "manage", _("Manage departments, journeys and rules")

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"], name="apikey_org_created_idx")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class AuditEvent(OrgOwnedModel):
    """One change to an organization's settings (members, departments, keys, profile, rules …).

    Written by `cem.services.audit_record` in the same transaction as the change; never edited.
    `actor_label` keeps the username even after the user is deleted.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(default=timezone.now)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-at"], name="audit_org_at_idx"),
            models.Index(fields=["organization", "action", "-at"], name="audit_org_action_at_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_label} by {self.actor_label}"
