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
_DOCUMENT_RELATIONSHIPS = "word/_rels/document.xml.rels"


def document_relationships(archive: zipfile.ZipFile) -> dict[str, str]:
    """The main document's relationships to parts of the package: id -> ZIP member name.
    Relationships to outside the file (``TargetMode="External"``) are left out."""
    if _DOCUMENT_RELATIONSHIPS not in archive.namelist():
        return {}
    try:
        root = etree.fromstring(read_zip_member(archive, _DOCUMENT_RELATIONSHIPS),
                                parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return {}
    members = {}
    for relationship in root.iterfind(_RELATIONSHIPS):
        target = relationship.get("Target") or ""
        if target and relationship.get("TargetMode") != "External":
            # A target is relative to word/, or absolute from the package's root.
            member = target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
            members[relationship.get("Id") or ""] = posixpath.normpath(member)
    return members
