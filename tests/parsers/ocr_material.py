"""Scans, table pictures and spreadsheets made the way offices make them, at test time.

A Word document goes to PDF through LibreOffice, the PDF is rasterised by pdftoppm like a
scanner at 150 or 300 dpi, and each page picture gets what a real scan has: a slight
rotation, blur, JPEG compression and a red seal stamped over part of a table; img2pdf wraps
the pictures back into a PDF. Table pictures are the same rasters shown by an HTML page;
spreadsheets are LibreOffice Calc's conversion of an HTML page's tables. Everything is
cached under one directory so a test session makes each file once.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROTATION_DEGREES = 0.6
JPEG_QUALITY = 70
TOOLS = ("soffice", "pdftoppm", "chromium")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def office_convert(source: Path, target_ext: str, out_dir: Path) -> Path:
    """LibreOffice's conversion of ``source`` (cached): pdf for documents; xls/xlsx of an HTML
    page's tables through Calc, as an office saves a web table as a workbook."""
    target = out_dir / f"{source.stem}.{target_ext}"
    if not target.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        # An HTML page opens in Writer/Web otherwise, which prints it as a web page, not a document.
        calc = ["--infilter=HTML (StarCalc)"] if target_ext in ("xls", "xlsx") else ["--writer"] if source.suffix == ".html" else []
        profile = out_dir / "lo-profile"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *calc, "--convert-to", target_ext,
             "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    return target


def tables_only(page: Path, target: Path) -> Path:
    """The report page's tables alone, each under the section heading it stands in, as an
    office pastes them into a workbook."""
    from lxml import html

    if not target.exists():
        root = html.fromstring(page.read_bytes())
        parts = []
        heading = ""
        for element in root.iter("p", "h1", "h2", "h3", "table"):
            if element.tag == "table":
                if not element.xpath(".//table"):
                    parts.append(f"<p>{heading}</p>" + html.tostring(element, encoding="unicode"))
            elif any(element.text_content().strip().startswith(n) for n in ("二", "三", "四", "2", "3", "4")):
                heading = element.text_content().strip()
        target.write_text('<html><head><meta charset="utf-8"></head><body>' + "".join(parts) + "</body></html>",
                          encoding="utf-8")
    return target


def rasterise(pdf: Path, dpi: int, out_dir: Path, first: int | None = None, last: int | None = None) -> list[Path]:
    """Page pictures of ``pdf`` at ``dpi`` (colour PNG, as a scanner's raw output)."""
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    pages = sorted(out_dir.glob(f"{prefix.name}-*.png"))
    if not pages:
        out_dir.mkdir(parents=True, exist_ok=True)
        command = ["pdftoppm", "-r", str(dpi), "-png"]
        if first is not None:
            command += ["-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True, timeout=300)
        pages = sorted(out_dir.glob(f"{prefix.name}-*.png"))
    return pages


def scanned(page: Path, *, stamp: bool = True) -> bytes:
    """What a scanner makes of the printed page: turned, soft, JPEG, with a red seal on it."""
    image = Image.open(page).convert("RGB")
    if stamp:
        image = _stamp(image)
    image = image.rotate(ROTATION_DEGREES, resample=Image.BICUBIC, expand=False, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(radius=image.width / 2400))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _stamp(image: Image.Image) -> Image.Image:
    """A round red seal over the lower right of the page (where the table's value columns and
    the signature sit). Ink multiplies: paper under it turns red, black print stays black."""
    seal = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(seal)
    radius = image.width // 9
    cx, cy = int(image.width * 0.68), int(image.height * 0.55)
    red = (215, 40, 40)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(3, radius // 14))
    draw.regular_polygon((cx, cy, radius // 3), 5, fill=red)
    inner = radius * 0.72
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=red, width=2)
    return ImageChops.multiply(image, seal)


def scanned_pdf(pages: list[Path], target: Path) -> Path:
    """The degraded pictures wrapped into one PDF, one picture per page, as a copier's scan-to-PDF does."""
    if not target.exists():
        import img2pdf

        target.write_bytes(img2pdf.convert([scanned(page) for page in pages]))
    return target


def picture_page(pages: list[Path], target: Path) -> tuple[Path, dict[str, bytes]]:
    """An HTML report page whose body shows the pages as pictures; returns it and its images by src."""
    images = {f"images/page{i + 1}.jpg": scanned(page, stamp=False) for i, page in enumerate(pages)}
    if not target.exists():
        body = "\n".join(f'<p><img src="{src}" alt=""></p>' for src in images)
        target.write_text(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title></head>'
            f'<body><div class="TRS_Editor">\n{body}\n</div></body></html>',
            encoding="utf-8",
        )
    return target, images


def table_screenshot(table_html: str, target: Path) -> bytes:
    """A picture of one HTML table as Chromium draws it, trimmed to the table: what an editor
    pastes into the page when the CMS will not take the Word table."""
    if not target.exists():
        page = target.with_suffix(".html")
        page.write_text(
            '<html><head><meta charset="utf-8"><style>body{margin:12px;background:#fff}'
            "table{border-collapse:collapse}td,th{border:1px solid #000;padding:3px 6px;font-size:15px}</style>"
            f"</head><body>{table_html}</body></html>",
            encoding="utf-8",
        )
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--hide-scrollbars", f"--screenshot={target}", "--window-size=1100,2400", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        image = Image.open(target).convert("RGB")
        box = ImageChops.invert(image).getbbox()
        if box:
            image = image.crop((max(0, box[0] - 10), max(0, box[1] - 10), box[2] + 10, box[3] + 10))
        image.save(target)
    return target.read_bytes()


def page_with_table_pictures(page: Path, out_dir: Path, which: set[int] | None = None) -> tuple[bytes, dict[str, bytes]]:
    """The report page with its tables (all, or those numbered in ``which``, from 0) replaced
    by their pictures; returns the page and its images by src."""
    from lxml import html

    root = html.fromstring(page.read_bytes())
    images = {}
    for index, table in enumerate([t for t in root.iter("table") if not t.xpath(".//table")]):
        if which is not None and index not in which:
            continue
        src = f"/picture/{page.stem}-table{index + 1}.png"
        images[src] = table_screenshot(html.tostring(table, encoding="unicode"), out_dir / f"{page.stem}-table{index + 1}.png")
        picture = html.Element("img", src=src)
        picture.tail = table.tail
        table.getparent().replace(table, picture)
    return html.tostring(root, encoding="utf-8"), images


def borderless_page(page: Path, target: Path) -> Path:
    """The report page with its tables' rulings taken away (``border="0"``, no CSS borders),
    as offices set tables in Word without borders."""
    if not target.exists():
        import re

        target.parent.mkdir(parents=True, exist_ok=True)
        text = page.read_text(encoding="utf-8").replace('border="1"', 'border="0"')
        target.write_text(re.sub(r"border:[^;\"]*;?", "", text), encoding="utf-8")
    return target


def chromium_pdf(page: Path, target: Path) -> Path:
    """Chromium's print of an HTML page to PDF (what "save as PDF" in a browser makes)."""
    if not target.exists():
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return target
