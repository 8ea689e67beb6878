"""The house task decorators. Every tenant task is an `@org_task`: organization id first.

`org_task` sets the tenant scope from `organization_id` and refuses to run without one
(ACCEPTANCE T5). `fanout_task` is the loud exception for beat jobs that walk all
organizations; such a job must only enqueue per-organization `org_task`s.
"""

import functools

from django.db import InterfaceError, OperationalError

from cem.celery import app
from cem.tenancy import TenantScopeMissing, org_scope

TASK_DEFAULTS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "ignore_result": True,
}


def org_task(*, name: str, **options):
    """Declare a Celery task whose first argument is `organization_id` (an int, never None)."""

    def decorator(func):
        position = 1 if options.get("bind") else 0

        @functools.wraps(func)
        def run(*args, **kwargs):
            organization_id = kwargs.get("organization_id",
                                         args[position] if len(args) > position else None)
            if not isinstance(organization_id, int) or isinstance(organization_id, bool):
                raise TenantScopeMissing(f"Task {name} was called without an organization id.")
            with org_scope(organization_id):
                return func(*args, **kwargs)

        return app.task(name=name, **{**TASK_DEFAULTS, **options})(run)

    return decorator


def fanout_task(*, name: str, **options):
    """Declare a cross-organization beat task; its body may only enqueue org_tasks."""

    def decorator(func):
        return app.task(name=name, **{**TASK_DEFAULTS, **options})(func)

    return decorator
