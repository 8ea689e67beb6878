"""Hand-over of stored feedback to the broker from a thread of the web process.

A request that stored feedback puts `(organization_id, ids)` here after its commit and
answers at once; one daemon thread per process publishes, merging what arrived meanwhile into
one task per organization. No request waits on the broker, not even while it is down.

Nothing is lost with it: the rows are committed `pending` before they are handed over, so ids
still queued when a process dies (or publishes that fail while the broker is down) are picked
up by the pending sweep (`voice.sweep_pending_feedback`).

NOTE: a Celery publish cost a fifth of a single POST's CPU (bench/ingest_http.py); under load
the thread publishes several requests' ids in one message.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

#: At most this many hand-overs are merged into one round of publishes.
MAX_MERGED = 500


class BackgroundPublisher:
    def __init__(self, publish: Callable[[int, list[int]], int]):
        self._publish = publish
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def submit(self, organization_id: int, feedback_ids: list[int]) -> None:
        """Queue ids for publishing; returns at once."""
        self._running()
        self._queue.put((organization_id, list(feedback_ids)))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything submitted before this call was published (or given up)."""
        if self._thread is None or self._pid != os.getpid():
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def _running(self) -> None:
        # NOTE: a forked child (a gunicorn or Celery worker) inherits the object but not the
        # thread, and not the parent's queue contents either: it starts its own.
        if self._thread is not None and self._pid == os.getpid():
            return
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                return
            self._queue = queue.SimpleQueue()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="analysis-publisher",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_MERGED:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            merged: dict[int, list[int]] = {}
            waiting: list[threading.Event] = []
            for item in batch:
                if isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    merged.setdefault(item[0], []).extend(item[1])
            for organization_id, ids in merged.items():
                try:
                    self._publish(organization_id, ids)
                except Exception:  # noqa: BLE001 (the thread must live on; the sweep retries)
                    logger.exception("publishing %d feedback ids failed; left to the sweep",
                                     len(ids))
            for event in waiting:
                event.set()


_publisher: BackgroundPublisher | None = None


def background_publisher(publish: Callable[[int, list[int]], int]) -> BackgroundPublisher:
    """The process's publisher (made on first use; flushed, briefly, when the process exits)."""
    global _publisher
    if _publisher is None:
        _publisher = BackgroundPublisher(publish)
        atexit.register(_publisher.flush, 2.0)
    return _publisher
