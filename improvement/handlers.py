"""Event handlers (cem.events): each only enqueues this app's own task after commit."""

from functools import partial

from django.db import transaction


def on_feedback_analyzed(*, organization_id: int, feedback_ids: list[int], **_payload) -> None:
    from improvement.services.publish import safe_delay
    from improvement.tasks import handle_feedback_analyzed

    transaction.on_commit(partial(safe_delay, handle_feedback_analyzed, organization_id,
                                  list(feedback_ids)))


def on_organization_created(*, organization_id: int, **_payload) -> None:
    from improvement.services.publish import safe_delay
    from improvement.tasks import ensure_defaults

    transaction.on_commit(partial(safe_delay, ensure_defaults, organization_id))
