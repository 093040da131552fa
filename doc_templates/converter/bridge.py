"""The worker's own side: run as a script by Debian's ``/usr/bin/python3 -I``, never imported.

It starts LibreOffice listening on a UNO *pipe* and serves ``info``/``convert`` over XML-RPC on
a *Unix socket* in the worker's directory — no TCP port at all. The worker directory lives in
the service's 0700 data directory and everything is created under umask 077, so the pipe
(``/tmp/OSL_PIPE_<uid>_<name>``, mode 0700) and the socket can be reached only by the service's
own user: no other local user can make LibreOffice open a file for them (a UNO or XML-RPC port
on 127.0.0.1 would let any of them read whatever the service can).

The conversion itself is unoserver's ``UnoConverter`` (so no hand-written UNO export code),
connected through the pipe, with each document loaded ``Hidden`` (no view is built for it,
about a third of a one-page job).

Arguments: LIB PARENT_PID WORK_DIR SOFFICE SOCKET PIPE — LIB holds symlinks to the unoserver package
only; SOCKET is the path to serve on (in a 0700 directory of its own, short enough for a Unix
socket's 108 bytes); PIPE the name of LibreOffice's UNO pipe.
"""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import xmlrpc.client
import xmlrpc.server
from typing import Any

API = "anjuan-1"
CONNECT_TIMEOUT = 60.0


def die_with_parent(parent: int) -> None:
    """SIGKILL the whole process group once the service is gone (SIGKILL, OOM killer)."""
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGKILL)


class UnixXMLRPCServer(socketserver.UnixStreamServer, xmlrpc.server.SimpleXMLRPCDispatcher):
    """SimpleXMLRPCServer on a Unix socket (one job at a time, as LibreOffice is)."""

    logRequests = False

    def __init__(self, path: str) -> None:
        xmlrpc.server.SimpleXMLRPCDispatcher.__init__(self, allow_none=True, encoding=None)
        socketserver.UnixStreamServer.__init__(self, path, _Handler)


class _Handler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    disable_nagle_algorithm = False  # a TCP option; this is a Unix socket

    def address_string(self) -> str:
        return "unix"

    def log_message(self, format: str, *args: Any) -> None:
        pass


def start_office(soffice: str, work_dir: str, pipe: str) -> subprocess.Popen[bytes]:
    """LibreOffice, accepting UNO on the pipe only."""
    profile = "file://" + os.path.join(work_dir, "profile")
    command = [
        soffice,
        "--headless",
        "--invisible",
        "--nocrashreport",
        "--nodefault",
        "--nologo",
        "--nofirststartwizard",
        "--norestore",
        "-env:UserInstallation=" + profile,
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL)


def connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    """unoserver's converter, connected through the pipe once LibreOffice listens."""
    import uno
    from unoserver import converter

    class PipeConverter(converter.UnoConverter):
        def __init__(self) -> None:
            self.local_context = uno.getComponentContext()
            self.resolver = self.local_context.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", self.local_context
            )
            self.context = self.resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
            )
            self.service = self.context.ServiceManager
            self.desktop = HiddenDesktop(
                self.service.createInstanceWithContext("com.sun.star.frame.Desktop", self.context),
                converter.PropertyValue,
            )
            self.filter_service = self.service.createInstanceWithContext(
                "com.sun.star.document.FilterFactory", self.context
            )
            self.type_service = self.service.createInstanceWithContext(
                "com.sun.star.document.TypeDetection", self.context
            )
            self.temp_dir = None
            self._export_filters = None
            self._import_filters = None

    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        if office.poll() is not None:
            raise SystemExit(f"LibreOffice exited with status {office.returncode}")
        try:
            return PipeConverter()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class HiddenDesktop:
    """The desktop, loading every document with ``Hidden=True``."""

    def __init__(self, desktop: Any, property_value: Any) -> None:
        self._desktop = desktop
        self._hidden = property_value(Name="Hidden", Value=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desktop, name)

    def loadComponentFromURL(self, url: str, frame: str, flags: int, props: tuple[Any, ...]) -> Any:
        return self._desktop.loadComponentFromURL(url, frame, flags, (*props, self._hidden))


def main(argv: list[str]) -> None:
    lib, parent, work_dir, soffice, path, pipe = argv[1:7]
    os.umask(0o077)
    sys.path.insert(0, lib)
    threading.Thread(target=die_with_parent, args=(int(parent),), daemon=True).start()
    office = start_office(soffice, work_dir, pipe)
    conv = connect(pipe, office)

    def info() -> dict[str, str]:
        return {"api": API, "libreoffice": conv.uno_info()}

    def convert(
        data: xmlrpc.client.Binary,
        filtername: str,
        filter_options: list[str],
        infiltername: str,
    ) -> xmlrpc.client.Binary:
        pdf = conv.convert(
            indata=data.data,
            convert_to="pdf",
            filtername=filtername,
            filter_options=list(filter_options),
            update_index=False,  # our documents have no indexes; it re-lays them out
            infiltername=infiltername,
        )
        return xmlrpc.client.Binary(pdf)

    server = UnixXMLRPCServer(path)
    server.register_function(info)
    server.register_function(convert)  # type: ignore[arg-type]
    server.serve_forever()


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    main(sys.argv)
