"""Keeps the embedded servers alive: a dead SeaweedFS is restarted with back-off (and the
stores reconnected if it had to take other ports), dead or broken LibreOffice workers are
restarted before a job meets them."""

from __future__ import annotations

import logging
import threading
import time

from service.runtime import Runtime

log = logging.getLogger("anjuan.supervisor")

CHECK_INTERVAL = 2.0
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0


class Supervisor:
    """A thread checking the runtime's embedded servers every ``interval`` seconds."""

    def __init__(self, runtime: Runtime, interval: float = CHECK_INTERVAL) -> None:
        self.runtime = runtime
        self.interval = interval
        self.restarts = 0
        self._backoff = FIRST_BACKOFF
        self._next_try = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="supervisor", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (the servers themselves are stopped by the runtime)."""
        self._stop.set()
        self._thread.join(30)

    def check(self) -> None:
        """One round: restart what died."""
        embedded = self.runtime.embedded
        if embedded is not None and not embedded.running and time.monotonic() >= self._next_try:
            self._restart_s3()
        pool = self.runtime.pool
        if pool is not None:
            pool.heal()

    def _restart_s3(self) -> None:
        embedded = self.runtime.embedded
        assert embedded is not None
        log.error("the embedded S3 server died; restarting it (see %s)", embedded.log_path)
        try:
            endpoint = embedded.start()
        except Exception as exc:
            self._next_try = time.monotonic() + self._backoff
            log.error(
                "restarting the embedded S3 server failed (%s); next try in %.0f s",
                exc,
                self._backoff,
            )
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
            return
        self.runtime.reconnect(endpoint)
        self.restarts += 1
        self._backoff, self._next_try = FIRST_BACKOFF, 0.0
        log.warning("the embedded S3 server is back at %s", endpoint.endpoint)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the supervisor itself must never die
                log.exception("supervisor check failed")
