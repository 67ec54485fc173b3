"""A PDF parses the same whether or not the machine has a CJK font.

pdfium substitutes a system CJK font for a PDF's non-embedded one (reportlab's STSong-Light
in the fixture PDFs). Without one it still places the characters by the widths the PDF
gives, but its text page drops a text object of one character ("业" of a table header
wrapped as "商业企" and "业"); ``pdf_blanks`` reads it back, and the page stays on pdfium's
path, where it had gone to pdfminer's, two or three times slower.
Here the same files are parsed by a child process that cannot see the machine's CJK fonts
(a private mount namespace with their directories covered), and by one that sees them but
tells pdfium to find no system font, as a parse worker does (``pdf_fonts``): the reports are
the same, and read the same way.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.extract.pdf import extract_pdf
from parsers.extract.pdf_page import pdfium_reads
from parsers.extract.surrogates import document_texts

REPO = Path(__file__).resolve().parents[2]
PDFS = [REPO / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.pdf", REPO / "fixtures" / "real" / "huaian_szf_2024.pdf"]
_CHILD = (
    "import json, sys\n"
    "from parsers.extract.pdf_fonts import without_system_fonts\n"
    "if sys.argv[1] == 'no-system-fonts':\n"
    "    without_system_fonts()\n"
    "from parsers.api import parse_bytes\n"
    "from parsers.extract.pdf import extract_pdf\n"
    "from parsers.extract.pdf_page import pdfium_reads\n"
    "from parsers.extract.surrogates import document_texts\n"
    "out = []\n"
    "for path in sys.argv[2:]:\n"
    "    data = open(path, 'rb').read()\n"
    "    out.append([pdfium_reads(data), parse_bytes(data, filename='report.pdf')[1].to_dict(),\n"
    "                list(document_texts(extract_pdf(data)))])\n"
    "print(json.dumps(out, ensure_ascii=False))\n"
)


def _cjk_font_dirs() -> list[str]:
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    return sorted({str(Path(line.split(":")[0]).parent) for line in listed.splitlines() if line.strip()})


def _child(pdfium_fonts: str) -> list[str]:
    return [sys.executable, "-c", _CHILD, pdfium_fonts, *map(str, PDFS)]


def _without_cjk_fonts(dirs: list[str]) -> list:
    mounts = "".join(f"mount -t tmpfs none {shlex.quote(d)} && " for d in dirs)
    command = f"{mounts}exec " + " ".join(map(shlex.quote, _child("system-fonts")))
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", command],
                          capture_output=True, text=True, cwd=REPO, timeout=300, check=True)
    return json.loads(done.stdout)


def _here() -> list:
    return [[pdfium_reads(data), parse_bytes(data, filename="report.pdf")[1].to_dict(), list(document_texts(extract_pdf(data)))]
            for data in (p.read_bytes() for p in PDFS)]


@pytest.mark.skipif(shutil.which("fc-list") is None or not _cjk_font_dirs(), reason="no CJK system font to hide")
def test_pdfs_read_the_same_with_the_cjk_fonts_hidden() -> None:
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespace can be made here (unshare -m)")
    here = _here()
    hidden = _without_cjk_fonts(_cjk_font_dirs())
    assert [report for _, report, _ in hidden] == json.loads(json.dumps([report for _, report, _ in here], ensure_ascii=False))
    assert [texts for _, _, texts in hidden] == [texts for _, _, texts in here]
    assert {"商业企\n业", "科研机\n构"} <= set(hidden[0][2])  # a cell's wrapped last character, an object of its own
    # the non-embedded CJK font as the embedded ones: pdfium's fast path on both sides
    assert [reads for reads, _, _ in here] == [True, True] and [reads for reads, _, _ in hidden] == [True, True]


def test_pdfs_read_the_same_when_pdfium_is_given_no_system_font() -> None:
    """As a parse worker reads them (``pdf_fonts``): the machine's fonts in place, pdfium told to find none."""
    done = subprocess.run(_child("no-system-fonts"), capture_output=True, text=True, cwd=REPO, timeout=300, check=True)
    here, without = _here(), json.loads(done.stdout)
    assert [report for _, report, _ in without] == json.loads(json.dumps([report for _, report, _ in here], ensure_ascii=False))
    assert [texts for _, _, texts in without] == [texts for _, _, texts in here]
    assert [reads for reads, _, _ in without] == [True, True]


_DRAWING_CHILD = """
import json, sys
import pypdfium2 as pdfium
from parsers.extract.ocr_scan import pdf_page_as_read
from parsers.extract.pdf_fonts import system_fonts_used, without_system_fonts
from parsers.extract.pdf_unreadable import drawn_page
data = open(sys.argv[1], 'rb').read()
with_fonts = pdf_page_as_read(data, 1)
without_system_fonts()
out = []
for _ in range(3):  # given back and taken away again, each time
    out.append([bool((pdf_page_as_read(data, 1) == with_fonts).all()), system_fonts_used()])
document = pdfium.PdfDocument(data)
bare = drawn_page(document[0])
document.close()
out.append(bool((bare == with_fonts).all()))
print(json.dumps(out))
"""


def test_a_page_drawn_for_ocr_where_pdfium_finds_no_system_font_is_drawn_with_the_machines_fonts() -> None:
    """A parse worker draws pages for OCR with the machine's fonts given back to pdfium: the
    fixture's STSong-Light, not embedded, is drawn as in a process that never took them away,
    where without them its text would be missing from the picture."""
    done = subprocess.run([sys.executable, "-c", _DRAWING_CHILD, str(PDFS[0])], capture_output=True, text=True, cwd=REPO,
                          timeout=300, check=True)
    assert json.loads(done.stdout) == [[True, False]] * 3 + [False]
