"""Fontconfig set-up so LibreOffice draws 宋体/仿宋/黑体 … with the Noto CJK SC faces."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

SNIPPET = Path(__file__).resolve().parent / "60-anjuan-cjk.conf"
SYSTEM_CONFIG = Path("/etc/fonts/fonts.conf")


def fonts_conf_xml(snippet: Path = SNIPPET, system: Path = SYSTEM_CONFIG) -> str:
    """A fonts.conf that includes the system configuration and our CJK mapping."""
    include_system = f'  <include ignore_missing="yes">{system}</include>\n'
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"{include_system}"
        f"  <include>{snippet}</include>\n"
        "</fontconfig>\n"
    )


@cache
def fonts_conf_path() -> Path:
    """Write (once per process) the generated fonts.conf and return its path."""
    directory = Path(tempfile.gettempdir()) / "anjuan-fontconfig"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "fonts.conf"
    content = fonts_conf_xml()
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    return path


def fontconfig_env() -> dict[str, str]:
    """Environment variables that make fontconfig (and soffice) use our CJK mapping."""
    return {"FONTCONFIG_FILE": str(fonts_conf_path())}
