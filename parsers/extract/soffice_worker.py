"""A LibreOffice kept running between DOC/WPS conversions, driven through its UNO bridge.

Not imported by the parser: ``parsers.extract.converted`` runs this file with LibreOffice's own
Python (the one that can ``import uno``), fenced in the same way as a one-shot conversion.
Starting LibreOffice costs about a second; a warm one converts a report in a fraction of that.

    python3 soffice_worker.py SOFFICE PROFILE_URL PIPE_NAME IDLE_SECONDS

It starts ``soffice`` listening on the named UNO pipe, prints ``ready`` once connected, then
answers each request line ``<source path>\\t<target path>`` with ``ok`` (the DOCX is written)
or ``error <reason>``. It ends, taking LibreOffice with it, when its standard input closes
(the parse worker ended or died), after IDLE_SECONDS without a request, or when LibreOffice dies.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

_CONNECT_POLL_SECONDS = 0.1
_NEVER_EXECUTE_MACROS = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
_NO_LINK_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


def _properties(**values: object) -> tuple:
    properties = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        properties.append(prop)
    return tuple(properties)


def _reply(line: str) -> None:
    sys.stdout.write(line.replace("\n", " ") + "\n")
    sys.stdout.flush()


def _connect(pipe: str, office: subprocess.Popen) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if office.poll() is not None:
                raise SystemExit(f"LibreOffice exited with status {office.returncode} before accepting connections")
            time.sleep(_CONNECT_POLL_SECONDS)


def _convert(desktop: object, source: str, target: str) -> str:
    load = _properties(Hidden=True, ReadOnly=True, MacroExecutionMode=_NEVER_EXECUTE_MACROS, UpdateDocMode=_NO_LINK_UPDATE)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
    if document is None:
        return "error damaged or not a Word file"
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), _properties(FilterName="MS Word 2007 XML"))
    finally:
        document.close(True)
    return "ok"


def _serve(desktop: object, office: subprocess.Popen, idle_seconds: float) -> None:
    while True:
        readable, _, _ = select.select([sys.stdin], [], [], idle_seconds)
        if not readable:
            return
        line = sys.stdin.readline()
        if not line:
            return
        source, target = line.rstrip("\n").split("\t")
        try:
            answer = _convert(desktop, source, target)
        except Exception as exc:  # UNO raises its own exception types for damaged input
            answer = f"error {type(exc).__name__}: {str(exc).strip() or 'no message'}"
        if office.poll() is not None:
            _reply(f"error LibreOffice died converting the file (status {office.returncode})")
            return
        _reply(answer)


def main() -> None:
    soffice, profile, pipe, idle_seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        desktop = _connect(pipe, office)
        _reply("ready")
        _serve(desktop, office, idle_seconds)
    finally:
        # Started as the leader of a process group of its own, soffice.bin goes with the group.
        if os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        office.kill()


if __name__ == "__main__":
    main()
