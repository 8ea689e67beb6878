"""Concurrency helpers for tests that need a second transaction holding its locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection, transaction

from cem.tenancy import org_scope


@contextmanager
def transaction_held_open(organization, work: Callable[[], object], *, seconds: float = 30):
    """Run `work()` in a transaction on a thread of its own and keep that transaction open, its
    row locks held, for the body of the with-block; it commits when the block ends. An error
    in `work` fails the test at the end of the block."""
    ready, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold():
        try:
            with org_scope(organization), transaction.atomic():
                work()
                ready.set()
                release.wait(timeout=seconds)
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            ready.set()
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert ready.wait(timeout=10), "the holding transaction did not start"
        assert not errors, errors
        yield
    finally:
        release.set()
        holder.join(timeout=seconds)
    assert not errors, errors
