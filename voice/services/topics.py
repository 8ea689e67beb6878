"""Writes of the topic taxonomy: create, edit, deactivate, delete (each with an audit event).

Deleting a topic keeps the feedback: only its topic links go (FeedbackTopic cascades).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from cem.errors import ApplicationError
from cem.models import Department, Organization
from cem.services.audit import audit_record
from voice import audit_actions as actions
from voice.models import FeedbackTopic, Topic

ERR_NAME_REQUIRED = gettext_noop("Give the topic a name (up to 64 characters).")
ERR_NAME_TAKEN = gettext_noop("A topic with this name already exists.")
ERR_KEYWORDS_REQUIRED = gettext_noop("Give at least one keyword or phrase, one per line.")
ERR_KEYWORD_TOO_LONG = gettext_noop("A keyword is at most 32 characters: %(keyword)s")
ERR_TOO_MANY_KEYWORDS = gettext_noop("A topic has at most %(max)s keywords.")
ERR_DEPARTMENT_OTHER_ORG = gettext_noop("The department does not belong to this organization.")

MAX_KEYWORDS = 200
MAX_KEYWORD_LENGTH = 32


def keywords_clean(raw) -> list[str]:
    """Keywords from a list or a text (one per line; commas and 、 also separate), trimmed,
    de-duplicated in order. Raises ApplicationError when empty or too long."""
    if isinstance(raw, str):
        for separator in (",", "，", "、", "\r"):
            raw = raw.replace(separator, "\n")
        raw = raw.split("\n")
    words = list(dict.fromkeys(str(w).strip() for w in raw or [] if str(w).strip()))
    if not words:
        raise ApplicationError(ERR_KEYWORDS_REQUIRED, field="keywords")
    if len(words) > MAX_KEYWORDS:
        raise ApplicationError(ERR_TOO_MANY_KEYWORDS, field="keywords", params={"max": MAX_KEYWORDS})
    for word in words:
        if len(word) > MAX_KEYWORD_LENGTH:
            raise ApplicationError(ERR_KEYWORD_TOO_LONG, field="keywords",
                                   params={"keyword": word[:40]})
    return words


def _clean_name(organization: Organization, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ApplicationError(ERR_NAME_REQUIRED, field="name")
    if Topic.all_orgs.filter(organization=organization, name=name).exclude(pk=exclude_pk).exists():
        raise ApplicationError(ERR_NAME_TAKEN, field="name")
    return name


@contextmanager
def _name_unique():
    """The exists() check above races with a concurrent create or rename: the constraint has
    the last word, and its refusal is the same clear error, not a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "topic_org_name_uniq" in str(exc):
            raise ApplicationError(ERR_NAME_TAKEN, field="name") from exc
        raise


def _check_department(organization: Organization, department: Department | None) -> None:
    if department is not None and department.organization_id != organization.pk:
        raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="department")


def _snapshot(topic: Topic) -> dict:
    return {"name": topic.name, "keywords": list(topic.keywords),
            "department": topic.department.name if topic.department_id else None,
            "is_active": topic.is_active}


@transaction.atomic
def topic_create(*, organization: Organization, actor, name: str, keywords,
                 department: Department | None = None, is_active: bool = True,
                 origin: str = Topic.Origin.CUSTOM) -> Topic:
    """Add a topic; names are unique per organization, keywords required."""
    name = _clean_name(organization, name)
    words = keywords_clean(keywords)
    _check_department(organization, department)
    with _name_unique():
        topic = Topic.all_orgs.create(organization=organization, name=name, keywords=words,
                                      department=department, is_active=is_active, origin=origin)
    audit_record(organization=organization, actor=actor, action=actions.TOPIC_CREATED,
                 target=topic, details={**_snapshot(topic), "origin": origin})
    return topic


@transaction.atomic
def topic_update(*, organization: Organization, topic: Topic, actor, **changes) -> Topic:
    """Change any of name, keywords, department, is_active; audits what changed."""
    if topic.organization_id != organization.pk:
        raise Topic.DoesNotExist
    before = _snapshot(topic)
    if "name" in changes:
        topic.name = _clean_name(organization, changes["name"], exclude_pk=topic.pk)
    if "keywords" in changes:
        topic.keywords = keywords_clean(changes["keywords"])
    if "department" in changes:
        _check_department(organization, changes["department"])
        topic.department = changes["department"]
    if "is_active" in changes:
        topic.is_active = bool(changes["is_active"])
    with _name_unique():
        topic.save()
    after = _snapshot(topic)
    diff = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    if diff:
        action = (actions.TOPIC_DEACTIVATED if set(diff) == {"is_active"} and not topic.is_active
                  else actions.TOPIC_CHANGED)
        audit_record(organization=organization, actor=actor, action=action, target=topic,
                     details=diff)
    return topic


@transaction.atomic
def topic_delete(*, organization: Organization, topic: Topic, actor) -> int:
    """Delete a topic; the feedback stays, its links to the topic go. Returns the links removed."""
    if topic.organization_id != organization.pk:
        raise Topic.DoesNotExist
    links = FeedbackTopic.all_orgs.filter(organization=organization, topic=topic).count()
    audit_record(organization=organization, actor=actor, action=actions.TOPIC_DELETED,
                 target=topic, details={**_snapshot(topic), "links_removed": links})
    topic.delete()
    return links
