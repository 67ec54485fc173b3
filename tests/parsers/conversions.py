"""Documents made the way agencies make them: LibreOffice saves and Chromium prints, at test time.

Each maker runs the real program on a source file and caches its output in a directory the
caller gives (a pytest temp dir), so the repository keeps only the sources.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--no-pdf-header-footer")
_TIMEOUT_SECONDS = 600

# target name -> (LibreOffice --convert-to argument, output suffix): what Writer's "Save as" offers
# agencies: Word 2007+ and 97-2003, OpenDocument, "HTML (StarWriter)" (Writer's web page),
# XHTML, PDF (fonts embedded). Not Word 2003 XML: Writer's export of it leaves out vertically
# merged cells, so its tables are not the document's (test_wordml.py makes WordML as Word does).
LIBREOFFICE_TARGETS = {
    "docx": ("docx:MS Word 2007 XML", "docx"),
    "doc": ("doc:MS Word 97", "doc"),
    "odt": ("odt:writer8", "odt"),
    "writer-html": ("html:HTML (StarWriter)", "html"),
    "xhtml": ("html:XHTML Writer File:UTF8", "html"),
    "pdf": ("pdf:writer_pdf_Export", "pdf"),
    "rtf": ("rtf:Rich Text Format", "rtf"),
}


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: Debian packages libreoffice-writer-nogui, fonts-noto-cjk")
    return path


def libreoffice_convert(sources: list[Path], target: str, workdir: Path) -> dict[Path, Path]:
    """Every source saved by LibreOffice Writer as ``target``, one soffice run for all; source -> output."""
    argument, suffix = LIBREOFFICE_TARGETS[target]
    outdir = workdir / target
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = {source: outdir / f"{source.stem}.{suffix}" for source in sources}
    missing = [source for source, output in wanted.items() if not output.exists()]
    if missing:
        html_input = ["--infilter=HTML (StarWriter)"] if all(s.suffix == ".html" for s in missing) else []
        subprocess.run(
            [soffice(), "--headless", f"-env:UserInstallation=file://{workdir}/profile", *html_input,
             "--convert-to", argument, "--outdir", str(outdir), *map(str, missing)],
            check=True, capture_output=True, timeout=_TIMEOUT_SECONDS,
        )
    return wanted


def word_and_saves(word: dict[str, Path], targets: list[str], workdir: Path) -> dict[tuple[str, str], Path]:
    """(name, target) -> the file: each Word file as Word saved it ("word") and saved again by
    LibreOffice as each other target."""
    files = {(name, "word"): path for name, path in word.items()}
    for target in targets:
        if target != "word":
            converted = libreoffice_convert(list(word.values()), target, workdir)
            files |= {(name, target): converted[path] for name, path in word.items()}
    return files


def chromium_print(page: Path, output: Path, *, margin_top_mm: int | None = None) -> Path:
    """The page printed to PDF by headless Chromium; ``margin_top_mm`` moves every page break down the page."""
    if output.exists():
        return output
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is not installed at {CHROMIUM}: Debian package chromium")
    source = page
    if margin_top_mm is not None:
        source = output.with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        source.write_text(html.replace("</head>", f"<style>@page {{ margin-top: {margin_top_mm}mm }}</style></head>", 1),
                          encoding="utf-8")
    subprocess.run(
        [CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={output.parent / 'chromium-profile'}",
         f"--print-to-pdf={output}", source.resolve().as_uri()],
        check=True, capture_output=True, timeout=_TIMEOUT_SECONDS,
    )
    return output
