"""One warm LibreOffice behind a private channel, driven by the pool.

Why it is put together this way:

* ``python3-uno`` imports only in Debian's ``/usr/bin/python3``, so the UNO side cannot live in
  our venv. :mod:`doc_templates.converter.bridge` runs there (``-I``: no PYTHONPATH, no user
  site-packages) with one directory put first on ``sys.path``, holding only symlinks to the
  venv's ``unoserver`` package and its ``.dist-info``: the conversion is unoserver's own
  ``UnoConverter``, so no UNO export code is ours. The bridge starts LibreOffice, waits for it
  and serves ``info``/``convert``.
* Nothing listens on a TCP port. LibreOffice accepts UNO on a named pipe and the bridge serves
  XML-RPC on a Unix socket in a 0700 directory, both made under umask 077: only the service's
  own user can reach them. (With unoserver's loopback ports, any local user could have had
  LibreOffice read the service's secret key for them.)
* Our side speaks XML-RPC with ``xmlrpc.client`` over that socket and fails fast; a pool must
  move a job to another worker rather than wait.
* The bridge SIGKILLs the worker's process group when our process disappears without closing
  the pool (SIGKILL, OOM killer), which no ``atexit`` hook can cover.
* The worker is one process group (the bridge, ``oosplash``, ``soffice.bin``), started in its
  own session, so one ``killpg`` ends all of it. Its profile and temporary files (TMPDIR too)
  live in one directory that is removed with it, and so are its socket and the profile's IPC
  pipe in /tmp.
* Documents are loaded ``Hidden`` (no view is built): a third of a one-page job.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

from docx import Document

from doc_templates.converter.errors import ConversionError, ConversionFailed, ConversionTimeout
from doc_templates.converter.plumbing import ipc_pipe_paths

logger = logging.getLogger(__name__)

UNO_PYTHON = "/usr/bin/python3"
BRIDGE = Path(__file__).resolve().with_name("bridge.py")
BRIDGE_API = "anjuan-1"
PDF_FILTER = "writer_pdf_Export"
# PDF/A-2b; PDF/A also makes LibreOffice embed every font it uses.
PDF_OPTIONS = ["SelectPdfVersion=2"]
# Without an explicit import filter LibreOffice opens anything that is not DOCX as plain text.
DOCX_FILTER = "MS Word 2007 XML"

_LOG_FILE = "worker.log"
_PING_TIMEOUT = 5.0
# A job's socket gives up this long after its own timeout, in case killing the worker did not
# break the connection.
_RPC_GRACE = 10.0


class WorkerCrashed(Exception):
    """The worker's processes died or stopped answering; the job may be tried elsewhere."""


@functools.cache
def warmup_docx() -> bytes:
    """A one-line DOCX with Chinese text, so warm-up loads Writer, the PDF filter and CJK fonts."""
    document = Document()
    document.add_paragraph("预热 warm-up")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class Worker:
    """One bridge + LibreOffice process group, started and restarted by the pool."""

    def __init__(
        self,
        slot: int,
        *,
        root: Path,
        sockets: Path,
        lib: Path,
        soffice: str,
        env: dict[str, str],
    ) -> None:
        self.slot = slot
        self.jobs = 0
        self._root = root
        self._sockets = sockets
        self._lib = lib
        self._soffice = soffice
        self._env = env
        self._lock = threading.Lock()
        self._closed = False
        self._doomed = False
        self._generation = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None
        self._socket: Path | None = None
        self._pipe = ""

    @property
    def pgid(self) -> int | None:
        """The worker's process group id while its leader runs."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def usable(self) -> bool:
        """True while the processes run and nothing has condemned them."""
        with self._lock:
            proc, doomed = self._proc, self._doomed
        return proc is not None and not doomed and proc.poll() is None

    def start(self, timeout: float) -> None:
        """Spawn the processes, wait until the bridge answers and convert a warm-up document."""
        deadline = time.monotonic() + timeout
        self.discard()
        try:
            proc, sock = self._spawn()
            self._wait_ready(proc, sock, deadline)
            self._convert(warmup_docx(), max(deadline - time.monotonic(), 1.0))
        except (ConversionError, WorkerCrashed) as exc:
            tail = self._log_tail()
            self.discard()
            raise ConversionFailed(
                f"LibreOffice worker {self.slot} did not start: {exc}"
                + (f"\n--- worker log ---\n{tail}" if tail else "")
            ) from exc
        except BaseException:
            self.discard()
            raise

    def convert(self, docx: bytes, timeout: float) -> bytes:
        """Convert one DOCX to PDF/A-2b; on timeout the whole process group is killed."""
        pdf = self._convert(docx, timeout)
        self.jobs += 1
        return pdf

    def _convert(self, docx: bytes, timeout: float) -> bytes:
        with self._lock:
            sock = self._socket if self._proc is not None and not self._doomed else None
        if sock is None:
            raise WorkerCrashed(f"LibreOffice worker {self.slot} is not running")
        watchdog = _Watchdog(self, timeout)
        try:
            with self._proxy(sock, timeout + _RPC_GRACE) as proxy:
                result = proxy.convert(
                    xmlrpc.client.Binary(docx), PDF_FILTER, PDF_OPTIONS, DOCX_FILTER
                )
        except Exception as exc:
            if watchdog.stop():
                raise ConversionTimeout(
                    f"LibreOffice did not convert the document within {timeout:g} s"
                ) from None
            if isinstance(exc, xmlrpc.client.Fault) and self._ping(sock):
                raise ConversionFailed(
                    f"LibreOffice could not convert the document: {_fault_text(exc)}"
                ) from None
            raise WorkerCrashed(
                f"LibreOffice worker {self.slot} failed mid-job: {str(exc)[:300]}"
            ) from exc
        watchdog.stop()
        if not isinstance(result, xmlrpc.client.Binary):
            raise ConversionFailed(f"the worker answered {type(result).__name__}, not the PDF")
        return result.data

    def kill(self) -> None:
        """SIGKILL the whole process group; safe from any thread, does not wait."""
        with self._lock:
            proc = self._proc
            self._doomed = True
        if proc is not None:
            # The group outlives its leader when the bridge itself dies, so signal it regardless.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)

    def discard(self) -> None:
        """Kill the processes, reap the leader and remove the worker's directory."""
        self.kill()
        with self._lock:
            proc, self._proc = self._proc, None
            directory, self._dir = self._dir, None
            sock, self._socket = self._socket, None
        if proc is not None:
            proc.wait()
        if sock is not None:
            sock.unlink(missing_ok=True)
            # a killed LibreOffice leaves its UNO pipe behind
            Path(f"/tmp/OSL_PIPE_{os.getuid()}_{self._pipe}").unlink(missing_ok=True)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
            for pipe in ipc_pipe_paths(directory / "profile"):
                pipe.unlink(missing_ok=True)

    def close(self) -> None:
        """Discard the processes for good: later starts are refused."""
        with self._lock:
            self._closed = True
        self.discard()

    def _spawn(self) -> tuple[subprocess.Popen[bytes], Path]:
        with self._lock:
            if self._closed:
                raise ConversionError("the converter pool is closed")
            self._generation += 1
            directory = self._root / f"worker{self.slot}.{self._generation}"
            sock = self._sockets / f"w{self.slot}.{self._generation}.sock"
            self._dir, self._pipe = directory, f"anjuan-{secrets.token_hex(12)}"
            try:
                proc = self._popen(directory, sock)
            except OSError as exc:
                raise ConversionFailed(f"cannot start the worker: {exc}") from exc
            self._proc, self._socket, self._doomed = proc, sock, False
        logger.debug("LibreOffice worker %d spawned: pgid %d, %s", self.slot, proc.pid, sock)
        return proc, sock

    def _popen(self, directory: Path, sock: Path) -> subprocess.Popen[bytes]:
        (directory / "tmp").mkdir(parents=True, mode=0o700)
        command = [
            UNO_PYTHON,
            "-I",
            str(BRIDGE),
            str(self._lib),
            str(os.getpid()),
            str(directory),
            self._soffice,
            str(sock),
            self._pipe,
        ]
        with (directory / _LOG_FILE).open("wb") as log:
            return subprocess.Popen(
                command,
                cwd=directory,
                env={**self._env, "TMPDIR": str(directory / "tmp")},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=0o077,
            )

    def _wait_ready(self, proc: subprocess.Popen[bytes], sock: Path, deadline: float) -> None:
        last: Exception | None = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ConversionFailed(f"the worker exited with status {proc.returncode}")
            if not sock.exists():  # the bridge binds it once LibreOffice answers
                time.sleep(0.05)
                continue
            try:
                with self._proxy(sock, _PING_TIMEOUT) as proxy:
                    info = proxy.info()
            except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
                last = exc
                time.sleep(0.1)
                continue
            api = info.get("api") if isinstance(info, dict) else None
            if api != BRIDGE_API:
                raise ConversionFailed(
                    f"the worker speaks {api}, this converter needs {BRIDGE_API}"
                )
            return
        raise ConversionFailed(f"the worker did not answer in time (last error: {last})")

    def _ping(self, sock: Path) -> bool:
        # info() asks LibreOffice for its version over UNO, so it fails when LibreOffice is gone.
        try:
            with self._proxy(sock, _PING_TIMEOUT) as proxy:
                proxy.info()
        except Exception:
            return False
        return True

    def _proxy(self, sock: Path, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            "http://worker/", transport=_UnixTransport(sock, timeout), allow_none=True
        )

    def _log_tail(self, limit: int = 2000) -> str:
        directory = self._dir
        if directory is None:
            return ""
        try:
            data = (directory / _LOG_FILE).read_bytes()[-limit:]
        except OSError:
            return ""
        return data.decode(errors="replace").strip()


class _Watchdog:
    """Kills a worker whose job outlives its timeout."""

    def __init__(self, worker: Worker, timeout: float) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._fired = False
        self._timer = threading.Timer(timeout, self._fire, (worker,))
        self._timer.daemon = True
        self._timer.start()

    def _fire(self, worker: Worker) -> None:
        with self._lock:
            if self._done:
                return
            self._fired = True
        logger.warning("LibreOffice worker %d timed out; killing it", worker.slot)
        worker.kill()

    def stop(self) -> bool:
        """Stop watching; True when the timeout had already fired."""
        self._timer.cancel()
        with self._lock:
            self._done = True
            return self._fired


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over the worker's Unix socket."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("worker", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        """Connect to the socket instead of a TCP address."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self._path))
        except BaseException:
            sock.close()
            raise
        self.sock = sock


class _UnixTransport(xmlrpc.client.Transport):
    """An XML-RPC transport to a Unix socket, giving up after ``timeout`` seconds."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__()
        self._path = path
        self._timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        """A connection to the worker's socket."""
        return _UnixConnection(self._path, self._timeout)


def _fault_text(fault: xmlrpc.client.Fault) -> str:
    # the bridge's faults read "<class 'RuntimeError'>:Could not load document ..."
    text = str(fault.faultString)
    kind, sep, message = text.partition(">:")
    return message if sep and kind.startswith("<class ") else text
