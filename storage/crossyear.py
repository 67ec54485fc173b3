"""Rule 6 of domain.md, which needs two years of the same agency and so runs in the archive.

* ``X.carry_over``: this year's 二、上年结转 (applications.carried_over) per column equals last
  year's 四、结转下年度 (applications.carried_forward).
* ``X.active_docs``: 2021 table 2, 现行有效件数 ≈ last year's 现行有效件数 + 本年制发件数 − 本年废止件数,
  per row (规章, 行政规范性文件).

* ``X.copied_text`` (domain.md rule 8): this year's text repeats last year's nearly sentence
  for sentence (numbers aside), the documented copying of reports.

All are warnings (agencies revise their numbers). They are stored with the later year's
latest version and recomputed whenever either year gets a new version or a new parse.
"""

from __future__ import annotations

import re
import weakref
from sys import intern
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from storage.models import FindingRow, Report, Version
from storage.oneof import one_of
from storage.parse_rows import finding_row, held_parses, parses_held

CARRY_OVER, CARRIED_FORWARD = "carried_over", "carried_forward"
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
_NOTE = re.compile(r"[（(].*?[)）]")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_DIGITS = re.compile(r"\d+")
_BLANKS = re.compile(r"[^\S\n]+")
_MIN_SENTENCE_CHARS = 10
_MIN_SENTENCES = 8
_COPIED_SHARE = 0.8


_DOC_COLUMNS = frozenset((ISSUED, REPEALED, IN_FORCE))
_DOC_ROW_NAMES = {"规范性文件": "行政规范性文件"}


@dataclass(frozen=True)
class YearFacts:
    """What the cross-year rules read of one report, taken from it once. Only what the rules
    compare is kept, and sentences as hashes: a writer keeps thousands (``_cache``)."""

    carried_over: dict[str, float]  # 二、上年结转 by applicant column
    carried_forward: dict[str, float]  # 四、结转下年度 by applicant column
    doc_rows: dict[str, dict[str, float]]  # table 2 (2021 template): issued, repealed, in force by row (``_doc_row``)
    doc_printed: dict[str, tuple[str, str]]  # the row label and 现行有效 column as this report prints them, for findings
    sentences: array[int]  # hash() of each sentence (``_sentences``): 64 bits, so two sentences collide about never


def year_facts(report: dict[str, Any]) -> YearFacts:
    # The rows and columns the rules compare, read where storage.cellnames finds them (the
    # other cells, some 200, are not walked). Names are interned: the facts outlive the
    # report, and every report has the same names.
    tables = report.get("tables") or {}
    rows = (tables.get("applications") or {}).get("rows") or {}
    carried_over, carried_forward = ({intern(column): cell["value"] for column, cell in rows[key]["cells"].items()
                                      if cell.get("state") == "number"} if key in rows else {}
                                     for key in (CARRY_OVER, CARRIED_FORWARD))
    doc_rows: dict[str, dict[str, float]] = {}
    printed: dict[str, tuple[str, str]] = {}
    for row in (tables.get("active_disclosure") or {}).get("rows") or []:
        numbers = {column: cell["value"] for column, cell in row["cells"].items() if cell.get("state") == "number"}
        if numbers:  # a label takes its place at its first number, as it did when all its columns were kept
            key = intern(_doc_row(row["label"]))
            cells = doc_rows.setdefault(key, {})
            for column, value in numbers.items():
                if (name := "".join(_NOTE.sub("", column).split())) in _DOC_COLUMNS:
                    cells[intern(name)] = value
                    if name == IN_FORCE:
                        printed[key] = (row["label"], column)
    return YearFacts(carried_over, carried_forward, {label: cells for label, cells in doc_rows.items() if cells}, printed,
                     array("q", map(hash, _sentences(report))))


def _doc_row(label: str) -> str:
    """A table 2 row's label as the years are matched by: its notes left out, and 规范性文件
    (the 2019 template's word, still printed by some) as 行政规范性文件, or the check was not made."""
    label = "".join(_NOTE.sub("", label).split())
    return _DOC_ROW_NAMES.get(label, label)


def cross_year_findings(this: dict[str, Any], last: dict[str, Any], last_year: int) -> list[dict[str, Any]]:
    """Findings (as ``Finding`` dicts) comparing this year's report with last year's."""
    return compare_years(year_facts(this), year_facts(last), last_year)


def compare_years(this: YearFacts, last: YearFacts, last_year: int) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = []
    before = last.carried_forward
    for column, value in this.carried_over.items():
        previous = before.get(column)
        if previous is not None and value != previous:
            findings.append({
                "rule": "X.carry_over", "severity": "warning", "table": "applications", "row": CARRY_OVER,
                "column": column, "printed": value, "expected": previous,
                "message": f"上年结转 {value:g} ≠ {last_year}年报告的结转下年度 {previous:g}（{column}）",
            })
    last_rows = last.doc_rows
    for label, cells in this.doc_rows.items():
        previous = last_rows.get(label, {}).get(IN_FORCE)
        if previous is None or not all(k in cells for k in (ISSUED, REPEALED, IN_FORCE)):
            continue
        expected = previous + cells[ISSUED] - cells[REPEALED]
        if cells[IN_FORCE] != expected:
            row, column = this.doc_printed[label]
            findings.append({
                "rule": "X.active_docs", "severity": "warning", "table": "active_disclosure", "row": row,
                "column": column, "printed": cells[IN_FORCE], "expected": expected,
                "message": f"现行有效 {cells[IN_FORCE]:g} ≠ {last_year}年的 {previous:g} + 制发 {cells[ISSUED]:g} − 废止 {cells[REPEALED]:g}",
            })
    return findings + _copied_text(this.sentences, last.sentences, last_year)


def _sentences(report: dict[str, Any]) -> set[str]:
    """The report's sentences with numbers masked: a copied report changes its years and counts, not its words."""
    text = "\n".join([report.get("preamble") or "", *(s.get("text") or "" for s in report.get("sections") or [])])
    # Blanks out and numbers masked before the text is cut, in two passes over it rather than
    # two per sentence: a newline, the one blank that ends a sentence, stays for the cut.
    sentences = _SENTENCE_END.split(_DIGITS.sub("#", _BLANKS.sub("", text)))
    return {s for s in sentences if len(s) >= _MIN_SENTENCE_CHARS}


def _copied_text(now: array[int], before: array[int], last_year: int) -> list[dict[str, Any]]:
    if len(now) < _MIN_SENTENCES:
        return []
    common = len(set(now).intersection(before))
    share = common / len(now)
    if share < _COPIED_SHARE:
        return []
    return [{
        "rule": "X.copied_text", "severity": "warning", "table": None, "row": None, "column": None,
        "printed": round(share, 2), "expected": None,
        "message": f"{common} of {len(now)} sentences repeat the {last_year} report word for word (numbers aside)",
        "message_zh": f"{len(now)}句中有{common}句与{last_year}年报告相同（数字除外），疑似照抄",
    }]


_PENDING = "cross_year_pending"
_LATEST = "cross_year_latest"  # (agency key, kind) -> year -> latest version id


class ReportYear(Protocol):
    """What the cross-year rules read of a report: a ``Report``, or the recorder's row of one."""

    agency_key: str
    year: int
    kind: str
    latest_version_id: int | None


@dataclass(frozen=True)
class _Pair:
    later: int  # version ids
    earlier: int | None
    earlier_year: int


def _latest_ids(session: Session, report: ReportYear) -> dict[int, int]:
    """Latest version id per year of the report's agency and kind. Inside ``deferred_cross_year``
    they are read once per agency and kind, then kept: a latest version moves only when the
    recorder records one, and it refreshes the report's cross-year findings when it does."""
    known = session.info.get(_LATEST)
    latest = None if known is None else known.get((report.agency_key, report.kind))
    if latest is None:
        session.flush()
        latest = dict(session.connection().execute(_LATEST_IDS, {"agency_key": report.agency_key, "kind": report.kind}).all())
        if known is not None:
            known[(report.agency_key, report.kind)] = latest
    if report.latest_version_id is not None:
        latest[report.year] = report.latest_version_id
    return latest


_LATEST_IDS = sa.select(Report.year, Report.latest_version_id).where(
    Report.agency_key == sa.bindparam("agency_key"), Report.kind == sa.bindparam("kind"), Report.latest_version_id.is_not(None))


def _pairs(session: Session, report: ReportYear) -> list[_Pair]:
    latest = _latest_ids(session, report)
    return [_Pair(latest[year], latest.get(year - 1), year - 1) for year in (report.year, report.year + 1) if year in latest]


def refresh_cross_year(session: Session, report: ReportYear) -> None:
    """Recompute the cross-year findings this report takes part in (as the later and the earlier year).

    Inside ``deferred_cross_year`` only the pairs of versions to compare are noted, and
    computed once each when it ends: a batch that records several versions of one agency
    reads each version once, and writes what refreshing after every capture would leave.
    """
    pairs = _pairs(session, report)
    pending = session.info.get(_PENDING)
    if pending is None:
        _write(session, {pair.later: pair for pair in pairs})
    else:
        pending.update({pair.later: pair for pair in pairs})  # the newest pair of each later version wins


@contextmanager
def deferred_cross_year(session: Session) -> Iterator[None]:
    """Note cross-year refreshes while the block runs; compute them (once per version) when it ends."""
    pending: dict[int, _Pair] = {}
    session.info[_PENDING] = pending
    session.info[_LATEST] = {}
    try:
        yield
    finally:
        del session.info[_PENDING], session.info[_LATEST]
    _write(session, pending)


def _write(session: Session, pairs: dict[int, _Pair]) -> None:
    if not pairs:
        return
    compared = {i for p in pairs.values() if p.earlier is not None for i in (p.later, p.earlier)}
    facts = _facts(session, compared, set(pairs))
    connection = session.connection()
    connection.execute(_DELETE, {"ids": sorted(pairs)})
    rows = [
        finding_row(pair.later, "crossyear", finding)
        for pair in pairs.values()
        if pair.earlier is not None and (later := facts.get(pair.later)) and (earlier := facts.get(pair.earlier))
        for finding in compare_years(later, earlier, pair.earlier_year)
    ]
    if rows:
        connection.execute(FindingRow.__table__.insert(), rows)


def _facts(session: Session, compared: set[int], later: set[int]) -> dict[int, YearFacts | None]:
    """The facts of the versions in ``compared`` (None: no parse), and of those in ``later`` whose
    parse the session holds.

    In a first crawl an agency's years come in different batches: each version's facts are
    taken from its parse once, when it is recorded (the parse at hand), and kept by the
    process, for the pairs its neighbour years make later. They are kept under the version's
    parsed_at, which every new parse of it moves on (in any process), and only once the
    transaction that wrote the parse commits."""
    held = parses_held(session, compared | later)
    session.flush()
    parsed_at = dict(session.connection().execute(_PARSED_AT, {"ids": sorted(compared | held.keys())}).all())
    kept = _cache(session)
    facts: dict[int, YearFacts | None] = {i: None if report is None else year_facts(report) for i, report in held.items()}
    unknown: set[int] = set()
    for version_id in compared - held.keys():
        found = kept.get((version_id, parsed_at.get(version_id)))
        if found is None:
            unknown.add(version_id)
        else:
            kept.move_to_end((version_id, parsed_at[version_id]))
            facts[version_id] = found
    for version_id, report in held_parses(session, unknown).items():
        facts[version_id] = read = None if report is None else year_facts(report)
        if read is not None:  # the parse another transaction committed
            _keep(kept, (version_id, parsed_at[version_id]), read)
    written = {(i, parsed_at[i]): f for i, f in facts.items() if i in held and f is not None}
    if written:
        session.info.setdefault(_WRITTEN, (kept, {}))[1].update(written)
    return facts


# Facts of committed parses, by (version id, parsed_at), least recently used first; one cache
# per database (the pool an engine and its option engines share). Some 2 KB each: 16 MB at most.
_CACHED_FACTS = 8192
_caches: weakref.WeakKeyDictionary[Pool, OrderedDict[tuple[int, Any], YearFacts]] = weakref.WeakKeyDictionary()
_WRITTEN = "cross_year_written"  # session.info: (the cache, facts of parses written in the transaction)


def _cache(session: Session) -> OrderedDict[tuple[int, Any], YearFacts]:
    return _caches.setdefault(session.connection().engine.pool, OrderedDict())


def _keep(kept: OrderedDict[tuple[int, Any], YearFacts], key: tuple[int, Any], facts: YearFacts) -> None:
    kept[key] = facts
    kept.move_to_end(key)
    while len(kept) > _CACHED_FACTS:
        kept.popitem(last=False)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if written is not None:
        kept, facts = written
        for key, value in facts.items():
            _keep(kept, key, value)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


# Built once: every batch of new versions runs them.
_DELETE = sa.delete(FindingRow.__table__).where(one_of(FindingRow.version_id, "ids"), FindingRow.source == "crossyear")
_PARSED_AT = sa.select(Version.id, Version.parsed_at).where(one_of(Version.id, "ids"))
