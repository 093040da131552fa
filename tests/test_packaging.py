"""``pip install .`` (not editable) carries everything the service and the benchmarks read:
every file of the packages that is not Python is in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "doc_templates", "archive")


@pytest.mark.slow
def test_the_wheel_holds_every_data_file_of_the_packages(tmp_path: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    wanted = {path for path in tracked if path.endswith(".py") or "." in Path(path).name}
    # built from a copy of the tracked tree (setuptools leaves build/ in the tree it builds)
    source = tmp_path / "src"
    source.mkdir()
    archived = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, archived):
        path = Path(name.decode())
        if (REPO / path).is_file():
            (source / path).parent.mkdir(parents=True, exist_ok=True)
            (source / path).write_bytes((REPO / path).read_bytes())
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = wheels.glob("anjuan-*.whl")
    with zipfile.ZipFile(wheel) as z:
        inside = set(z.namelist())
    missing = sorted(wanted - inside)
    assert not missing, missing
