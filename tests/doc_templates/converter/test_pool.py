"""The warm LibreOffice pool: real PDF/A-2b with embedded CJK fonts, and it survives crashes."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from doc_templates.converter import (
    ConversionError,
    ConversionFailed,
    ConversionTimeout,
    ConverterPool,
    PoolStats,
)
from doc_templates.converter import pool as pool_module
from doc_templates.converter.plumbing import ipc_pipe_paths
from doc_templates.converter.worker import Worker
from doc_templates.fonts import fontconfig_env

pytestmark = pytest.mark.slow

TITLE = "中村市某某餐饮管理有限公司 行政约谈通知书"
ENV_MARK = "ANJUAN_CONVERTER_TEST"
REPO = Path(__file__).resolve().parents[3]


def make_docx(paragraphs: int = 3) -> bytes:
    """A DOCX with the title and numbered paragraphs of Chinese body text."""
    document = Document()
    document.add_heading(TITLE, level=1)
    for n in range(1, paragraphs + 1):
        document.add_paragraph(
            f"{n}. 经查，你单位后厨环境卫生不符合食品安全标准。根据《中华人民共和国食品安全法》"
            "第一百一十四条的规定，请你单位法定代表人于二〇二六年三月五日上午九时到本机关接受"
            "行政约谈，并携带营业执照副本及整改材料。"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SMALL_DOCX = make_docx()


def assert_pdf(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    return reader


def group_members(pgid: int) -> dict[int, str]:
    """pid → command name of every live (non-zombie) process in the process group."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            found[int(entry.name)] = comm
    return found


def office_pid(pgid: int) -> int:
    [pid] = [pid for pid, comm in group_members(pgid).items() if comm == "soffice.bin"]
    return pid


def wait_for(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def settled(pool: ConverterPool) -> PoolStats:
    """Wait until every worker is idle and return the stats then."""
    wait_for(lambda: all(w.state == "idle" for w in pool.stats().workers), what="all workers idle")
    return pool.stats()


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConverterPool]:
    work_dir = tmp_path_factory.mktemp("converter")
    env = {**fontconfig_env(), ENV_MARK: "on"}
    with ConverterPool(2, timeout=30, work_dir=work_dir, env=env) as started:
        yield started


def test_a_pool_converts_nothing_before_start() -> None:
    with pytest.raises(ConversionError, match="not started"):
        ConverterPool().convert(SMALL_DOCX)


def test_a_relative_work_dir_works_as_the_service_default_gives_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the service's data dir defaults to ./var
    with ConverterPool(1, timeout=30, work_dir=Path("var/converter"), env=fontconfig_env()) as p:
        assert_pdf(p.convert(SMALL_DOCX))


def test_converts_chinese_docx_to_pdf_with_its_text(pool: ConverterPool) -> None:
    reader = assert_pdf(pool.convert(SMALL_DOCX))
    text = "".join(page.extract_text() for page in reader.pages)
    assert re.sub(r"\s", "", TITLE) in re.sub(r"\s", "", text)
    assert "食品安全法" in text


def test_pdf_embeds_the_cjk_fonts(pool: ConverterPool, tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pool.convert(SMALL_DOCX))
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # name type... emb sub uni object-id generation: the type may contain spaces.
    fonts = {line.split()[0]: line.split()[-5] for line in lines}
    cjk = {name: emb for name, emb in fonts.items() if "CJK" in name}
    assert cjk, f"no CJK font in {fonts}"
    assert set(fonts.values()) == {"yes"}, fonts


def test_pdf_declares_pdfa_2b(pool: ConverterPool) -> None:
    reader = assert_pdf(pool.convert(SMALL_DOCX))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    part = re.search(r'pdfaid:part(?:>|=")\s*(\d+)', xmp)
    conformance = re.search(r'pdfaid:conformance(?:>|=")\s*(\w+)', xmp)
    assert part and part.group(1) == "2", xmp
    assert conformance and conformance.group(1) == "B", xmp


def test_soffice_gets_the_env_and_no_worker_listens_on_a_tcp_port(pool: ConverterPool) -> None:
    settled(pool)
    for worker in pool.stats().workers:
        assert worker.pgid is not None
        environ = Path(f"/proc/{office_pid(worker.pgid)}/environ").read_bytes().split(b"\0")
        assert f"{ENV_MARK}=on".encode() in environ
        addresses = {address for pid in group_members(worker.pgid) for address in listening_on(pid)}
        assert addresses == set()  # UNO on a pipe, XML-RPC on a Unix socket


def _unix_sockets_of(pgid: int) -> list[str]:
    """Paths of the listening Unix sockets the worker's processes hold."""
    inodes = set()
    for pid in group_members(pgid):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    paths = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        # Num RefCount Protocol Flags Type St Inode Path; flag 00010000 = listening
        if len(fields) >= 8 and fields[6] in inodes and int(fields[3], 16) & 0x10000:
            paths.append(fields[7])
    return paths


PROBE = """
import os, socket, sys
uid = int(sys.argv[1])
if uid:
    os.setgid(uid); os.setgroups([]); os.setuid(uid)
for path in sys.argv[2:]:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        print(path, "connected")
    except OSError as exc:
        print(path, type(exc).__name__)
    finally:
        s.close()
"""


def test_another_local_user_cannot_reach_a_worker(
    pool: ConverterPool, prerequisite_missing
) -> None:
    if os.getuid() != 0:
        prerequisite_missing("needs root to try the workers as another user")
    settled(pool)
    worker = pool.stats().workers[0]
    assert worker.pgid is not None
    paths = [p for p in _unix_sockets_of(worker.pgid) if p.startswith("/")]
    # the bridge's XML-RPC socket and LibreOffice's UNO pipe (and its single-instance pipe)
    assert any(p.endswith(".sock") for p in paths), paths
    assert any("OSL_PIPE" in p and "anjuan-" in p for p in paths), paths

    def probe(uid: int) -> dict[str, str]:
        out = subprocess.run(
            [sys.executable, "-c", PROBE, str(uid), *paths],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return dict(line.rsplit(" ", 1) for line in out.splitlines())

    nobody = 65534
    assert set(probe(nobody).values()) == {"PermissionError"}, probe(nobody)
    assert set(probe(0).values()) == {"connected"}  # the same probe reaches them as the service


def test_rejects_a_non_docx_without_restarting_the_worker(pool: ConverterPool) -> None:
    before = settled(pool)
    with pytest.raises(ConversionFailed, match="could not convert"):
        pool.convert(b"this is not a DOCX")
    assert_pdf(pool.convert(SMALL_DOCX))
    after = pool.stats()
    assert after.restarts == before.restarts
    assert all(w.state == "idle" for w in after.workers)


def test_four_threads_convert_at_once(pool: ConverterPool) -> None:
    documents = [make_docx(n) for n in range(1, 9)]
    with ThreadPoolExecutor(4) as executor:
        pdfs = list(executor.map(pool.convert, documents))
    for pdf in pdfs:
        assert_pdf(pdf)


def test_job_past_its_timeout_fails_cleanly_and_the_next_succeeds(pool: ConverterPool) -> None:
    before = settled(pool)
    with pytest.raises(ConversionTimeout, match=r"within 0\.01 s"):
        pool.convert(SMALL_DOCX, timeout=0.01)
    assert_pdf(pool.convert(SMALL_DOCX))
    after = settled(pool)
    assert after.timeouts == before.timeouts + 1
    assert after.restarts == before.restarts + 1


def test_survives_libreoffice_killed_between_jobs(pool: ConverterPool) -> None:
    before = settled(pool)
    victim = before.workers[1]
    assert victim.pgid is not None
    os.kill(office_pid(victim.pgid), signal.SIGKILL)
    # Two jobs: with the workers taken in turn, one of them meets the dead worker.
    assert_pdf(pool.convert(SMALL_DOCX))
    assert_pdf(pool.convert(SMALL_DOCX))
    after = settled(pool)
    assert after.restarts == before.restarts + 1
    assert after.jobs_failed == before.jobs_failed
    assert after.workers[1].pgid != victim.pgid


def test_job_in_flight_is_retried_when_its_libreoffice_is_killed(pool: ConverterPool) -> None:
    before = settled(pool)
    big = make_docx(1500)  # 150 pages: seconds of work even for a warm LibreOffice
    with ThreadPoolExecutor(1) as executor:
        job = executor.submit(pool.convert, big)
        wait_for(lambda: any(w.state == "busy" for w in pool.stats().workers), what="busy")
        [busy] = [w for w in pool.stats().workers if w.state == "busy"]
        assert busy.pgid is not None
        time.sleep(0.3)
        os.kill(office_pid(busy.pgid), signal.SIGKILL)
        reader = assert_pdf(job.result(timeout=60))
    assert len(reader.pages) > 100
    assert_pdf(pool.convert(SMALL_DOCX))
    after = settled(pool)
    assert after.retries == before.retries + 1
    assert after.restarts == before.restarts + 1
    assert after.jobs_failed == before.jobs_failed


def test_close_kills_every_process_and_removes_its_files(tmp_path: Path) -> None:
    with ConverterPool(1, work_dir=tmp_path) as pool:
        assert_pdf(pool.convert(SMALL_DOCX))
        [worker] = pool.stats().workers
        assert worker.pgid is not None
        [root] = tmp_path.iterdir()
        profile = next(root.glob("worker0.*")) / "profile"
        assert any(p.exists() for p in ipc_pipe_paths(profile))
    assert group_members(worker.pgid) == {}
    assert list(tmp_path.iterdir()) == []
    assert not any(p.exists() for p in ipc_pipe_paths(profile))
    with pytest.raises(ConversionError, match="closed"):
        pool.convert(SMALL_DOCX)


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    script = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from doc_templates.converter import ConverterPool\n"
        f"pool = ConverterPool(1, work_dir=Path({str(tmp_path)!r}))\n"
        "pool.start()\n"
        "print(json.dumps(pool.stats().workers[0].pgid), flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        pgid = json.loads(parent.stdout.readline())
        assert "soffice.bin" in group_members(pgid).values()
    finally:
        parent.kill()
        parent.wait()
    wait_for(lambda: group_members(pgid) == {}, timeout=10, what="the orphaned workers to die")
    # Nobody was left to remove LibreOffice's socket in /tmp.
    for profile in tmp_path.glob("converter-*/worker*/profile"):
        for pipe in ipc_pipe_paths(profile):
            pipe.unlink(missing_ok=True)


def listening_on(pid: int) -> set[tuple[str, int]]:
    """(IPv4 address, port) of every TCP socket the process listens on, read from /proc."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    except OSError:
        return set()
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A = LISTEN
                address, port = local.split(":")
                host = ".".join(str(b) for b in reversed(bytes.fromhex(address)))
                found.add((host if table == "tcp" else f"v6:{address}", int(port, 16)))
    return found


class FakeClock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _attempt_times(starts: list[float]) -> list[float]:
    """When the pool tried to start the worker (the attempts of one start share a time)."""
    return sorted(set(starts))


def _restarted(pool: ConverterPool) -> None:
    wait_for(
        lambda: all(w.state != "restarting" for w in pool.stats().workers),
        timeout=120,
        what="the restart to end",
    )


def _kill_and_notice(pool: ConverterPool, pgid: int) -> None:
    """Kill the worker; the next heal restarts it at once (it was running until now)."""
    os.killpg(pgid, signal.SIGKILL)
    wait_for(lambda: pool.heal() or not pool.ready, what="the death noticed")
    _restarted(pool)


def _heal_until(pool: ConverterPool, clock: FakeClock, until: float) -> None:
    """The supervisor's loop on the fake clock: heal once a second, each restart finished."""
    while clock.now < until:
        clock.now += 1.0
        pool.heal()
        _restarted(pool)


def test_a_worker_that_dies_at_start_is_retried_with_growing_delays_reset_by_a_good_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    starts: list[float] = []
    real_start = Worker.start

    def dies_at_start(self: Worker, timeout: float) -> None:
        starts.append(clock.now)
        raise ConversionFailed(f"LibreOffice worker {self.slot} did not start: it died")

    monkeypatch.setattr(pool_module, "_RESTART_BACKOFF", 0.0)  # between attempts of one start
    with ConverterPool(1, timeout=30, work_dir=tmp_path, env=fontconfig_env(), clock=clock) as pool:
        [worker] = pool.stats().workers
        assert worker.pgid is not None
        monkeypatch.setattr(Worker, "start", dies_at_start)
        _kill_and_notice(pool, worker.pgid)
        _heal_until(pool, clock, clock.now + 190)

        gaps = [b - a for a, b in itertools.pairwise(_attempt_times(starts))]
        assert gaps == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
        assert "next start in 32 s" in caplog.text and "next start in 60 s" in caplog.text
        assert pool.stats().workers[0].state == "broken"
        tried = len(starts)
        with pytest.raises(ConversionFailed, match="next start is in"):
            pool.convert(SMALL_DOCX)  # a job meets no worker and does not force a start
        assert len(starts) == tried

        monkeypatch.setattr(Worker, "start", real_start)  # LibreOffice starts again
        _heal_until(pool, clock, clock.now + 60)
        assert_pdf(pool.convert(SMALL_DOCX))
        restarted = pool.stats().workers[0]
        assert restarted.state == "idle" and restarted.pgid is not None

        monkeypatch.setattr(Worker, "start", dies_at_start)
        starts.clear()
        _kill_and_notice(pool, restarted.pgid)
        _heal_until(pool, clock, clock.now + 10)
        gaps = [b - a for a, b in itertools.pairwise(_attempt_times(starts))]
        assert gaps == [2.0, 4.0]  # the good start reset the back-off
