"""A pool of warm LibreOffice workers turning DOCX into PDF/A-2b, shared safely between threads.

A job takes a free worker (waiting for one), runs under a watchdog and gives the worker back.
A job past its timeout kills its worker (which restarts in the background) and raises
:class:`ConversionTimeout`. A worker that crashes under a job is restarted and the job is tried
once more on another worker; a second crash raises :class:`ConversionFailed`. Workers found dead
while idle are restarted before anyone is handed them. A worker that cannot be started is
broken: it is tried again after a delay that doubles with each failed start (2 s up to 60 s,
logged), and a start that succeeds resets it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

from doc_templates.converter.errors import ConversionError, ConversionFailed, ConversionTimeout
from doc_templates.converter.plumbing import link_unoserver
from doc_templates.converter.worker import UNO_PYTHON, Worker, WorkerCrashed

logger = logging.getLogger(__name__)

WorkerState = Literal["starting", "idle", "busy", "restarting", "broken", "closed"]

_START_ATTEMPTS = 3  # each on fresh ports: another program may take one before unoserver binds
_STARTUP_TIMEOUT = 60.0
_RESTART_BACKOFF = 1.0  # between the attempts of one start
FIRST_RETRY = 2.0  # before a broken worker's next start, doubled after each failed one
MAX_RETRY = 60.0
_JOIN_TIMEOUT = 15.0
_OWNER_FILE = "owner.pid"


@dataclass(frozen=True)
class WorkerStats:
    """One worker's state; ``pgid`` is its process group (unoserver, oosplash, soffice.bin)."""

    slot: int
    state: WorkerState
    pgid: int | None
    jobs: int


@dataclass(frozen=True)
class PoolStats:
    """Counters since start; a retried job counts once, in ``jobs_done`` or ``jobs_failed``."""

    jobs_done: int
    jobs_failed: int
    timeouts: int
    retries: int
    restarts: int
    workers: tuple[WorkerStats, ...]


class ConverterPool:
    """``size`` persistent LibreOffice processes converting DOCX to PDF/A-2b.

    ``timeout`` is the default per-job limit in seconds; ``work_dir`` (default: the system's
    temporary directory) receives a private directory of profiles, removed on close; ``env``
    is laid over ``os.environ`` for the LibreOffice processes, e.g.
    ``doc_templates.fonts.fontconfig_env()``. ``clock`` (monotonic seconds) times the
    back-off of broken workers.
    """

    def __init__(
        self,
        size: int = 2,
        *,
        timeout: float = 60.0,
        work_dir: Path | None = None,
        env: dict[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if size < 1:
            raise ValueError("a converter pool needs at least one worker")
        if timeout <= 0:
            raise ValueError("the job timeout must be positive")
        self.size = size
        self.timeout = timeout
        # Absolute: profiles reach LibreOffice as file URIs, which cannot be relative.
        self._work_dir = work_dir.resolve() if work_dir is not None else None
        self._env = env or {}
        self._clock = clock
        self._cond = threading.Condition()
        self._closing = threading.Event()
        self._started = False
        self._workers: list[Worker] = []
        self._states: list[WorkerState] = []
        self._idle: deque[Worker] = deque()
        self._threads: set[threading.Thread] = set()
        self._retry_delay = [FIRST_RETRY] * size  # per slot: the wait after its next failure
        self._retry_at = [0.0] * size  # per slot: when a broken worker may start again
        self._jobs_done = self._jobs_failed = self._timeouts = self._retries = self._restarts = 0
        self._finalizer: weakref.finalize[[list[Worker], list[Path]], ConverterPool] | None = None

    def start(self) -> None:
        """Start every worker in parallel; return once each has converted a warm-up document."""
        with self._cond:
            if self._started or self._closing.is_set():
                raise ConversionError("a converter pool can only be started once")
            self._started = True
        soffice = shutil.which("soffice", path=self._env.get("PATH", os.environ.get("PATH")))
        if soffice is None:
            raise ConversionError("LibreOffice's soffice is not on PATH")
        if not os.access(UNO_PYTHON, os.X_OK):
            raise ConversionError(f"{UNO_PYTHON}, the Python that has python3-uno, is missing")
        if self._work_dir is not None:
            self._work_dir.mkdir(parents=True, exist_ok=True)
        if self._work_dir is not None:
            _remove_orphans(self._work_dir)
        root = Path(tempfile.mkdtemp(prefix="converter-", dir=self._work_dir))
        (root / _OWNER_FILE).write_text(str(os.getpid()))
        # The workers' sockets live in the root (0700), unless its path is too long for
        # AF_UNIX (108 bytes): then in a 0700 directory of their own in the system's tmp.
        sockets = root if len(str(root)) < 80 else Path(tempfile.mkdtemp(prefix="anjuan-uno-"))
        env = {**os.environ, **self._env}
        workers = [
            Worker(slot, root=root, sockets=sockets, lib=root / "lib", soffice=soffice, env=env)
            for slot in range(self.size)
        ]
        with self._cond:
            self._workers = workers
            self._states = ["starting"] * self.size
        # Runs on close(), on garbage collection and at interpreter exit, whichever comes first.
        self._finalizer = weakref.finalize(self, _shut_down, workers, sorted({root, sockets}))
        try:
            link_unoserver(root / "lib")
            with ThreadPoolExecutor(self.size, thread_name_prefix="converter-start") as starter:
                list(starter.map(self._start_worker, workers))
        except BaseException:
            self.close()
            raise
        with self._cond:
            if self._closing.is_set():
                raise ConversionError("the converter pool was closed while starting")
            self._idle.extend(workers)
            self._states = ["idle"] * self.size
            self._cond.notify_all()
        logger.info("converter pool started with %d LibreOffice workers in %s", self.size, root)

    def convert(self, docx: bytes, *, timeout: float | None = None) -> bytes:
        """Convert a DOCX to PDF/A-2b bytes on a free worker, waiting for one to be free.

        ``timeout`` (default: the pool's) bounds the time LibreOffice spends on the job, not
        the wait for a free worker.
        """
        limit = self.timeout if timeout is None else timeout
        if limit <= 0:
            raise ValueError("the job timeout must be positive")
        try:
            return self._run(docx, limit)
        except WorkerCrashed as exc:
            logger.warning("%s; trying the job once more", exc)
            with self._cond:
                self._retries += 1
        try:
            return self._run(docx, limit)
        except WorkerCrashed as exc:
            with self._cond:
                self._jobs_failed += 1
            raise ConversionFailed(
                f"LibreOffice crashed twice converting this document; last: {exc}"
            ) from exc

    def heal(self) -> None:
        """Restart workers found dead while idle, and broken ones whose back-off is over
        (called periodically, so a crash is repaired before a job meets it)."""
        with self._cond:
            if not self._started or self._closing.is_set():
                return
            for worker in list(self._idle):
                if not worker.usable():
                    logger.warning("LibreOffice worker %d died while idle", worker.slot)
                    self._idle.remove(worker)
                    self._restart_later(worker)
            self._restart_broken()

    @property
    def ready(self) -> bool:
        """True while at least one worker can take a job (now or when it finishes one)."""
        with self._cond:
            return self._started and any(s in ("idle", "busy") for s in self._states)

    def stats(self) -> PoolStats:
        """A snapshot of the job counters and of every worker."""
        with self._cond:
            workers = tuple(
                WorkerStats(w.slot, self._states[w.slot], w.pgid, w.jobs) for w in self._workers
            )
            return PoolStats(
                self._jobs_done,
                self._jobs_failed,
                self._timeouts,
                self._retries,
                self._restarts,
                workers,
            )

    def close(self) -> None:
        """Kill every worker's process group, wait for it and remove the work directory."""
        with self._cond:
            self._closing.set()
            self._idle.clear()
            self._states = ["closed"] * len(self._workers)
            threads = list(self._threads)
            self._cond.notify_all()
        if self._finalizer is not None:
            self._finalizer()
        for thread in threads:
            thread.join(_JOIN_TIMEOUT)

    def __enter__(self) -> Self:
        if not self._started:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, docx: bytes, limit: float) -> bytes:
        worker = self._acquire()
        try:
            pdf = worker.convert(docx, limit)
        except ConversionTimeout:
            self._recycle(worker)
            with self._cond:
                self._timeouts += 1
                self._jobs_failed += 1
            raise
        except ConversionFailed:
            self._release(worker)
            with self._cond:
                self._jobs_failed += 1
            raise
        except BaseException:
            self._recycle(worker)
            raise
        self._release(worker)
        with self._cond:
            self._jobs_done += 1
        return pdf

    def _acquire(self) -> Worker:
        with self._cond:
            if not self._started:
                raise ConversionError("the converter pool is not started")
            # A job arriving starts broken workers whose back-off is over; it gives up once no
            # worker is left that could still free up (the others broken, waiting out theirs).
            self._restart_broken()
            while True:
                if self._closing.is_set():
                    raise ConversionError("the converter pool is closed")
                while self._idle:
                    worker = self._idle.popleft()
                    if worker.usable():
                        self._states[worker.slot] = "busy"
                        return worker
                    logger.warning("LibreOffice worker %d died while idle", worker.slot)
                    self._restart_later(worker)
                if not {"busy", "restarting", "starting"}.intersection(self._states):
                    wait = max(0.0, min(self._retry_at) - self._clock())
                    raise ConversionFailed(
                        "no LibreOffice worker could be (re)started; the next start is in "
                        f"{wait:.0f} s"
                    )
                self._cond.wait()

    def _release(self, worker: Worker) -> None:
        with self._cond:
            if self._closing.is_set():
                return
            if worker.usable():
                self._states[worker.slot] = "idle"
                self._idle.append(worker)
                self._cond.notify()
            else:
                self._restart_later(worker)

    def _recycle(self, worker: Worker) -> None:
        with self._cond:
            if not self._closing.is_set():
                self._restart_later(worker)

    def _restart_broken(self) -> None:
        # Called with self._cond held.
        now = self._clock()
        for worker in self._workers:
            if self._states[worker.slot] == "broken" and now >= self._retry_at[worker.slot]:
                self._restart_later(worker)

    def _restart_later(self, worker: Worker) -> None:
        # Called with self._cond held.
        self._states[worker.slot] = "restarting"
        thread = threading.Thread(
            target=self._restart,
            args=(worker,),
            name=f"converter-restart-{worker.slot}",
            daemon=True,
        )
        self._threads.add(thread)
        thread.start()

    def _restart(self, worker: Worker) -> None:
        try:
            self._start_worker(worker)
        except Exception as exc:  # whatever it was, waiting jobs must hear of it
            with self._cond:
                self._threads.discard(threading.current_thread())
                if not self._closing.is_set():
                    delay = self._retry_delay[worker.slot]
                    self._retry_at[worker.slot] = self._clock() + delay
                    self._retry_delay[worker.slot] = min(delay * 2, MAX_RETRY)
                    logger.error(
                        "LibreOffice worker %d is broken (%s); next start in %.0f s",
                        worker.slot,
                        exc,
                        delay,
                    )
                    self._states[worker.slot] = "broken"
                    self._cond.notify_all()
            return
        with self._cond:
            self._threads.discard(threading.current_thread())
            if not self._closing.is_set():
                self._states[worker.slot] = "idle"
                self._restarts += 1
                self._retry_delay[worker.slot], self._retry_at[worker.slot] = FIRST_RETRY, 0.0
                self._idle.append(worker)
                self._cond.notify_all()
        logger.info("LibreOffice worker %d restarted", worker.slot)

    def _start_worker(self, worker: Worker) -> None:
        for attempt in range(1, _START_ATTEMPTS + 1):
            try:
                worker.start(_STARTUP_TIMEOUT)
                return
            except ConversionError as exc:
                if self._closing.is_set() or attempt == _START_ATTEMPTS:
                    raise
                logger.warning("%s; trying again", exc)
            if self._closing.wait(_RESTART_BACKOFF * attempt):
                raise ConversionError("the converter pool is closed")


def _remove_orphans(work_dir: Path) -> None:
    """Remove what pools of processes that died without closing them (SIGKILL) left behind."""
    for old in work_dir.glob("converter-*"):
        try:
            owner = int((old / _OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not Path(f"/proc/{owner}").exists():
            shutil.rmtree(old, ignore_errors=True)


def _shut_down(workers: list[Worker], directories: list[Path]) -> None:
    for worker in workers:
        worker.close()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)
