"""Survey links (one public form per touchpoint) and personal invitations to them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel
from journeys.models import Touchpoint
from voice.models.customers import Customer
from voice.models.feedback import Feedback


def new_survey_token() -> str:
    """An unguessable public token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class SurveyLink(OrgOwnedModel):
    """A public survey at `/s/<token>/`: one scored question (NPS, CSAT or CES) and a comment."""

    class Question(models.TextChoices):
        NPS = "nps", _("NPS: how likely to recommend (0–10)")
        CSAT = "csat", _("CSAT: how satisfied (1–5)")
        CES = "ces", _("CES: how easy (1–7)")

    touchpoint = models.ForeignKey(Touchpoint, null=True, on_delete=models.SET_NULL,
                                   related_name="survey_links", verbose_name=_("touchpoint"))
    question = models.CharField(_("question"), max_length=8, choices=Question.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, default="")
    # NOTE: looked up across organizations by the public page, hence its own index below.
    token = models.CharField(max_length=64, default=new_survey_token, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # NOTE: a counter updated in the submission's transaction, so the list needs no join.
    response_count = models.PositiveIntegerField(_("responses"), default=0)
    last_response_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "token"], name="surveylink_org_token_uniq"),
        ]
        indexes = [
            models.Index(fields=["token"], name="surveylink_token_idx"),
            models.Index(fields=["organization", "touchpoint"], name="surveylink_org_tp_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def score_range(self) -> range:
        """The allowed scores of the question, as in the Partner API contract."""
        return {"nps": range(0, 11), "csat": range(1, 6), "ces": range(1, 8)}[self.question]


class SurveyInvitation(OrgOwnedModel):
    """A personal link for one customer: `/s/<link token>/?i=<invitation token>`."""

    class Channel(models.TextChoices):
        PARTNER = "partner", _("Sent by the partner")
        EMAIL = "email", _("Sent by email")

    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="survey_invitations")
    token = models.CharField(max_length=64, default=new_survey_token, editable=False)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PARTNER)
    email = models.EmailField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    feedback = models.ForeignKey(Feedback, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "token"], name="surveyinv_org_token_uniq"),
        ]
        indexes = [
            models.Index(fields=["organization", "customer", "created_at"],
                         name="surveyinv_org_cust_idx"),
            models.Index(fields=["organization", "created_at"], name="surveyinv_org_created_idx"),
            models.Index(fields=["organization", "link", "created_at"], name="surveyinv_org_link_idx"),
        ]

    def __str__(self):
        return f"{self.link_id}→{self.customer_id}"
