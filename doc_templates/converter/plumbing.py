"""Process plumbing for the workers: unoserver for Debian's Python, ports, LibreOffice leftovers."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import socket
from pathlib import Path

from doc_templates.converter.errors import ConversionError


def link_unoserver(target: Path) -> Path:
    """Fill ``target`` with symlinks to the installed unoserver package and its metadata only."""
    try:
        dist = importlib.metadata.distribution("unoserver")
    except importlib.metadata.PackageNotFoundError:
        raise ConversionError("unoserver is not installed; `pip install unoserver`") from None
    tops = {f.parts[0] for f in dist.files or ()}
    names = [n for n in tops if n == "unoserver" or n.endswith(".dist-info")]
    if "unoserver" not in names:
        raise ConversionError(f"cannot find the unoserver package files of {dist.version}")
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        (target / name).symlink_to(Path(str(dist.locate_file(name))).resolve())
    return target


def ipc_pipe_paths(profile: Path) -> list[Path]:
    """Where LibreOffice puts the single-instance socket of a profile; a killed office leaves it.

    LibreOffice names it after the MD5 of the profile URL in UTF-16, each byte in hex without
    padding, in /tmp (or /var/tmp when /tmp is not writable) whatever TMPDIR says.
    """
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    name = f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest)
    return [Path("/tmp", name), Path("/var/tmp", name)]


def free_ports(host: str, count: int) -> list[int]:
    """``count`` distinct TCP ports free on ``host`` right now."""
    with contextlib.ExitStack() as held:
        # All sockets stay bound until every port is chosen, so none is handed out twice.
        sockets = [held.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((host, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
