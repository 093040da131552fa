"""Apache PDFBox Preflight (Debian libpdfbox2-java), the only PDF/A validator reachable here.

Preflight validates PDF/A-1b only. The dossier is PDF/A-3b, so the rules PDF/A-2/3 relaxed
are expected failures; anything else is a real defect.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

JARS = [
    "preflight",
    "pdfbox2",
    "fontbox2",
    "xmpbox",
    "commons-logging",
    "javax.activation",
    "jaxb-api",
]
# PDF/A-1 only: embedded files (1.2.9, 1.4.7), transparency groups (2.2.1), CIDSet (3.1.11)
# and Type 1 CharSet (3.1.4) are allowed or optional in PDF/A-2 and PDF/A-3; 7.11.2 is
# Preflight insisting on pdfaid:part 1.
RELAXED_IN_PDFA3 = {"1.2.9", "1.4.7", "2.2.1", "3.1.11", "3.1.4", "7.11.2"}


def preflight_errors(
    pdf: bytes, tmp_path: Path, prerequisite_missing: Callable[[str], NoReturn]
) -> list[tuple[str, str]]:
    """Preflight's errors that PDF/A-3 does not relax (empty: nothing wrong)."""
    jars = [Path(f"/usr/share/java/{name}.jar") for name in JARS]
    if shutil.which("java") is None or not all(jar.is_file() for jar in jars):
        prerequisite_missing(
            "PDFBox Preflight needs Debian libpdfbox2-java, libactivation-java, "
            "libjaxb-api-java and a JRE (scripts/setup.sh --test installs them)"
        )
    path = tmp_path / "preflight.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [
            "java",
            "-cp",
            ":".join(map(str, jars)),
            "org.apache.pdfbox.preflight.Validator_A1b",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = re.findall(r"^(\d+(?:\.\d+)+) : (.*)$", done.stdout, flags=re.MULTILINE)
    assert "error(s)" in done.stdout or "is a valid PDF/A-1b" in done.stdout, done.stdout
    return [error for error in errors if error[0] not in RELAXED_IN_PDFA3]
