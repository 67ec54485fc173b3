"""The hostile-input corpus: real-shaped reports bent into bombs, built when needed.

Every input starts from a report as the fixture portals serve it (a DOCX, an HTML page, a
PDF) and changes one thing an attacker or a broken CMS would: a ``gridSpan`` in the
millions, 990 nested content controls, a ZIP member that inflates a thousandfold, a Flate
stream of zeros. Nothing big is stored: the bombs are made at test time, and
``python tests/hostile/corpus.py OUTDIR`` writes the whole corpus (compressed bombs stay a
few hundred kilobytes on disk) for trying by hand (``harvester parse OUTDIR/…``).
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.hostile.compound import MAGIC  # noqa: E402

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
REPORT = "000_9d093eecd5b1c4d3"
_MB = 1024 * 1024


def real_docx() -> bytes:
    return (DOCUMENTS / f"{REPORT}.docx").read_bytes()


def real_html() -> bytes:
    return (DOCUMENTS / f"{REPORT}.html").read_bytes()


def real_pdf() -> bytes:
    return (DOCUMENTS / f"{REPORT}.pdf").read_bytes()


def _docx_with(edit: Callable[[bytes], bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The real DOCX with word/document.xml changed by ``edit``, every other member as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real_docx())) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, edit(data) if info.filename == "word/document.xml" else data)
    return out.getvalue()


def _at_body_start(xml: bytes, inserted: bytes) -> bytes:
    return xml.replace(b"<w:body>", b"<w:body>" + inserted, 1)


def docx_grid_span(rows: int = 2000, span: int = 3000, tables: int = 1) -> bytes:
    """``tables`` tables whose every row is one cell spanning ``span`` grid columns (the 36 KB DOCX that reached 5.8 GB)."""
    return _docx_with(lambda xml: _at_body_start(xml, docx_table(rows, span) * tables))


def docx_table(rows: int, span: int) -> bytes:
    """The XML of a table of ``rows`` rows, each one cell spanning ``span`` grid columns, and a paragraph after it."""
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="%d"/></w:tcPr><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>' % span
    return b"<w:tbl>" + row * rows + b"</w:tbl><w:p/>"


def docx_grid_before(value: int = 10**9, then: bytes = b"") -> bytes:
    """A row that skips ``value`` grid columns before its two cells (and the body XML ``then``
    after its table): two, since a table of one cell is a frame, read as the body it holds."""
    row = b'<w:tr><w:trPr><w:gridBefore w:val="%d"/></w:trPr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>' % value
    return _docx_with(lambda xml: _at_body_start(xml, b"<w:tbl>" + row + b"</w:tbl>" + then))


def docx_nested_sdt(depth: int = 990) -> bytes:
    """``depth`` content controls (w:sdt) nested in each other around one paragraph."""
    inner = b"<w:p><w:r><w:t>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93\xe6\x83\x85\xe5\x86\xb5</w:t></w:r></w:p>"
    nested = b"<w:sdt><w:sdtContent>" * depth + inner + b"</w:sdtContent></w:sdt>" * depth
    return _docx_with(lambda xml: _at_body_start(xml, nested))


def docx_inflating_member(size: int = 256 * _MB) -> bytes:
    """word/document.xml padded with ``size`` bytes of white space between its elements (packs about 1000:1)."""
    return _docx_with(lambda xml: _at_body_start(xml, b" " * size))


def docx_text_node(chars: int) -> bytes:
    """One paragraph whose single w:t holds ``chars`` characters."""
    return _docx_with(lambda xml: _at_body_start(xml, b"<w:p><w:r><w:t>" + b"x" * chars + b"</w:t></w:r></w:p>"))


def docx_bad_member_offset() -> bytes:
    """The real DOCX with the central directory pointing document.xml's local header before the file start."""
    data = bytearray(real_docx())
    name = b"word/document.xml"
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[entry + 42 : entry + 46] = (0xFFFFFF00).to_bytes(4, "little")
    return bytes(data)


def html_nested(depth: int = 300) -> bytes:
    """The real report page with its body wrapped in ``depth`` nested <div>s."""
    page = real_html()
    start = page.index(b">", page.index(b"<body")) + 1
    end = page.rindex(b"</body>")
    return page[:start] + b"<div>" * depth + page[start:end] + b"</div>" * depth + page[end:]


def html_text_node(chars: int = 10 * _MB) -> bytes:
    """The real report page with one paragraph of ``chars`` characters before the report (libxml2 cut at 10 MB)."""
    page = real_html()
    start = page.index(b">", page.index(b"<body")) + 1
    return page[:start] + b"<p>" + b"x" * chars + b"</p>" + page[start:]


def html_span_bomb(cells: int = 300) -> bytes:
    """A table of ``cells`` cells each spanning 100 x 100 slots."""
    cell = b'<td rowspan="100" colspan="100">0</td>'
    table = b"<table>" + b"".join(b"<tr>" + cell + b"</tr>" for _ in range(cells)) + b"</table>"
    page = real_html()
    at = page.index(b"<table")  # inside the report body, where the report's own tables are
    return page[:at] + table + page[at:]


def pdf_inflating_stream(size: int = 1024 * _MB) -> bytes:
    """A one-page PDF whose content stream is a line of text then ``size`` bytes of spaces, Flate-packed."""
    packer = zlib.compressobj(9)
    packed = [packer.compress(b"BT /F1 12 Tf 72 720 Td (report) Tj ET\n")]
    chunk = b" " * _MB
    for _ in range(size // _MB):
        packed.append(packer.compress(chunk))
    packed.append(packer.flush())
    stream = b"".join(packed)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def rtf_unicode(body: bytes) -> bytes:
    """An RTF report as Word and LibreOffice write them (GBK code page, \\uc1) with ``body`` as a paragraph."""
    return (rb"{\rtf1\ansi\ansicpg936\deff0\uc1{\fonttbl{\f0\fnil\fcharset134 SimSun;}}"
            rb"\pard\plain \u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par\pard\plain " + body + rb"\par}")


def ole2_random(seed: int = 10, size: int = 64 * 1024) -> bytes:
    """An OLE2 signature followed by random bytes (LibreOffice imports that as text: mojibake)."""
    return MAGIC + random.Random(seed).randbytes(size)


# name -> (file name, builder) of the corpus written by main(); sizes are the defaults above.
CORPUS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "docx_grid_span": ("grid-span.docx", docx_grid_span),
    "docx_grid_before": ("grid-before.docx", docx_grid_before),
    "docx_nested_sdt": ("nested-sdt.docx", docx_nested_sdt),
    "docx_inflating_member": ("inflating-member.docx", docx_inflating_member),
    "docx_bad_member_offset": ("bad-member-offset.docx", docx_bad_member_offset),
    "html_nested": ("nested.html", html_nested),
    "html_span_bomb": ("span-bomb.html", html_span_bomb),
    "pdf_inflating_stream": ("inflating-stream.pdf", pdf_inflating_stream),
    "rtf_lone_surrogate": ("lone-surrogate.rtf", lambda: rtf_unicode(rb"\u-10179?\u-10179?\u-8704?\u\u99999?")),
    "ole2_random": ("random-after-header.doc", ole2_random),
}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for filename, build in CORPUS.values():
        data = build()
        (out / filename).write_bytes(data)
        print(f"{filename}\t{len(data)} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
