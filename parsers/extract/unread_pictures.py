"""Pictures that may hold a table but were not read, said as findings.

An extractor that leaves such a picture unread (see :mod:`parsers.extract.docx_pictures`)
puts an :class:`UnreadPicture` in ``Document.notes``; the parser reports each as an
``extract.unread_picture`` warning, so a table printed in a picture is never silently absent
from a report that then shows it "missing" with no finding.
"""

from __future__ import annotations

from parsers.report import Finding

UNREAD_PICTURE = "extract.unread_picture"


class UnreadPicture(str):
    """A note on a picture left unread: the text says which picture and why, ``zh`` the same in Chinese."""

    zh: str

    def __new__(cls, text: str, zh: str) -> UnreadPicture:
        instance = super().__new__(cls, text)
        instance.zh = zh
        return instance

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return UnreadPicture, (str(self), self.zh)


def unread_pictures(notes: list[str]) -> tuple[list[str], list[Finding]]:
    """``notes`` without those on unread pictures, and a finding for each of those."""
    others = [note for note in notes if not isinstance(note, UnreadPicture)]
    findings = [Finding(UNREAD_PICTURE, "warning", None, None, None, None, None, str(note), note.zh)
                for note in notes if isinstance(note, UnreadPicture)]
    return others, findings
