"""DOC, WPS and ODT files, read by converting them to DOCX with LibreOffice (``soffice --headless``).

DOC and WPS are OLE2 binaries no Python library reads well; LibreOffice does, and reads
OpenDocument text as its own. Where it is not installed the extractor says so
(ConverterMissing), naming the converter to install.

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

Starting LibreOffice is nearly all of a conversion's second, so where LibreOffice's own
Python (with its UNO bridge) is installed, each parse worker keeps one LibreOffice running
between documents (``soffice_worker.py``, inside the same fences). It is started on the
first DOC/WPS, replaced when it dies or runs out of time (its group killed, a one-line
error for that document), ends by itself when the worker's pipe to it closes or after
``_IDLE_SECONDS`` without a document, and is killed when the worker process exits.
Without that Python each document starts its own ``soffice --convert-to``.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parsers import limits
from parsers.document import Document
from parsers.errors import ConverterMissing, ExtractionError
from parsers.extract.docx import extract_docx

_CONVERTERS = ("soffice", "libreoffice")
_WORKER = Path(__file__).with_name("soffice_worker.py")
# A warm LibreOffice holds about 150 MB; one left idle this long by its worker is let go.
_IDLE_SECONDS = 300
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


def extract_odt(data: bytes) -> Document:
    return _converted(data, "odt")


def _converted(data: bytes, fmt: str) -> Document:
    converter = find_converter()
    if converter is None:
        raise ConverterMissing(
            f"cannot read a .{fmt} file: LibreOffice (soffice) is not installed; install it to convert {fmt.upper()} to DOCX"
        )
    deadline = time.monotonic() + limits.LIMITS.converter_seconds
    python = uno_python(converter)
    with _converter_slot(deadline):
        docx = None
        if python is not None:
            try:
                docx = _warm_conversion(python, converter, data, fmt, deadline)
            except _WarmFailure:
                pass  # LibreOffice crashes on some files through UNO that it converts from the command line
        if docx is None:
            docx = _one_shot_conversion(converter, data, fmt, deadline)
    doc = extract_docx(docx)
    doc.source_format = fmt
    return doc


def _one_shot_conversion(converter: str, data: bytes, fmt: str, deadline: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="govreport-convert-") as workdir:
        work = Path(workdir)
        source = work / "in" / f"report.{fmt}"
        source.parent.mkdir()
        source.write_bytes(data)
        return convert_to_docx(converter, source, work, deadline).read_bytes()


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
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=_fenced_environment(home, tmp), cwd=work, start_new_session=True)
    except OSError as exc:
        raise ExtractionError(f"cannot start LibreOffice ({converter}): {exc.strerror or exc}") from exc
    try:
        _, stderr = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        raise _took_too_long(fmt) from None
    finally:
        _kill_group(process)
    if process.returncode != 0:
        reason = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(f"LibreOffice could not convert the .{fmt} file: {reason[0]}")
    converted = out / f"{source.stem}.docx"
    if not converted.exists():
        raise ExtractionError(f"LibreOffice could not convert the .{fmt} file (damaged or not a Word file)")
    return converted


def _took_too_long(fmt: str) -> ExtractionError:
    return ExtractionError(
        f"LibreOffice took longer than the limit converter_seconds={limits.LIMITS.converter_seconds} converting the .{fmt} file"
    )


def _fenced_environment(home: Path, tmp: Path) -> dict[str, str]:
    return {**_plain_environment(), "HOME": str(home), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp),
            **{name: f"http://127.0.0.1:{_CLOSED_PORT}" for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy")},
            "no_proxy": ""}


@functools.cache
def uno_python(converter: str) -> str | None:
    """LibreOffice's own Python, the one that can ``import uno``; None where there is none.

    Upstream builds ship it beside soffice; distributions use the system Python with their
    UNO package (Debian: python3-uno).
    """
    program = Path(os.path.realpath(converter)).parent
    for candidate in (program / "python", Path("/usr/bin/python3")):
        if not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True, timeout=30,
                                   env=_python_environment(_plain_environment()))
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


def _python_environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` without what points a Python at this virtual environment instead of its own."""
    return {name: value for name, value in env.items() if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


class _WarmFailure(ExtractionError):
    """The warm LibreOffice failed on a file (and was closed); the one-shot converter has the last word."""


class WarmConverter:
    """One LibreOffice kept running for this process's conversions (see ``soffice_worker.py``)."""

    def __init__(self, python: str, converter: str, deadline: float) -> None:
        """Start LibreOffice; TimeoutError when it is not ready by ``deadline``, _WarmFailure when it cannot start."""
        self.work = Path(tempfile.mkdtemp(prefix="govreport-convert-"))
        profile, home, tmp = (self.work / name for name in ("profile", "home", "tmp"))
        for directory in (home, tmp, self.work / "in", self.work / "out"):
            directory.mkdir()
        _write_profile(profile)
        pipe = f"govreport-{os.getpid()}-{os.urandom(6).hex()}"
        command = [*isolation_prefix(), python, str(_WORKER), converter, profile.as_uri(), pipe, str(_IDLE_SECONDS)]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, env=_python_environment(_fenced_environment(home, tmp)),
                                            cwd=self.work, start_new_session=True, bufsize=0)
        except OSError as exc:
            shutil.rmtree(self.work, ignore_errors=True)
            raise ExtractionError(f"cannot start LibreOffice ({converter}): {exc.strerror or exc}") from exc
        self._pending = b""
        answer = self._answer(deadline)
        if answer != "ready":
            self.close()
            if answer is None:
                raise TimeoutError("LibreOffice did not start within the time limit")
            raise _WarmFailure(f"LibreOffice did not start through UNO: {answer or 'it exited'}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def convert(self, data: bytes, fmt: str, deadline: float) -> bytes:
        """The DOCX LibreOffice makes of ``data``; on any failure the converter is closed.

        Raises the time-limit ExtractionError when ``deadline`` passes, _WarmFailure otherwise.
        """
        source, target = self.work / "in" / f"report.{fmt}", self.work / "out" / "report.docx"
        source.write_bytes(data)
        try:
            self.process.stdin.write(f"{source}\t{target}\n".encode())  # type: ignore[union-attr]
            answer = self._answer(deadline)
        except BrokenPipeError:
            answer = ""
        try:
            if answer == "ok" and target.exists():
                return target.read_bytes()
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
        self.close()
        if answer is None:
            raise _took_too_long(fmt)
        raise _WarmFailure(answer.removeprefix("error ").strip() if answer else "LibreOffice died converting it")

    def _answer(self, deadline: float) -> str | None:
        """The worker's next line; "" when it exited, None when ``deadline`` passed first."""
        stdout = self.process.stdout
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = select.select([stdout], [], [], remaining)
            if readable:
                chunk = os.read(stdout.fileno(), 4096)  # type: ignore[union-attr]
                if not chunk:
                    return ""
                self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", "replace").strip()

    def close(self) -> None:
        """Kill the worker and its LibreOffice (one process group) and remove their files."""
        _kill_group(self.process)
        shutil.rmtree(self.work, ignore_errors=True)


_warm: WarmConverter | None = None
_warm_pid = 0
_warm_lock = threading.Lock()


def _warm_conversion(python: str, converter: str, data: bytes, fmt: str, deadline: float) -> bytes:
    """Convert with this process's warm LibreOffice, starting one where there is none (or it died)."""
    global _warm, _warm_pid
    with _warm_lock:
        if _warm is not None and (_warm_pid != os.getpid() or not _warm.alive()):
            if _warm_pid == os.getpid():
                _warm.close()
            _warm = None  # a forked child never uses (or kills) its parent's converter
        if _warm is None:
            try:
                _warm, _warm_pid = WarmConverter(python, converter, deadline), os.getpid()
            except TimeoutError:
                raise _took_too_long(fmt) from None
        try:
            return _warm.convert(data, fmt, deadline)
        except ExtractionError:
            _warm = None  # convert() closed it: the next document starts a fresh one
            raise


def stop_converter() -> None:
    """Kill this process's warm LibreOffice, if it has one (run at exit; the end of a crawl)."""
    global _warm
    with _warm_lock:
        if _warm is not None and _warm_pid == os.getpid():
            _warm.close()
        _warm = None


atexit.register(stop_converter)


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
