"""The document model every extractor produces: an ordered list of blocks.

Extractors (one per format, in ``parsers/extract/``) turn bytes into a :class:`Document`;
everything after that (sections, tables, metadata) reads only this model, so a new format
needs only a new extractor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from parsers.locations import CellLocation

BlockKind = Literal["heading", "paragraph", "table"]
_new_text = str.__new__  # not super(): an extractor makes a placed text for every table cell



class PlacedText(str):
    """A grid cell's text that knows where it is printed (:class:`~parsers.locations.CellLocation`).

    A plain ``str`` to every reader: the table parsers pass cell texts on as they are, so
    the cell typer finds the location on the text it types without the table parsers
    carrying locations themselves. Text made from it (stripped, joined) is a plain ``str``
    again and has no location, which is right: it is no longer one printed cell.
    """

    location: CellLocation | None

    def __new__(cls, text: str, location: CellLocation | None = None) -> PlacedText:
        instance = _new_text(cls, text)
        instance.location = location
        return instance

    def placed(self, location: CellLocation | None) -> PlacedText:
        """The same text at ``location``."""
        return PlacedText(self, location)

    def __reduce__(self) -> tuple[type, tuple[str, CellLocation | None]]:
        return PlacedText, (str(self), self.location)


def on_lines(text: str, first: int, last: int) -> PlacedText:
    """Text of a text file printed on lines ``first`` to ``last`` (1-based)."""
    return PlacedText(text, CellLocation(lines=(first, last)))


class OcrText(PlacedText):
    """Text read by OCR rather than from a text layer: the string, with how sure the engine was.

    A plain ``str`` to every reader (the table parsers handle it like any cell text), so
    the cell typer can mark the value it reads from it as OCR-read without the table
    parsers knowing about OCR.
    """

    confidence: float
    flagged: bool

    def __new__(cls, text: str, confidence: float, flagged: bool, location: CellLocation | None = None) -> OcrText:
        instance = super().__new__(cls, text, location)
        instance.confidence = confidence
        instance.flagged = flagged
        return instance

    def placed(self, location: CellLocation | None) -> OcrText:
        return OcrText(self, self.confidence, self.flagged, location)

    def __reduce__(self) -> tuple[type, tuple[str, float, bool, CellLocation | None]]:  # type: ignore[override]
        return OcrText, (str(self), self.confidence, self.flagged, self.location)


_new_object = object.__new__
_set_attribute = object.__setattr__  # how a frozen dataclass sets its own fields


@dataclass(frozen=True, slots=True)  # slots: no dict per grid slot
class GridCell:
    """One slot of a table grid.

    ``span_of`` is None for the slot where a printed cell starts; a slot covered by a
    rowspan/colspan repeats the printed text and names the (row, column) of its origin, so
    a table parser can either use the repeated label or skip copies. ``location`` is where
    the printed cell is in the source (a copy: its origin's); given one, ``text`` becomes a
    :class:`PlacedText` carrying it, and a placed text given without one brings its own.
    """

    text: str
    span_of: tuple[int, int] | None = None
    location: CellLocation | None = field(default=None, compare=False)  # where, not what: tables compare by text

    def __post_init__(self) -> None:
        if self.location is not None:
            text = self.text
            placed = text.placed(self.location) if isinstance(text, PlacedText) else PlacedText(text, self.location)
            object.__setattr__(self, "text", placed)
        elif isinstance(self.text, PlacedText) and self.text.location is not None:
            object.__setattr__(self, "location", self.text.location)  # an extractor placed the text itself

    @classmethod
    def of_placed(cls, text: PlacedText, span_of: tuple[int, int] | None = None) -> GridCell:
        """``GridCell(text, span_of)`` for a text that carries its location, without the dataclass's
        __init__ and __post_init__ (half the cost): an extractor makes one for every slot of every table."""
        cell = _new_object(cls)
        _set_attribute(cell, "text", text)
        _set_attribute(cell, "span_of", span_of)
        _set_attribute(cell, "location", text.location)
        return cell

    @property
    def is_copy(self) -> bool:  # loops over every slot test ``span_of is None`` directly: a property call adds up
        return self.span_of is not None


@dataclass
class Table:
    """A table after expanding rowspan/colspan.

    Rows may be ragged: formats that do not record spans (the seed text export) give each
    row only the cells it prints, so table parsers match rows by their labels, never by a
    fixed column position.
    """

    rows: list[list[GridCell]]

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    table: Table | None = None


@dataclass
class Document:
    """What an extractor read out of one file.

    ``page_meta`` holds what the page says about itself outside the report body: HTML
    ``<meta>`` values (ArticleTitle, PubDate, ContentSource, SiteName, ColumnName) and the
    info table (索引号, 发布机构, 发文日期/成文日期, 文号). ``page_title`` is the page's own
    title (``<h1>`` or ArticleTitle) where the format has one. ``notes`` are what the
    extractor could not read for certain (cell boundaries a text does not mark); the parser
    reports each as a finding.
    """

    blocks: list[Block]
    source_format: str
    page_meta: dict[str, str] = field(default_factory=dict)
    page_title: str | None = None
    notes: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """sha256 of the body's text with white space folded.

        Two captures of the same report whose body text is the same have the same
        fingerprint whatever the page chrome, markup or encoding did, which is what keeps
        false versions out of the archive. Page metadata is left out on purpose: portals
        rewrite PubDate and visit counters without the report changing.
        """
        digest = hashlib.sha256()
        # White space goes by split/join, four times faster than a regex and the same characters
        # (str.split's white space is exactly what \s matches).
        for block in self.blocks:
            if block.table is not None:
                for row in block.table.rows:
                    line = "\t".join(["".join(c.text.split()) for c in row if c.span_of is None])
                    digest.update(b"R" + line.encode("utf-8") + b"\n")
            else:
                digest.update(b"P" + "".join(block.text.split()).encode("utf-8") + b"\n")
        return digest.hexdigest()
