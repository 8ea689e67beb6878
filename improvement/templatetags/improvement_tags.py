"""Template helpers of the closed loop: the bell's unread count, SLA countdowns, badges."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from improvement.selectors.notifications import notification_unread_count

register = template.Library()

PRIORITY_BADGE = {"urgent": "badge-bad", "high": "badge-warn", "normal": "badge-neutral", "low": "badge"}
STATUS_BADGE = {"open": "badge-warn", "reopened": "badge-bad", "in_progress": "badge-neutral",
                "resolved": "badge-good", "verified": "badge-good"}
VERDICT_BADGE = {"better": "badge-good", "worse": "badge-bad", "no_change": "badge-neutral",
                 "insufficient_data": "badge", "not_tested": "badge"}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    organization = getattr(request, "organization", None)
    if organization is None or not request.user.is_authenticated:
        return 0
    return notification_unread_count(organization=organization, user=request.user)


def _span(seconds: float) -> str:
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    d, h, m = pgettext("days", "d"), pgettext("hours", "h"), pgettext("minutes", "m")
    if days:
        return f"{days}{d} {hours}{h}"
    if hours:
        return f"{hours}{h} {mins}{m}"
    return f"{mins}{m}"


@register.filter
def countdown(due) -> str:
    """"3h 20m left" / "2h 5m overdue" for a due time."""
    if not due:
        return ""
    seconds = (due - timezone.now()).total_seconds()
    if seconds >= 0:
        return _("%(span)s left") % {"span": _span(seconds)}
    return _("%(span)s overdue") % {"span": _span(seconds)}


@register.filter
def duration(seconds) -> str:
    if seconds is None:
        return "—"
    return _span(float(seconds))


@register.filter
def priority_badge(priority: str) -> str:
    return PRIORITY_BADGE.get(priority, "badge")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "badge")


@register.filter
def verdict_badge(verdict: str) -> str:
    return VERDICT_BADGE.get(verdict, "badge")


@register.filter
def priority_label(value: str) -> str:
    from improvement.models import Priority

    return Priority(value).label if value in Priority.values else value


VERDICTS = {
    "better": gettext_lazy("Significantly better"),
    "worse": gettext_lazy("Significantly worse"),
    "no_change": gettext_lazy("No significant change"),
    "insufficient_data": gettext_lazy("Not enough responses to judge"),
    "not_tested": gettext_lazy("Numbers only (no significance test for this metric)"),
    "scope_gone": gettext_lazy("Cannot be measured: the touchpoint or topic no longer exists"),
}


@register.filter
def metric_label(value: str) -> str:
    from improvement.models import AlertRule

    return AlertRule.Metric(value).label if value in AlertRule.Metric.values else value


@register.filter
def verdict_label(value: str) -> str:
    return str(VERDICTS.get(value, value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


SCOPE_LABELS = {"touchpoint": gettext_lazy("Touchpoint"), "topic": gettext_lazy("Topic"),
                "channel": gettext_lazy("Channel")}


@register.simple_tag
def effect_scope(filters, ticket) -> list[tuple[str, str]]:
    """The effect check's scope in words: [("触点", "送货上门"), ("渠道", "App")]; a touchpoint
    is named from the ticket (or its rule) when the key matches, else shown by its key."""
    from voice.models import Channel

    touchpoints = [t for t in (getattr(ticket, "touchpoint", None),
                               getattr(getattr(ticket, "rule", None), "touchpoint", None)) if t]
    names = {t.key: t.name for t in touchpoints}
    channels = dict(Channel.choices)
    shown = []
    filters = filters or {}
    # NOTE: jsonb does not keep key order: show the known dimensions in a fixed one
    for key in [*SCOPE_LABELS, *sorted(set(filters) - set(SCOPE_LABELS))]:
        if key not in filters:
            continue
        value = filters[key]
        if key == "touchpoint":
            value = names.get(value, value)
        elif key == "channel":
            value = channels.get(value, value)
        shown.append((str(SCOPE_LABELS.get(key, key)), str(value)))
    return shown
