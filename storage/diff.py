"""What changed between two versions of a report, graded by significance.

Numbers matter most (a revised cell), then wording (a sentence added or removed), then
formatting (white space, punctuation width, a re-encoded attachment with the same text).
Chinese prose is compared sentence by sentence: sentences end at 。！？； or a line break,
the two sequences are aligned with difflib, and a sentence that only moved is no change.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from storage.cellnames import NamedCell, named_cells

Significance = Literal["numbers", "text", "formatting"]
_GRADES: tuple[Significance, ...] = ("formatting", "text", "numbers")
_SENTENCE_END = re.compile(r"[。！？；\n]")
METADATA_FIELDS = (
    "agency", "title", "year", "template", "region", "publish_date", "signed_date", "address", "phone", "email",
)


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class SectionChange:
    number: int  # 0 is the preamble
    heading: str
    removed: list[str]
    added: list[str]


@dataclass
class CellChange:
    address: str
    table: str
    row: str
    column: str
    row_label: str | None
    old_raw: str | None
    new_raw: str | None
    old_value: int | float | None
    new_value: int | float | None
    kind: Significance


@dataclass
class VersionDiff:
    metadata: list[FieldChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    findings_added: list[dict[str, Any]] = field(default_factory=list)
    findings_removed: list[dict[str, Any]] = field(default_factory=list)
    attachments_added: list[str] = field(default_factory=list)  # sha256
    attachments_removed: list[str] = field(default_factory=list)
    parse_status: FieldChange | None = None
    significance: Significance = "formatting"

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` for these classes (fields and containers copied, their values as they
    are: none is mutable but a list or a dict), at a fifth of its cost: every new version stores one."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def normalise(text: str) -> str:
    """Text as compared: width folded and white space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def diff_sentences(old: str, new: str) -> tuple[list[str], list[str]]:
    """Sentences removed and added; a sentence deleted in one place and inserted in another moved."""
    old_s, new_s = sentences(old), sentences(new)
    old_n, new_n = [normalise(s) for s in old_s], [normalise(s) for s in new_s]
    removed: list[int] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(a=old_n, b=new_n, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(range(i1, i2))
        if tag in ("replace", "insert"):
            added.extend(range(j1, j2))
    moved = Counter(old_n[i] for i in removed) & Counter(new_n[j] for j in added)
    return _drop_moved(removed, old_s, old_n, moved.copy()), _drop_moved(added, new_s, new_n, moved)


def _drop_moved(indexes: list[int], texts: list[str], keys: list[str], moved: Counter[str]) -> list[str]:
    kept = []
    for i in indexes:
        if moved[keys[i]] > 0:
            moved[keys[i]] -= 1
        else:
            kept.append(texts[i])
    return kept


def _section_texts(report: dict[str, Any] | None) -> dict[int, tuple[str, str]]:
    if report is None:
        return {}
    texts = {0: ("（前言）", report.get("preamble") or "")}
    for section in report.get("sections") or []:
        texts[section["number"]] = (section["heading"], section["text"])
    return texts


def _cell_kind(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Significance | None:
    typed = ("state", "value", "unit", "value_wan")
    if old is None or new is None or any(old.get(k) != new.get(k) for k in typed):
        return "numbers"
    if old.get("raw") != new.get("raw"):
        return "text" if normalise(old.get("raw", "")) != normalise(new.get("raw", "")) else "formatting"
    return None


def _finding_key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return (finding["rule"], finding.get("table"), finding.get("row"), finding.get("column"))


def diff_versions(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    old_attachments: Sequence[str] = (),
    new_attachments: Sequence[str] = (),
) -> VersionDiff:
    """Compare two parses (``Report.to_dict()``; None for a parse that failed) and attachment hashes."""
    result = VersionDiff()
    grades: set[Significance] = set()
    if (old is None) != (new is None):
        result.parse_status = FieldChange("parse_status", "error" if old is None else "ok", "error" if new is None else "ok")
        grades.add("text")

    old_meta, new_meta = (old or {}).get("metadata") or {}, (new or {}).get("metadata") or {}
    if old is not None and new is not None:
        for name in METADATA_FIELDS:
            if old_meta.get(name) != new_meta.get(name):
                result.metadata.append(FieldChange(name, old_meta.get(name), new_meta.get(name)))
                same = normalise(str(old_meta.get(name) or "")) == normalise(str(new_meta.get(name) or ""))
                grades.add("formatting" if same else "text")

    old_sections, new_sections = _section_texts(old), _section_texts(new)
    for number in sorted(set(old_sections) | set(new_sections)):
        old_heading, old_text = old_sections.get(number, ("", ""))
        new_heading, new_text = new_sections.get(number, ("", ""))
        # Equal texts have no sentence to align; most sections of a revised report are unchanged.
        removed, added = diff_sentences(old_text, new_text) if old_text != new_text else ([], [])
        if removed or added:
            result.sections.append(SectionChange(number, new_heading or old_heading, removed, added))
            grades.add("text")
        elif old_text != new_text or old_heading != new_heading:
            grades.add("formatting")

    for address, before, after in _changed_cells(old, new):
        kind = _cell_kind(before.cell if before else None, after.cell if after else None)
        if kind is None:
            continue
        result.cells.append(_cell_change(address, before, after, kind))
        grades.add(kind)

    old_findings = {_finding_key(f): f for f in (old or {}).get("findings") or []}
    new_findings = {_finding_key(f): f for f in (new or {}).get("findings") or []}
    result.findings_added = [f for k, f in new_findings.items() if k not in old_findings]
    result.findings_removed = [f for k, f in old_findings.items() if k not in new_findings]

    result.attachments_added = sorted(set(new_attachments) - set(old_attachments))
    result.attachments_removed = sorted(set(old_attachments) - set(new_attachments))
    result.significance = max(grades, key=_GRADES.index) if grades else "formatting"
    return result


def _changed_cells(old: dict[str, Any] | None, new: dict[str, Any] | None
                   ) -> list[tuple[str, NamedCell | None, NamedCell | None]]:
    """The cells whose dicts differ, by address (the old report's order, then the new cells),
    with the cell before and after (None where the report has no such cell)."""
    old_list, new_list = named_cells(old), named_cells(new)
    # Most revisions keep every cell where it was: the two lists then pair up in order, and
    # only the cells that differ need an address (most are as they were: one comparison in C).
    # (An address is its table, row and column: columns hold no dot, see storage.cellnames.)
    if (len(old_list) == len(new_list) and all(a[:3] == b[:3] for a, b in zip(old_list, new_list))
            and len({c[:3] for c in old_list}) == len(old_list)):
        return [(a.address, a, b) for a, b in zip(old_list, new_list) if a.cell != b.cell]
    old_cells = {c.address: c for c in old_list}
    new_cells = {c.address: c for c in new_list}
    changed = []
    for address in list(old_cells) + [a for a in new_cells if a not in old_cells]:
        before, after = old_cells.get(address), new_cells.get(address)
        if before is None or after is None or before.cell != after.cell:
            changed.append((address, before, after))
    return changed


def _cell_change(address: str, before: NamedCell | None, after: NamedCell | None, kind: Significance) -> CellChange:
    some = after or before
    assert some is not None
    return CellChange(
        address=address,
        table=some.table,
        row=some.row,
        column=some.column,
        row_label=some.row_label,
        old_raw=before.cell.get("raw") if before else None,
        new_raw=after.cell.get("raw") if after else None,
        old_value=before.cell.get("value") if before else None,
        new_value=after.cell.get("value") if after else None,
        kind=kind,
    )
