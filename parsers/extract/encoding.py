"""Decoding HTML bytes whose declared charset may be wrong or missing.

Valid UTF-8 is taken as UTF-8 whatever the label says (GBK text is almost never valid
UTF-8, while UTF-8 text often decodes as GBK into nonsense), and so is UTF-8 with a few
broken sequences, replaced as browsers replace them; otherwise the declared
charset, then gb18030 (a superset of GBK and GB2312). A Latin-1 label, which error pages
and misconfigured servers send, is trusted last.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312"}
_NEARLY_BROKEN_MAX = 16  # broken sequences UTF-8 text may hold, at most one a hundred characters
_LATIN_FAMILY = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header or, failing that, the page's <meta> declares (lower-cased)."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        return match.group(1).lower()
    meta = _META_CHARSET.search(data[:4096])
    return meta.group(1).decode("ascii").lower() if meta else None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    declared = declared_charset(data, content_type)
    if declared in _GB_FAMILY:
        declared = "gb18030"
    candidates = ["utf-8"]
    if declared and declared not in _LATIN_FAMILY:
        candidates.append(declared)
    candidates.append("gb18030")
    if declared in _LATIN_FAMILY:
        candidates.append(declared)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            if encoding == "utf-8" and (nearly := _nearly_utf8(data)) is not None:
                return nearly, "utf-8"
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken sequences (a character cut by a CMS, a stray byte), decoded
    as browsers do, each replaced by U+FFFD; None for text in another charset, whose every
    Chinese character is a broken sequence. Decoded as GB18030, which takes almost any bytes,
    such a page was all mojibake: 0 sections, no table."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    return text if broken <= _NEARLY_BROKEN_MAX and broken * 100 <= len(text) else None
