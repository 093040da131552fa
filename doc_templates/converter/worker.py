"""One warm LibreOffice: unoserver's own server under Debian's Python, called over XML-RPC.

Why it is put together this way:

* ``python3-uno`` imports only in Debian's ``/usr/bin/python3``, so the UNO side cannot live in
  our venv. unoserver (the maintained successor of unoconv) is exactly that bridge: its server
  starts LibreOffice with ``--accept``, connects over UNO and serves ``convert`` over XML-RPC.
  We run its unmodified entry point, ``unoserver.server.main``, under ``/usr/bin/python3 -I``
  with one directory put first on ``sys.path``: it holds only symlinks to the venv's
  ``unoserver`` package and its ``.dist-info`` (unoserver reads its own version from the
  metadata). ``-I`` keeps PYTHONPATH and user site-packages out, so nothing else from the venv
  or the environment can shadow Debian's modules; appending the venv's whole site-packages
  instead would have let a Debian-packaged unoserver win silently, or venv packages built for
  another Python leak in. No hand-written UNO code is needed.
* Our side speaks the server's documented XML-RPC API 3 with ``xmlrpc.client`` (the version is
  checked against ``info()["api"]`` at start-up). unoserver's ``UnoClient`` is not used: on a
  refused connection it sleeps 10 s between five retries, and it asks for ``info()`` before
  every job; a pool must fail fast and move the job to another worker.
* A few lines run before unoserver's ``main`` (:data:`_BOOTSTRAP`): they SIGKILL the worker's
  process group when our process disappears without closing the pool (SIGKILL, OOM killer),
  which no ``atexit`` hook can cover; and they make unoserver load each document with
  ``Hidden=True``, as unoconv and Carbone do. unoserver passes only ``ReadOnly``, so LibreOffice
  built a view for every document: a third of a one-page job (146 → 97 ms measured through
  UNO on this 2-core machine), for the same PDF. The desktop it loads through is wrapped, not
  patched, and everything else of unoserver runs as shipped.
* The worker is one process group (unoserver, ``oosplash``, ``soffice.bin``), started in its
  own session, so one ``killpg`` ends all of it. Its profile and temporary files (TMPDIR too)
  live in one directory that is removed with it, and so is the profile's IPC socket in /tmp.
* unoserver's server waits a fixed 5 s for LibreOffice before it serves, so a (re)start takes
  about 6 s; the pool restarts workers in the background while the others keep converting.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

from docx import Document

from doc_templates.converter.errors import ConversionError, ConversionFailed, ConversionTimeout
from doc_templates.converter.plumbing import free_ports, ipc_pipe_paths

logger = logging.getLogger(__name__)

UNO_PYTHON = "/usr/bin/python3"
UNOSERVER_API = "3"
PDF_FILTER = "writer_pdf_Export"
# PDF/A-2b; PDF/A also makes LibreOffice embed every font it uses.
PDF_OPTIONS = ["SelectPdfVersion=2"]
# Without an explicit import filter LibreOffice opens anything that is not DOCX as plain text.
DOCX_FILTER = "MS Word 2007 XML"

_HOST = "127.0.0.1"
_LOG_FILE = "unoserver.log"
_PING_TIMEOUT = 5.0
# A job's socket gives up this long after its own timeout, in case killing the worker did not
# break the connection.
_RPC_GRACE = 10.0

_BOOTSTRAP = """\
import os, signal, sys, threading, time
lib, parent = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, lib)

def die_with_parent():
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGKILL)

threading.Thread(target=die_with_parent, daemon=True).start()
from unoserver import converter

class HiddenDesktop:
    def __init__(self, desktop):
        self.desktop = desktop

    def __getattr__(self, name):
        return getattr(self.desktop, name)

    def loadComponentFromURL(self, url, frame, flags, props):
        hidden = converter.PropertyValue(Name="Hidden", Value=True)
        return self.desktop.loadComponentFromURL(url, frame, flags, (*props, hidden))

unoserver_init = converter.UnoConverter.__init__

def init(self, *args, **kwargs):
    unoserver_init(self, *args, **kwargs)
    self.desktop = HiddenDesktop(self.desktop)

converter.UnoConverter.__init__ = init
from unoserver.server import main
sys.argv = ["unoserver", *sys.argv[3:]]
sys.exit(main())
"""


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
    """One unoserver + LibreOffice process group, started and restarted by the pool."""

    def __init__(
        self, slot: int, *, root: Path, lib: Path, soffice: str, env: dict[str, str]
    ) -> None:
        self.slot = slot
        self.jobs = 0
        self._root = root
        self._lib = lib
        self._soffice = soffice
        self._env = env
        self._lock = threading.Lock()
        self._closed = False
        self._doomed = False
        self._generation = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None
        self._port = 0

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
        """Spawn the processes, wait until unoserver answers and convert a warm-up document."""
        deadline = time.monotonic() + timeout
        self.discard()
        try:
            proc, port = self._spawn()
            self._wait_ready(proc, port, deadline)
            self._convert(warmup_docx(), max(deadline - time.monotonic(), 1.0))
        except (ConversionError, WorkerCrashed) as exc:
            tail = self._log_tail()
            self.discard()
            raise ConversionFailed(
                f"LibreOffice worker {self.slot} did not start: {exc}"
                + (f"\n--- unoserver log ---\n{tail}" if tail else "")
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
            port = self._port if self._proc is not None and not self._doomed else 0
        if not port:
            raise WorkerCrashed(f"LibreOffice worker {self.slot} is not running")
        watchdog = _Watchdog(self, timeout)
        try:
            with self._proxy(port, timeout + _RPC_GRACE) as proxy:
                result = proxy.convert(
                    None,
                    xmlrpc.client.Binary(docx),
                    None,
                    "pdf",
                    PDF_FILTER,
                    PDF_OPTIONS,
                    False,  # update_index: our documents have no indexes; it re-lays them out
                    DOCX_FILTER,
                    None,
                )
        except Exception as exc:
            if watchdog.stop():
                raise ConversionTimeout(
                    f"LibreOffice did not convert the document within {timeout:g} s"
                ) from None
            if isinstance(exc, xmlrpc.client.Fault) and self._ping(port):
                raise ConversionFailed(
                    f"LibreOffice could not convert the document: {_fault_text(exc)}"
                ) from None
            raise WorkerCrashed(
                f"LibreOffice worker {self.slot} failed mid-job: {str(exc)[:300]}"
            ) from exc
        watchdog.stop()
        if not isinstance(result, xmlrpc.client.Binary):
            raise ConversionFailed(f"unoserver answered {type(result).__name__}, not the PDF")
        return result.data

    def kill(self) -> None:
        """SIGKILL the whole process group; safe from any thread, does not wait."""
        with self._lock:
            proc = self._proc
            self._doomed = True
        if proc is not None:
            # The group outlives its leader when unoserver itself dies, so signal it regardless.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)

    def discard(self) -> None:
        """Kill the processes, reap the leader and remove the worker's directory."""
        self.kill()
        with self._lock:
            proc, self._proc = self._proc, None
            directory, self._dir = self._dir, None
        if proc is not None:
            proc.wait()
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
            for pipe in ipc_pipe_paths(directory / "profile"):
                pipe.unlink(missing_ok=True)

    def close(self) -> None:
        """Discard the processes for good: later starts are refused."""
        with self._lock:
            self._closed = True
        self.discard()

    def _spawn(self) -> tuple[subprocess.Popen[bytes], int]:
        with self._lock:
            if self._closed:
                raise ConversionError("the converter pool is closed")
            self._generation += 1
            directory = self._root / f"worker{self.slot}.{self._generation}"
            self._dir = directory
            try:
                proc, port = self._popen(directory)
            except OSError as exc:
                raise ConversionFailed(f"cannot start unoserver: {exc}") from exc
            self._proc, self._port, self._doomed = proc, port, False
        logger.debug("LibreOffice worker %d spawned: pgid %d, port %d", self.slot, proc.pid, port)
        return proc, port

    def _popen(self, directory: Path) -> tuple[subprocess.Popen[bytes], int]:
        (directory / "tmp").mkdir(parents=True)
        port, uno_port = free_ports(_HOST, 2)
        command = [
            UNO_PYTHON,
            "-I",
            "-c",
            _BOOTSTRAP,
            str(self._lib),
            str(os.getpid()),
            "--interface",
            _HOST,
            "--port",
            str(port),
            "--uno-interface",
            _HOST,
            "--uno-port",
            str(uno_port),
            "--user-installation",
            str(directory / "profile"),
            "--temp-dir",
            str(directory / "tmp"),
            "--executable",
            self._soffice,
            "--quiet",
        ]
        with (directory / _LOG_FILE).open("wb") as log:
            proc = subprocess.Popen(
                command,
                cwd=directory,
                env={**self._env, "TMPDIR": str(directory / "tmp")},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return proc, port

    def _wait_ready(self, proc: subprocess.Popen[bytes], port: int, deadline: float) -> None:
        last: Exception | None = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ConversionFailed(f"unoserver exited with status {proc.returncode}")
            try:
                with self._proxy(port, _PING_TIMEOUT) as proxy:
                    info = proxy.info()
            except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
                last = exc  # not listening yet, or LibreOffice still starting
                time.sleep(0.1)
                continue
            api = info.get("api") if isinstance(info, dict) else None
            if api != UNOSERVER_API:
                raise ConversionFailed(
                    f"unoserver speaks API {api}, this converter needs API {UNOSERVER_API}"
                )
            return
        raise ConversionFailed(f"unoserver did not answer in time (last error: {last})")

    def _ping(self, port: int) -> bool:
        # info() asks LibreOffice for its version over UNO, so it fails when LibreOffice is gone.
        try:
            with self._proxy(port, _PING_TIMEOUT) as proxy:
                proxy.info()
        except Exception:
            return False
        return True

    def _proxy(self, port: int, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://{_HOST}:{port}", transport=_Transport(timeout), allow_none=True
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


class _Transport(xmlrpc.client.Transport):
    """An XML-RPC transport whose socket gives up after ``timeout`` seconds."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        """The stock connection, with our socket timeout."""
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _fault_text(fault: xmlrpc.client.Fault) -> str:
    # unoserver's faults read "<class 'RuntimeError'>:Could not load document ..."
    text = str(fault.faultString)
    kind, sep, message = text.partition(">:")
    return message if sep and kind.startswith("<class ") else text
