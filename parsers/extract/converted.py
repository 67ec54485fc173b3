"""DOC and WPS files, read by converting them to DOCX with LibreOffice (``soffice --headless``).

Both are OLE2 binaries no Python library reads well; LibreOffice does. Where it is not
installed the extractor says so (ConverterMissing), naming the converter to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parsers.document import Document
from parsers.errors import ConverterMissing, ExtractionError
from parsers.extract.docx import extract_docx

_CONVERTERS = ("soffice", "libreoffice")
_TIMEOUT_SECONDS = 120


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
    with tempfile.TemporaryDirectory(prefix="govreport-") as workdir:
        source = Path(workdir) / f"report.{fmt}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [converter, "--headless", f"-env:UserInstallation=file://{workdir}/profile",
                 "--convert-to", "docx", "--outdir", workdir, str(source)],
                check=True, capture_output=True, timeout=_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExtractionError(f"LibreOffice took over {_TIMEOUT_SECONDS}s converting the .{fmt} file") from exc
        except subprocess.CalledProcessError as exc:
            reason = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise ExtractionError(f"LibreOffice could not convert the .{fmt} file: {reason[0]}") from exc
        converted = source.with_suffix(".docx")
        if not converted.exists():
            raise ExtractionError(f"LibreOffice could not convert the .{fmt} file (damaged or not a Word file)")
        doc = extract_docx(converted.read_bytes())
    doc.source_format = fmt
    return doc
