"""Which feedback a browser user may see: everything, or what concerns their department.

Admins, CX managers and viewers see all of their organization's feedback. A department member
sees the feedback whose touchpoint or one of whose topics their department owns, plus whatever
the registered rules add (the improvement app adds "evidence of my department's tickets").
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from cem.models import Membership

VisibilityRule = Callable[[Membership], Q | None]

_rules: list[VisibilityRule] = []


def register_visibility_rule(func: VisibilityRule) -> None:
    """Add a rule `func(membership) -> Q` widening a department member's view; idempotent."""
    if func not in _rules:
        _rules.append(func)


def visibility_rules() -> list[VisibilityRule]:
    return list(_rules)


def _department_q(membership: Membership) -> Q:
    from voice.models import FeedbackTopic, Topic

    department_id = membership.department_id
    # NOTE: the department's topics are resolved to ids first, so PostgreSQL probes the links
    # of the newest feedback by constant ids instead of joining topics for every row.
    topic_ids = list(Topic.all_orgs.filter(organization_id=membership.organization_id,
                                           department_id=department_id)
                     .values_list("pk", flat=True))
    visible = Q(touchpoint__department_id=department_id)
    if topic_ids:
        # NOTE: correlated on the outer row's organization too, so the subquery uses the
        # (organization, …) indexes and can never match another tenant's links.
        owned_topic = FeedbackTopic.all_orgs.filter(organization_id=OuterRef("organization_id"),
                                                    feedback_id=OuterRef("pk"),
                                                    topic_id__in=topic_ids)
        visible |= Q(Exists(owned_topic))
    return visible


def feedback_visible_q(membership: Membership | None) -> Q | None:
    """A filter on Feedback for this membership, or None when it may see everything.

    None membership (an API key) sees everything its scopes allow. A department member without
    a department sees nothing but what the registered rules grant.
    """
    if membership is None or membership.role != Membership.Role.DEPARTMENT_MEMBER:
        return None
    # NOTE: `pk__in=[]` is Django's "matches nothing" that still ORs with the rules below.
    visible = _department_q(membership) if membership.department_id else Q(pk__in=[])
    for rule in _rules:
        extra = rule(membership)
        if extra is not None:
            visible |= extra
    return visible


def can_see_all_feedback(membership: Membership | None) -> bool:
    return feedback_visible_q(membership) is None
