"""DOCX → PDF with a cold LibreOffice (one private profile per call)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from doc_templates.fonts import fontconfig_env


class PdfConversionError(Exception):
    """LibreOffice failed, timed out or produced no PDF."""


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise PdfConversionError("soffice not found on PATH")
    return found


def docx_to_pdf(docx: bytes, *, timeout: float = 120) -> bytes:
    """Convert DOCX bytes to PDF bytes with ``soffice --headless --convert-to pdf``."""
    with tempfile.TemporaryDirectory(prefix="anjuan-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        command = [
            _soffice(),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, **fontconfig_env(), "HOME": str(work)}
        # A new session lets a timeout kill soffice.bin too, not just the wrapper script.
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(f"soffice timed out after {timeout:g} s") from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = stderr.decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionError(f"soffice exited {process.returncode}: {detail}")
        return target.read_bytes()
