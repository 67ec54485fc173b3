"""The numbers Word prints before numbered paragraphs ("一、", "（二）", "3."), which the
document's text does not hold: a heading numbered by a list (``w:numPr``, on the paragraph or
through its style) printed "一、基本情况" while its text said "基本情况", and the looser
wordings a section is known by only after its number lost their section.

Counting follows Word: a level's counter runs on through every list instance (``w:num``) of
the same abstract list unless the instance restarts it (``w:startOverride``); a paragraph at a
level resets the levels below it. Bullets print no number and are left out.
"""

from __future__ import annotations

import re

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_VAL = f"{{{_W}}}val"
_ABSTRACT_ID, _NUM_ID, _STYLE_ID = (f"{{{_W}}}{name}" for name in ("abstractNumId", "numId", "styleId"))
_ILVL = f"{{{_W}}}ilvl"
_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_PLACEHOLDER = re.compile(r"%([1-9])")
# A label ending in a mark prints its text right after it; one ending in a digit or letter ("1.1") a space.
_CLOSED = "、）)．.:：，,"


class _Level:
    __slots__ = ("start", "fmt", "text", "legal")

    def __init__(self, element: etree._Element) -> None:
        self.start = _int(_val(element, "w:start"), 1)
        self.fmt = _val(element, "w:numFmt") or "decimal"
        self.text = _val(element, "w:lvlText")
        self.legal = element.find("w:isLgl", _NS) is not None


class ListNumbers:
    """The printed labels of a document's numbered paragraphs, given in reading order."""

    def __init__(self, numbering: bytes, styles: bytes) -> None:
        parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
        root = etree.fromstring(numbering, parser=parser)
        self._levels: dict[str, dict[int, _Level]] = {
            abstract.get(_ABSTRACT_ID) or "": {_int(level.get(_ILVL), 0): _Level(level)
                                               for level in abstract.iterfind("w:lvl", _NS)}
            for abstract in root.iterfind("w:abstractNum", _NS)}
        self._instances: dict[str, tuple[str, dict[int, int]]] = {}
        for num in root.iterfind("w:num", _NS):
            restarts = {_int(override.get(_ILVL), 0): _int(_val(override, "w:startOverride"), 1)
                        for override in num.iterfind("w:lvlOverride", _NS)
                        if override.find("w:startOverride", _NS) is not None}
            self._instances[num.get(_NUM_ID) or ""] = (_val(num, "w:abstractNumId") or "", restarts)
        self._styles = _numbered_styles(styles, parser) if b"numPr" in styles else {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def label(self, paragraph: etree._Element) -> str:
        """What Word prints before ``paragraph``'s text ("" for none); counts it."""
        numbered = self._numbering(paragraph)
        if numbered is None:
            return ""
        num_id, level_index = numbered
        abstract_id, restarts = self._instances.get(num_id, ("", {}))
        levels = self._levels.get(abstract_id)
        if not levels or level_index not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted, start in restarts.items():
                counters[restarted] = start - 1
                _forget_below(counters, restarted)
        level = levels[level_index]
        counters[level_index] = counters.get(level_index, level.start - 1) + 1
        _forget_below(counters, level_index)
        if level.fmt in ("bullet", "none") or not level.text:
            return ""
        printed = _PLACEHOLDER.sub(lambda m: self._printed(levels, counters, int(m.group(1)) - 1, level.legal), level.text)
        return printed if printed.endswith(tuple(_CLOSED)) else printed + " "

    def _numbering(self, paragraph: etree._Element) -> tuple[str, int] | None:
        properties = paragraph.find("w:pPr", _NS)
        if properties is None:
            return None
        own = properties.find("w:numPr", _NS)
        style = properties.find("w:pStyle", _NS)
        from_style = self._styles.get(style.get(_VAL) or "") if style is not None else None
        num_id = _val(own, "w:numId") if own is not None else None
        level = _val(own, "w:ilvl") if own is not None else None
        num_id = num_id if num_id is not None else (from_style[0] if from_style else None)
        if num_id is None or num_id == "0":
            return None
        return num_id, _int(level, from_style[1] if from_style else 0)

    @staticmethod
    def _printed(levels: dict[int, _Level], counters: dict[int, int], index: int, legal: bool) -> str:
        level = levels.get(index)
        if level is None:
            return ""
        number = counters.get(index, level.start)
        return str(number) if legal else format_number(number, level.fmt)


def format_number(number: int, fmt: str) -> str:
    """``number`` as list format ``fmt`` prints it; a format not known here prints decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital", "taiwaneseDigital"):
        return _chinese(number, _DIGITS) if "Digital" not in fmt else "".join(_DIGITS[int(d)] for d in str(number))
    if fmt == "chineseLegalSimplified":
        return _chinese(number, _LEGAL_DIGITS, ten="拾")
    if fmt == "ideographTraditional" and 1 <= number <= 10:
        return _STEMS[number - 1]
    if fmt == "ideographZodiac" and 1 <= number <= 12:
        return _BRANCHES[number - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(number))
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperLetter", "lowerLetter") and number >= 1:
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= number < 4000:
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(number)


def _chinese(number: int, digits: str, ten: str = "十") -> str:
    if not 0 <= number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return digits[units]
    return (digits[tens] if tens > 1 else "") + ten + (digits[units] if units else "")


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def _numbered_styles(styles: bytes, parser: etree.XMLParser) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs: style id -> (numId, level)."""
    try:
        root = etree.fromstring(styles, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    numbered = {}
    for style in root.iterfind("w:style", _NS):
        numbering = style.find("w:pPr/w:numPr", _NS)
        if numbering is not None and _val(numbering, "w:numId") is not None:
            numbered[style.get(_STYLE_ID) or ""] = (_val(numbering, "w:numId") or "", _int(_val(numbering, "w:ilvl"), 0))
    return numbered


def _forget_below(counters: dict[int, int], level: int) -> None:
    for deeper in [index for index in counters if index > level]:
        del counters[deeper]


def _val(parent: etree._Element, path: str) -> str | None:
    element = parent.find(path, _NS)
    return element.get(_VAL) if element is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
