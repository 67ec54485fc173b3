"""The ZIP package around a Word document: what a damaged one raises, and where relationships point."""

from __future__ import annotations

import posixpath
import zipfile
import zlib

from lxml import etree

from parsers.limits import read_zip_member

# What zipfile raises for bad offsets, compression methods, encryption and data.
DAMAGED_ZIP = (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, ValueError, NotImplementedError,
               RuntimeError, zlib.error)

_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAIN_DOCUMENT = "word/document.xml"
# The main document's relationship type, as ISO 29500 Transitional and Strict name it.
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
# Word's "Strict Open XML" names its markup otherwise: read as the names everyone else writes.
STRICT_NAMES = ((b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
                (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                 b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))


def main_document(archive: zipfile.ZipFile) -> str:
    """The ZIP member holding the document's body: the package's officeDocument relationship
    names it (some writers call it word/document2.xml), else word/document.xml."""
    for target in _targets(archive, "_rels/.rels", "", _OFFICE_DOCUMENT).values():
        if target in archive.namelist():
            return target
    return MAIN_DOCUMENT


def transitional(xml: bytes) -> bytes:
    """Part XML with Strict Open XML's names for Word's markup made the usual ones."""
    for strict, usual in STRICT_NAMES:
        xml = xml.replace(strict, usual)
    return xml


def document_relationships(archive: zipfile.ZipFile, part: str = MAIN_DOCUMENT) -> dict[str, str]:
    """The relationships of ``part`` (the main document) to parts of the package: id -> ZIP
    member name. Relationships to outside the file (``TargetMode="External"``) are left out."""
    folder, name = posixpath.split(part)
    return _targets(archive, posixpath.join(folder, "_rels", f"{name}.rels"), folder)


def _targets(archive: zipfile.ZipFile, rels: str, folder: str, types: tuple[str, ...] = ()) -> dict[str, str]:
    """id -> ZIP member of the relationships in the part ``rels`` (of ``types`` only, if given),
    targets being relative to ``folder``."""
    if rels not in archive.namelist():
        return {}
    try:
        root = etree.fromstring(read_zip_member(archive, rels), parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return {}
    members = {}
    for relationship in root.iterfind(_RELATIONSHIPS):
        target = relationship.get("Target") or ""
        if target and relationship.get("TargetMode") != "External" and (not types or relationship.get("Type") in types):
            # A target is relative to the part's folder, or absolute from the package's root.
            member = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            members[relationship.get("Id") or ""] = posixpath.normpath(member)
    return members
