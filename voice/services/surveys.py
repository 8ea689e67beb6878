"""Survey links, public submissions and personal invitations (with a per-customer frequency cap).

A submission goes through the shared ingest service, so it is validated like a partner's item,
stored `pending` and analyzed after commit.
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError, ConflictError
from cem.models import Organization
from journeys.models import Touchpoint
from voice.models import Customer, Feedback, SurveyInvitation, SurveyLink

ERR_TOUCHPOINT_OTHER_ORG = _("Unknown touchpoint.")
ERR_LINK_INACTIVE = _("This survey is closed.")
ERR_SCORE_RANGE = _("Choose a score between {low} and {high}.")
ERR_INVITATION_ANSWERED = _("This personal survey link has already been answered. Thank you!")
ERR_INVITE_CAP = _("Customer {customer} was already invited on {last}; one invitation every {days} "
                   "days, the next one is possible after {next}.")
ERR_EMAIL_NEEDED = _("Give an email address (or store one in the customer's attributes as 'email') "
                     "to send the invitation by email.")
ERR_CUSTOMER_ID = _("Give the customer's external_id.")
ERR_COMMENT_TOO_LONG = _("The comment is too long (at most {max} characters).")
ERR_TITLE = _("Give the survey a title.")
ERR_QUESTION = _("Unknown question kind.")
ERR_EMAIL_INVALID = _("Enter a valid email address.")
ERR_CAP_DAYS = _("The frequency cap is a number of days between 0 and 365.")

#: The open comment of a public survey; the Partner API allows more, a phone keyboard needs less.
COMMENT_MAX_CHARS = 2000


@transaction.atomic
def survey_link_create(*, organization: Organization, touchpoint: Touchpoint, question: str,
                       title: str, intro: str = "", created_by=None) -> SurveyLink:
    """Create an active link; the touchpoint must belong to the organization."""
    if touchpoint is None or touchpoint.organization_id != organization.pk:
        raise ApplicationError(ERR_TOUCHPOINT_OTHER_ORG, field="touchpoint")
    if question not in SurveyLink.Question.values:
        raise ApplicationError(ERR_QUESTION, field="question")
    if not (title or "").strip():
        raise ApplicationError(ERR_TITLE, field="title")
    return SurveyLink.all_orgs.create(
        organization=organization, touchpoint=touchpoint, question=question,
        title=title.strip(), intro=intro.strip(), created_by=created_by,
    )


@transaction.atomic
def survey_link_set_active(*, link: SurveyLink, is_active: bool) -> SurveyLink:
    """Open or close a link; an inactive link's public page is a 404. Idempotent."""
    if link.is_active != is_active:
        link.is_active = is_active
        link.save(update_fields=["is_active"])
    return link


def _submission_data(link: SurveyLink, score: int, comment: str,
                     invitation: SurveyInvitation | None) -> dict:
    """The clean Partner-API item a survey answer becomes (validated like a partner's item)."""
    from voice.validation import feedback_item_clean

    metadata = {"survey_link_id": link.pk}
    raw = {"channel": "survey", link.question: score, "text": comment, "metadata": metadata}
    touchpoints = {}
    if link.touchpoint_id is not None:
        raw["touchpoint"] = link.touchpoint.key
        touchpoints[link.touchpoint.key] = link.touchpoint
    if invitation is not None:
        metadata["survey_invitation_id"] = invitation.pk
        customer = invitation.customer
        raw["customer"] = {"external_id": customer.external_id, "segment": customer.segment}
    return feedback_item_clean(organization=link.organization, raw=raw, touchpoints=touchpoints)


@transaction.atomic
def survey_submit(*, link: SurveyLink, score: int, comment: str = "",
                  invitation_token: str | None = None) -> Feedback:
    """Store one answer as Feedback (channel survey, pending, analysis on commit).

    A personal invitation is marked responded in the same transaction; answering it twice is
    refused. An unknown invitation token counts as an anonymous answer.
    """
    from voice.services.ingest import feedback_ingest

    # NOTE: lock the link so a concurrent close and the response counter stay consistent.
    link = (SurveyLink.all_orgs.select_for_update(of=("self",))
            .select_related("touchpoint", "organization").get(pk=link.pk))
    if not link.is_active:
        raise ApplicationError(ERR_LINK_INACTIVE)
    if score not in link.score_range:
        raise ApplicationError(ERR_SCORE_RANGE.format(low=link.score_range[0],
                                                      high=link.score_range[-1]), field="score")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ApplicationError(ERR_COMMENT_TOO_LONG.format(max=COMMENT_MAX_CHARS), field="comment")
    invitation = None
    if invitation_token:
        invitation = (SurveyInvitation.all_orgs.select_for_update(of=("self",))
                      .select_related("customer")
                      .filter(organization=link.organization, link=link, token=invitation_token)
                      .first())
        if invitation is not None and invitation.responded_at is not None:
            raise ApplicationError(ERR_INVITATION_ANSWERED, status_code=409)
    feedback = feedback_ingest(organization=link.organization,
                               data=_submission_data(link, score, comment, invitation),
                               source=Feedback.Source.SURVEY).feedback
    now = timezone.now()
    SurveyLink.all_orgs.filter(pk=link.pk).update(response_count=F("response_count") + 1,
                                                  last_response_at=now)
    if invitation is not None:
        invitation.responded_at = now
        invitation.feedback = feedback
        invitation.save(update_fields=["responded_at", "feedback"])
    return feedback


def _check_invite_cap(organization: Organization, customer: Customer) -> None:
    """Raise ConflictError (409, Retry-After) when the customer was invited within the cap."""
    days = organization.survey_invite_cap_days
    if not days:
        return
    now = timezone.now()
    last = (SurveyInvitation.all_orgs
            .filter(organization=organization, customer=customer,
                    created_at__gt=now - timedelta(days=days))
            .order_by("-created_at").values_list("created_at", flat=True).first())
    if last is None:
        return
    allowed_from = last + timedelta(days=days)
    tz = organization.tzinfo
    raise ConflictError(
        ERR_INVITE_CAP.format(customer=customer.external_id, days=days,
                              last=last.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                              next=allowed_from.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
        field="customer", retry_after=max(1, math.ceil((allowed_from - now).total_seconds())),
    )


def _invitation_email(customer: Customer, email: str, send_email: bool) -> str:
    email = (email or "").strip() or str((customer.attributes or {}).get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(ERR_EMAIL_INVALID, field="email") from exc
    elif send_email:
        raise ApplicationError(ERR_EMAIL_NEEDED, field="email")
    return email


@transaction.atomic
def survey_invitation_create(*, organization: Organization, link: SurveyLink,
                             customer_external_id: str, customer_segment: str | None = None,
                             send_email: bool = False, email: str = "",
                             base_url: str = "") -> SurveyInvitation:
    """Invite one customer (created if unknown) to a link, at most once per cap window.

    With `send_email` the mail goes out from a worker after commit (`base_url` builds the link);
    otherwise the partner delivers the link and the invitation counts as sent now. Raises
    ConflictError (409, Retry-After) within the cap, ApplicationError naming the bad field.
    """
    from voice.services.customers import customer_upsert

    if link.organization_id != organization.pk:
        raise SurveyLink.DoesNotExist
    if not link.is_active:
        raise ApplicationError(ERR_LINK_INACTIVE, field="survey_link")
    external_id = (customer_external_id or "").strip()
    if not external_id or len(external_id) > 128:
        raise ApplicationError(ERR_CUSTOMER_ID, field="customer")
    data = {"external_id": external_id}
    if customer_segment:
        data["segment"] = customer_segment.strip()[:64]
    # NOTE: the upsert locks the customer row, which serializes concurrent invitations of one
    # customer, so the cap holds under races.
    customer, _created = customer_upsert(organization=organization, data=data)
    _check_invite_cap(organization, customer)
    email = _invitation_email(customer, email, send_email)
    invitation = SurveyInvitation.all_orgs.create(
        organization=organization, link=link, customer=customer, email=email,
        channel=SurveyInvitation.Channel.EMAIL if send_email else SurveyInvitation.Channel.PARTNER,
        sent_at=None if send_email else timezone.now(),
    )
    if send_email:
        from voice.tasks_import import send_survey_invitation

        transaction.on_commit(partial(send_survey_invitation.delay, organization.pk,
                                      invitation.pk, base_url))
    return invitation


@transaction.atomic
def survey_invite_cap_set(*, organization: Organization, days: int) -> Organization:
    """Set the tenant's frequency cap: at most one invitation per customer every `days` (0 = off)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
        raise ApplicationError(ERR_CAP_DAYS, field="survey_invite_cap_days")
    if organization.survey_invite_cap_days != days:
        organization.survey_invite_cap_days = days
        organization.save(update_fields=["survey_invite_cap_days"])
    return organization


def survey_invitation_url(*, invitation: SurveyInvitation, base_url: str = "") -> str:
    """The personal link: `<base>/s/<link token>/?i=<invitation token>`."""
    from django.urls import reverse

    path = reverse("survey-public", kwargs={"token": invitation.link.token})
    return f"{base_url.rstrip('/')}{path}?i={invitation.token}"


def survey_invitation_send(*, organization_id: int, invitation_id: int, base_url: str) -> bool:
    """Email the personal link once. Idempotent: an invitation with `sent_at` is not re-sent.

    The row stays locked while the mail goes out, so a redelivered task waits and then skips.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    with transaction.atomic():
        invitation = (SurveyInvitation.all_orgs.select_for_update(of=("self",))
                      .select_related("link", "organization", "customer")
                      .filter(organization_id=organization_id, pk=invitation_id).first())
        if invitation is None or invitation.sent_at is not None or not invitation.email:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {"invitation": invitation, "organization": invitation.organization,
                       "url": survey_invitation_url(invitation=invitation, base_url=base_url)}
            subject = render_to_string("voice/email/invitation_subject.txt", context).strip()
            body = render_to_string("voice/email/invitation_body.txt", context)
        send_mail(subject, body, None, [invitation.email])
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True
