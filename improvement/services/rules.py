"""Alert rules: create, change, enable/disable. Validation per kind lives here (API and pages).

Bodies (as the partner API takes them, with objects resolved by the caller):
- topic_negative_count: topic, threshold (≥ 1 feedback), window_minutes, department?
- metric_threshold: metric, comparison (lt|gt), threshold (in the metric's unit: points for NPS,
  % for CSAT and negative share, 1–7 for CES, seconds for frt/resolution), window_minutes,
  min_responses, touchpoint?, channel?, department?
- keyword: keywords [...], priority (urgent by default): one ticket per matching feedback.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from cem.services import audit_record
from improvement import audit
from improvement.models import AlertRule, Priority

K = AlertRule.Kind
MAX_WINDOW_MINUTES = 90 * 24 * 60
MAX_KEYWORDS = 50
#: Metric values outside these bounds can never be reached: a threshold there is a typo.
METRIC_BOUNDS = {"nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "negative_share": (0, 100),
                 "frt": (0, 10 ** 9), "resolution": (0, 10 ** 9)}
DEFAULT_PRIORITY = {K.KEYWORD: Priority.URGENT, K.TOPIC_NEGATIVE_COUNT: Priority.HIGH,
                    K.METRIC_THRESHOLD: Priority.HIGH}
EDITABLE = ("name", "is_enabled", "priority", "department", "threshold", "window_minutes",
            "min_responses", "keywords", "cooldown_minutes", "touchpoint", "channel")

ERR_KIND = _("Unknown rule kind.")
ERR_REQUIRED = _("This field is required for this kind of rule.")
ERR_THRESHOLD_COUNT = _("The threshold is a number of feedback: at least 1.")
ERR_THRESHOLD_RANGE = _("The threshold must lie between {low} and {high} for this metric.")
ERR_WINDOW = _("The window is between 1 minute and 90 days.")
ERR_KEYWORDS = _("Give between 1 and 50 keywords of at most 50 characters.")
ERR_PRIORITY = _("Unknown priority.")
ERR_OTHER_ORG = _("This object does not belong to the organization.")


def _fail(field: str, message) -> None:
    raise ApplicationError(message, field=field)


def _check_common(organization, data: dict) -> None:
    if data.get("priority") not in Priority.values:
        _fail("priority", ERR_PRIORITY)
    for name in ("department", "topic", "touchpoint"):
        obj = data.get(name)
        if obj is not None and obj.organization_id != organization.pk:
            _fail(name, ERR_OTHER_ORG)
    window = data.get("window_minutes")
    if data["kind"] != K.KEYWORD and (window is None or not 1 <= window <= MAX_WINDOW_MINUTES):
        _fail("window_minutes", ERR_WINDOW)


def _check_kind(data: dict) -> None:
    kind, threshold = data["kind"], data.get("threshold")
    if kind == K.TOPIC_NEGATIVE_COUNT:
        if data.get("topic") is None:
            _fail("topic", ERR_REQUIRED)
        if threshold is None or threshold < 1:
            _fail("threshold", ERR_THRESHOLD_COUNT)
    elif kind == K.METRIC_THRESHOLD:
        for name in ("metric", "comparison"):
            if not data.get(name):
                _fail(name, ERR_REQUIRED)
        low, high = METRIC_BOUNDS[data["metric"]]
        if threshold is None or not low <= threshold <= high:
            _fail("threshold", ERR_THRESHOLD_RANGE.format(low=low, high=high))
    else:
        keywords = data.get("keywords") or []
        if not 1 <= len(keywords) <= MAX_KEYWORDS or any(
                not isinstance(k, str) or not k.strip() or len(k) > 50 for k in keywords):
            _fail("keywords", ERR_KEYWORDS)


def default_name(data: dict) -> str:
    """A readable Chinese name when the caller gives none."""
    kind = data["kind"]
    if kind == K.TOPIC_NEGATIVE_COUNT:
        return f"{data['topic'].name} 负面反馈 ≥ {data['threshold']:g} / {data['window_minutes']} 分钟"
    if kind == K.METRIC_THRESHOLD:
        scope = " · ".join(x for x in (getattr(data.get("touchpoint"), "name", ""), data.get("channel", "")) if x)
        sign = "<" if data["comparison"] == "lt" else ">"
        return f"{data['metric'].upper()} {sign} {data['threshold']:g}" + (f"（{scope}）" if scope else "")
    return "关键词：" + "、".join(data["keywords"][:5])


def _normalize(data: dict) -> dict:
    data = dict(data)
    if data.get("kind") not in K.values:
        _fail("kind", ERR_KIND)
    data.setdefault("priority", DEFAULT_PRIORITY[data["kind"]])
    if data["kind"] == K.KEYWORD:
        data["keywords"] = list(dict.fromkeys(k.strip() for k in data.get("keywords") or []
                                              if isinstance(k, str)))
    return data


def _validated(organization, data: dict) -> dict:
    data = _normalize(data)
    _check_common(organization, data)
    _check_kind(data)
    if not (data.get("name") or "").strip():
        data["name"] = default_name(data)
    return data


@transaction.atomic
def alert_rule_create(*, organization, data: dict, created_by=None) -> AlertRule:
    """Create a rule from a body (objects already resolved); raises ApplicationError per field."""
    data = _validated(organization, data)
    fields = {name: data[name] for name in (
        "name", "kind", "priority", "department", "topic", "metric", "comparison", "threshold",
        "window_minutes", "min_responses", "touchpoint", "channel", "keywords", "cooldown_minutes",
        "is_enabled") if data.get(name) is not None}
    rule = AlertRule.objects.create(organization=organization, created_by=created_by, **fields)
    audit_record(organization=organization, actor=created_by, action=audit.ALERT_RULE_CREATED,
                 target=rule, details={k: audit.plain(v) for k, v in fields.items()})
    return rule


@transaction.atomic
def alert_rule_update(*, rule: AlertRule, changes: dict, actor=None) -> AlertRule:
    """Change the editable fields of a rule (the kind stays); re-validates the whole rule.
    Audited with `actor` (a user; None for a partner key) when something changed."""
    current = {name: getattr(rule, name) for name in (
        "kind", "name", "priority", "department", "topic", "metric", "comparison", "threshold",
        "window_minutes", "min_responses", "touchpoint", "channel", "keywords")}
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE}}
    data = _validated(rule.organization, merged)
    changed = {}
    for name in EDITABLE:
        if name in changes:
            before, after = audit.plain(getattr(rule, name)), audit.plain(data.get(name))
            if before != after:
                changed[name] = {"from": before, "to": after}
            setattr(rule, name, data.get(name))
    rule.save()
    if changed:
        audit_record(organization=rule.organization, actor=actor, action=audit.ALERT_RULE_CHANGED,
                     target=rule, details=changed)
    return rule


@transaction.atomic
def alert_rule_set_enabled(*, rule: AlertRule, enabled: bool, actor=None) -> AlertRule:
    if rule.is_enabled != enabled:
        rule.is_enabled = enabled
        rule.save(update_fields=["is_enabled", "updated_at"])
        audit_record(organization=rule.organization, actor=actor, action=audit.ALERT_RULE_CHANGED,
                     target=rule, details={"is_enabled": {"from": not enabled, "to": enabled}})
    return rule


@transaction.atomic
def alert_rule_delete(*, rule: AlertRule, actor=None) -> None:
    """Delete a rule; its tickets stay (their `rule` becomes empty)."""
    audit_record(organization=rule.organization, actor=actor, action=audit.ALERT_RULE_DELETED,
                 target=rule, details={"kind": rule.kind})
    rule.delete()
