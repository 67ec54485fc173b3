"""DOC and WPS files, read by converting them to DOCX with LibreOffice (``soffice --headless``).

Both are OLE2 binaries no Python library reads well; LibreOffice does. Where it is not
installed the extractor says so (ConverterMissing), naming the converter to install.

A .doc can make LibreOffice fetch any URL (an ``INCLUDEPICTURE "http://…" \\d`` field is
fetched with OPTIONS, HEAD and GET while converting), so a conversion is fenced in:

- no network: its own network namespace (``unshare -n``, ``unshare -rn`` when not root)
  where the kernel allows it, and in any case a private profile whose settings never update
  links and send every HTTP(S) request to a proxy on a closed port;
- a private temporary directory (profile, input, output, TMPDIR, HOME) removed afterwards;
- a new process group killed whole when the conversion ends or runs out of time
  (``soffice`` starts ``soffice.bin``, which would otherwise outlive a timeout);
- at most ``converter_processes`` conversions at once on the machine, whatever the number
  of parse workers (a slot is an flock on a lock file, so a killed worker frees its slot).
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parsers import limits
from parsers.document import Document
from parsers.errors import ConverterMissing, ExtractionError
from parsers.extract.docx import extract_docx

_CONVERTERS = ("soffice", "libreoffice")
_SLOT_POLL_SECONDS = 0.2
_CLOSED_PORT = "9"  # discard: nothing listens there, a proxied request fails at once
# Writer's link update mode 0 is "never"; the Inet settings route HTTP(S) through the closed proxy.
_PROFILE_SETTINGS = (
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", _CLOSED_PORT),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", _CLOSED_PORT),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
)


def find_converter() -> str | None:
    for name in _CONVERTERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def extract_doc(data: bytes) -> Document:
    return _converted(data, "doc")


def extract_wps(data: bytes) -> Document:
    return _converted(data, "wps")


def _converted(data: bytes, fmt: str) -> Document:
    converter = find_converter()
    if converter is None:
        raise ConverterMissing(
            f"cannot read a .{fmt} file: LibreOffice (soffice) is not installed; install it to convert {fmt.upper()} to DOCX"
        )
    deadline = time.monotonic() + limits.LIMITS.converter_seconds
    with _converter_slot(deadline), tempfile.TemporaryDirectory(prefix="govreport-convert-") as workdir:
        work = Path(workdir)
        source = work / "in" / f"report.{fmt}"
        source.parent.mkdir()
        source.write_bytes(data)
        converted = convert_to_docx(converter, source, work, deadline)
        doc = extract_docx(converted.read_bytes())
    doc.source_format = fmt
    return doc


def convert_to_docx(converter: str, source: Path, work: Path, deadline: float) -> Path:
    """Run LibreOffice fenced in under ``work`` (which the caller removes); the DOCX it wrote."""
    fmt = source.suffix.lstrip(".")
    profile, out, home, tmp = (work / name for name in ("profile", "out", "home", "tmp"))
    for directory in (out, home, tmp):
        directory.mkdir()
    _write_profile(profile)
    command = [
        *isolation_prefix(), converter, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx", "--outdir", str(out), str(source),
    ]
    env = {**_plain_environment(), "HOME": str(home), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp),
           **{name: f"http://127.0.0.1:{_CLOSED_PORT}" for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy")},
           "no_proxy": ""}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=env, cwd=work, start_new_session=True)
    except OSError as exc:
        raise ExtractionError(f"cannot start LibreOffice ({converter}): {exc.strerror or exc}") from exc
    try:
        _, stderr = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        raise ExtractionError(
            f"LibreOffice took longer than the limit converter_seconds={limits.LIMITS.converter_seconds} converting the .{fmt} file"
        ) from None
    finally:
        _kill_group(process)
    if process.returncode != 0:
        reason = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(f"LibreOffice could not convert the .{fmt} file: {reason[0]}")
    converted = out / f"{source.stem}.docx"
    if not converted.exists():
        raise ExtractionError(f"LibreOffice could not convert the .{fmt} file (damaged or not a Word file)")
    return converted


@functools.cache
def isolation_prefix() -> tuple[str, ...]:
    """The command that gives a child a network namespace of its own, or () where none can be made.

    Containers often forbid new namespaces; the profile's closed proxy is then the only fence.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    # root in a container may lack CAP_SYS_ADMIN yet be allowed a user namespace (-r)
    for prefix in ([(unshare, "-n")] if os.geteuid() == 0 else []) + [(unshare, "-rn")]:
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return ()


def _write_profile(profile: Path) -> None:
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, value in _PROFILE_SETTINGS
    )
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )


def _plain_environment() -> dict[str, str]:
    """The caller's environment without what would point LibreOffice elsewhere (proxies, temp dirs)."""
    dropped = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy", "tmpdir", "tmp", "temp", "home"}
    return {name: value for name, value in os.environ.items() if name.lower() not in dropped}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill everything the conversion started: soffice.bin outlives its soffice wrapper."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


@contextmanager
def _converter_slot(deadline: float) -> Iterator[None]:
    """Hold one of the machine's converter_processes slots while converting."""
    directory = Path(tempfile.gettempdir()) / f"govreport-converter-slots-{os.geteuid()}"
    directory.mkdir(mode=0o700, exist_ok=True)
    while True:
        for number in range(limits.LIMITS.converter_processes):
            handle = open(directory / f"slot-{number}.lock", "a+b")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                handle.close()  # closing releases the flock
            return
        if time.monotonic() >= deadline:
            raise ExtractionError(
                f"no LibreOffice slot came free within converter_seconds={limits.LIMITS.converter_seconds}"
                f" (limit converter_processes={limits.LIMITS.converter_processes})"
            )
        time.sleep(_SLOT_POLL_SECONDS)
