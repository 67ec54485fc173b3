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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
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
    old_heading: str | None = None  # the heading before, when it changed ("": the section is new; heading "": gone)


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
class LabelChange:
    """A table 2 row or column printed under new words with the same values: a rewording (the
    2021 template's 行政规范性文件 for 规范性文件), not numbers deleted and added."""

    table: str
    part: Literal["row", "column"]
    old: str
    new: str
    cells: int


@dataclass
class VersionDiff:
    metadata: list[FieldChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    labels: list[LabelChange] = field(default_factory=list)
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
    # The sentences both versions start and end with are not aligned: a revision changes a few,
    # and difflib's alignment grows with the square of what it is given where sentences repeat
    # (a section of table lines "0", "/"): 20,000 lines cost 2.7 s of the writer's time.
    head = _common_length(zip(old_n, new_n))
    tail = _common_length(zip(reversed(old_n[head:]), reversed(new_n[head:])))
    matcher = difflib.SequenceMatcher(a=old_n[head:len(old_n) - tail], b=new_n[head:len(new_n) - tail], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(range(head + i1, head + i2))
        if tag in ("replace", "insert"):
            added.extend(range(head + j1, head + j2))
    moved = Counter(old_n[i] for i in removed) & Counter(new_n[j] for j in added)
    return _drop_moved(removed, old_s, old_n, moved.copy()), _drop_moved(added, new_s, new_n, moved)


def _common_length(pairs: Iterable[tuple[str, str]]) -> int:
    """How many of the pairs, from the first, hold equal sentences."""
    count = 0
    for a, b in pairs:
        if a != b:
            break
        count += 1
    return count


def _drop_moved(indexes: Iterable[int], texts: list[str], keys: list[str], moved: Counter[str]) -> list[str]:
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


_TYPED = ("state", "value", "unit", "value_wan")


def _cell_kind(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Significance | None:
    if old is None or new is None or any(old.get(k) != new.get(k) for k in _TYPED):
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
    *,
    new_cells: list[NamedCell] | None = None,
) -> VersionDiff:
    """Compare two parses (``Report.to_dict()``; None for a parse that failed) and attachment
    hashes; ``new_cells``: the new parse's ``named_cells``, where the caller made them already
    (recording a version names its cells for their rows)."""
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

    result.sections = _section_changes(_section_texts(old), _section_texts(new), grades)

    changed = _changed_cells(named_cells(old), named_cells(new) if new_cells is None else new_cells)
    result.labels = _relabelled(changed)
    if result.labels:
        grades.add("text")
    for address, before, after in changed:
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


def _section_changes(old_sections: dict[int, tuple[str, str]], new_sections: dict[int, tuple[str, str]],
                     grades: set[Significance]) -> list[SectionChange]:
    changes = []
    for number in sorted(set(old_sections) | set(new_sections)):
        old_heading, old_text = old_sections.get(number, ("", ""))
        new_heading, new_text = new_sections.get(number, ("", ""))
        # Equal texts have no sentence to align; most sections of a revised report are unchanged.
        removed, added = diff_sentences(old_text, new_text) if old_text != new_text else ([], [])
        # A heading put in, taken out or reworded is shown: "" where a version printed none.
        reworded = normalise(old_heading) != normalise(new_heading)
        if removed or added or reworded:
            changes.append(SectionChange(number, new_heading, removed, added, old_heading if reworded else None))
        elif old_text != new_text or old_heading != new_heading:
            grades.add("formatting")
    changes = _without_moves_between_sections(changes)
    if changes:
        grades.add("text")
    return changes


def _without_moves_between_sections(changes: list[SectionChange]) -> list[SectionChange]:
    """The changes without sentences that left one section and came into another: a heading
    put right (一、 printed twice, then 二、) moved whole paragraphs, and every sentence of them
    was reported deleted and added again."""
    moved = (Counter(normalise(s) for change in changes for s in change.removed)
             & Counter(normalise(s) for change in changes for s in change.added))
    if not moved:
        return changes
    left, came = moved.copy(), moved
    kept = []
    for change in changes:
        removed = _drop_moved(range(len(change.removed)), change.removed, [normalise(s) for s in change.removed], left)
        added = _drop_moved(range(len(change.added)), change.added, [normalise(s) for s in change.added], came)
        if removed or added or change.old_heading is not None:
            kept.append(SectionChange(change.number, change.heading, removed, added, change.old_heading))
    return kept


Changed = tuple[str, NamedCell | None, NamedCell | None]
_ADDRESS = itemgetter(0, 1, 2)  # a NamedCell's table, row and column


def _changed_cells(old_list: list[NamedCell], new_list: list[NamedCell]) -> list[Changed]:
    """The cells (two reports' ``named_cells``) whose dicts differ, by address (the old report's
    order, then the new cells), with the cell before and after (None where the report has no such cell)."""
    # Most revisions keep every cell where it was: the two lists then pair up in order, and
    # only the cells that differ need an address (most are as they were: one comparison in C).
    # (An address is its table, row and column: columns hold no dot, see storage.cellnames.)
    # The addresses are taken by map and itemgetter, in C: a loop of slices took a third of the diff.
    old_addresses = list(map(_ADDRESS, old_list))
    if old_addresses == list(map(_ADDRESS, new_list)) and len(set(old_addresses)) == len(old_addresses):
        return [(a.address, a, b) for a, b in zip(old_list, new_list) if a.cell != b.cell]
    # A province's table 2 may print one label under two items: the second of an address
    # pairs with the second, not lost under the first's key.
    old_cells, new_cells = _by_occurrence(old_list), _by_occurrence(new_list)
    changed: list[Changed] = []
    for key in list(old_cells) + [k for k in new_cells if k not in old_cells]:
        before, after = old_cells.get(key), new_cells.get(key)
        if before is None or after is None or before.cell != after.cell:
            changed.append((key[0], before, after))
    return changed


def _by_occurrence(cells: list[NamedCell]) -> dict[tuple[str, int], NamedCell]:
    seen: Counter[str] = Counter()
    keyed = {}
    for cell in cells:
        keyed[(cell.address, seen[cell.address])] = cell
        seen[cell.address] += 1
    return keyed


def _relabelled(changed: list[Changed]) -> list[LabelChange]:
    """Table 2 rows (then columns) gone and come with the same values, paired in order; their
    cells are taken out of ``changed``."""
    labels: list[LabelChange] = []
    for part in ("row", "column"):
        came = _one_sided(changed, part, old=False)
        paired: set[int] = set()
        for name, (values, indexes) in _one_sided(changed, part, old=True).items():
            match = next((other for other, (its, _) in came.items() if its == values), None)
            if match is not None:
                paired.update(indexes, came.pop(match)[1])
                labels.append(LabelChange("active_disclosure", part, name, match, len(indexes)))
        changed[:] = [change for index, change in enumerate(changed) if index not in paired]
    return labels


def _one_sided(changed: list[Changed], part: str, *, old: bool) -> dict[str, tuple[list[tuple[Any, ...]], list[int]]]:
    """Table 2's cells only the old (or only the new) report has, by row label (or column):
    what each holds where, and their places in ``changed``."""
    groups: dict[str, tuple[list[tuple[Any, ...]], list[int]]] = {}
    for index, (_, before, after) in enumerate(changed):
        cell, other_side = (before, after) if old else (after, before)
        if cell is None or other_side is not None or cell.table != "active_disclosure":
            continue
        name, across = (cell.row, cell.column) if part == "row" else (cell.column, cell.row)
        values, indexes = groups.setdefault(name, ([], []))
        values.append((cell.item, across, *(cell.cell.get(k) for k in _TYPED)))
        indexes.append(index)
    return groups


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
