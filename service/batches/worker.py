"""Background threads that work through pending batch items."""

from __future__ import annotations

import logging
import threading

from service.batches.service import process_next
from service.runtime import Runtime

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 1.0


class BatchWorkers:
    """``count`` threads processing batch items until stopped.

    Items are claimed with row locks (``SKIP LOCKED`` on PostgreSQL), so several processes can
    run workers on one database. ``wake()`` cuts the idle wait after a batch is submitted.
    """

    def __init__(self, runtime: Runtime, count: int) -> None:
        self.runtime = runtime
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, name=f"batch-worker-{i}", daemon=True)
            for i in range(count)
        ]

    def start(self) -> None:
        """Start the threads."""
        for t in self._threads:
            t.start()

    def wake(self) -> None:
        """New work is waiting."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the items in hand and stop."""
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = process_next(self.runtime)
            except Exception:
                log.exception("batch item processing failed; retrying later")
                busy = False
            if not busy:
                self._wake.wait(IDLE_POLL_SECONDS)
                self._wake.clear()
