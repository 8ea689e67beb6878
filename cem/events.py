"""A small in-process event registry so lower apps can wake higher ones without importing them.

Lower apps `announce("feedback.analyzed", organization_id=..., feedback_ids=[...])`; higher
apps `subscribe(...)` in `AppConfig.ready()`. Handlers must only enqueue their own Celery
task on commit: they run inside the announcer's transaction.
"""

from collections import defaultdict
from collections.abc import Callable

FEEDBACK_ANALYZED = "feedback.analyzed"
FEEDBACK_INGESTED = "feedback.ingested"
#: a stored feedback's analysis changed by hand (correction) or its touchpoint was unlinked:
#: payload organization_id, feedback_ids — metrics recompute what they hold for these rows.
FEEDBACK_CHANGED = "feedback.changed"
ORGANIZATION_CREATED = "organization.created"
#: touchpoints were deleted (their feedback and interactions are unlinked, SET NULL, and stay
#: countable): payload organization_id, touchpoint_ids — metrics fold their rollup cells.
TOUCHPOINT_DELETED = "touchpoint.deleted"

_handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    """Register a handler once (re-registering the same function is a no-op)."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def announce(event: str, **payload) -> None:
    """Call every handler of `event` with the JSON-able payload (ids, not model instances)."""
    for handler in list(_handlers[event]):
        handler(**payload)


def handlers_for(event: str) -> list[Callable[..., None]]:
    return list(_handlers[event])
