"""Keeps the embedded servers alive: a dead SeaweedFS is restarted with back-off (and the
stores reconnected if it had to take other ports), dead LibreOffice workers are restarted
before a job meets them and broken ones with the pool's own back-off."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from service.runtime import Runtime

log = logging.getLogger("anjuan.supervisor")

CHECK_INTERVAL = 2.0
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
HEALTHY_AFTER = 30.0  # up this long after a restart: its next death is restarted at once


class Supervisor:
    """A thread checking the runtime's embedded servers every ``interval`` seconds.

    A dead SeaweedFS is restarted at once the first time; when a restart fails, or the server
    dies again within ``HEALTHY_AFTER`` seconds of it, the next try waits ``FIRST_BACKOFF``
    seconds, doubled each time up to ``MAX_BACKOFF`` (each wait logged). A restart that stayed
    up ``HEALTHY_AFTER`` seconds starts the back-off afresh. ``clock`` gives monotonic seconds.
    """

    def __init__(
        self,
        runtime: Runtime,
        interval: float = CHECK_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.runtime = runtime
        self.interval = interval
        self.restarts = 0
        self._clock = clock
        self._backoff = FIRST_BACKOFF
        self._next_try = 0.0
        self._down = False  # seen dead and not yet back
        self._up_since: float | None = None  # when the supervisor's last restart came up
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
        """One round: restart what died (when its back-off allows)."""
        embedded = self.runtime.embedded
        if embedded is not None and not embedded.running:
            self._s3_down()
        pool = self.runtime.pool
        if pool is not None:
            pool.heal()

    def _s3_down(self) -> None:
        embedded = self.runtime.embedded
        assert embedded is not None
        now = self._clock()
        if not self._down:
            self._down = True
            up = None if self._up_since is None else now - self._up_since
            if up is None or up >= HEALTHY_AFTER:
                self._backoff, self._next_try = FIRST_BACKOFF, now
                log.error("the embedded S3 server died; restarting it (see %s)", embedded.log_path)
            else:
                self._wait(now, f"died {up:.0f} s after its restart (see {embedded.log_path})")
        if now < self._next_try:
            return
        try:
            endpoint = embedded.start()
        except Exception as exc:
            self._wait(self._clock(), f"could not be restarted ({exc})")
            return
        self.runtime.reconnect(endpoint)
        self.restarts += 1
        self._down, self._up_since = False, self._clock()
        log.warning("the embedded S3 server is back at %s", endpoint.endpoint)

    def _wait(self, now: float, why: str) -> None:
        self._next_try = now + self._backoff
        log.error("the embedded S3 server %s; next try in %.0f s", why, self._backoff)
        self._backoff = min(self._backoff * 2, MAX_BACKOFF)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the supervisor itself must never die
                log.exception("supervisor check failed")
