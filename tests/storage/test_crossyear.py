"""Rule 6 across years: carried-over requests and documents in force, recomputed on new versions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.archive import Archive
from storage.clock import utcnow
from storage.db import writer
from storage.models import FindingRow, Version
from tests.storage.conftest import SEED_ZHANGDIAN_2023, capture_of

FORWARD_ROW = "\t四、结转下年度继续办理\n\t0\n"
IN_FORCE_ROW = "\t行政规范性文件\n\t0\n\t0\n\t0\n"


def previous_year(report_2023: bytes, *, carried_forward: str = "0", in_force: str = "0") -> bytes:
    """The same agency's 2022 report, printing the given 结转下年度 (自然人) and 现行有效 (行政规范性文件)."""
    text = report_2023.decode().replace("2023", "2022")
    assert text.count(FORWARD_ROW) == 1 and text.count(IN_FORCE_ROW) == 1
    text = text.replace(FORWARD_ROW, f"\t四、结转下年度继续办理\n\t{carried_forward}\n")
    return text.replace(IN_FORCE_ROW, f"\t行政规范性文件\n\t0\n\t0\n\t{in_force}\n").encode()


def cross_year(archive: Archive, *, numbers_only: bool = True) -> list[tuple]:
    """Cross-year findings; by default only rule 6's (these tests' two years share their text on purpose)."""
    with archive.session() as session:
        return [tuple(r) for r in session.execute(
            sa.select(FindingRow.rule, FindingRow.severity, FindingRow.row_key, FindingRow.column_key,
                      FindingRow.printed, FindingRow.expected)
            .where(FindingRow.source == "crossyear", (FindingRow.rule != "X.copied_text") if numbers_only else sa.true())
            .order_by(FindingRow.rule)
        )]


def test_findings_appear_when_last_year_arrives_and_go_when_it_is_revised(archive: Archive, seed) -> None:
    this_year = seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(this_year, url="http://gov.test/2023.html"))
    assert cross_year(archive) == []

    archive.record(capture_of(previous_year(this_year, carried_forward="2", in_force="5"), url="http://gov.test/2022.html", minutes=1))
    assert cross_year(archive) == [
        ("X.active_docs", "warning", "行政规范性文件", "现行有效件数", 0, 5),
        ("X.carry_over", "warning", "carried_over", "natural_person", 0, 2),
    ]

    revised = archive.record(capture_of(previous_year(this_year), url="http://gov.test/2022.html", minutes=2))
    assert revised.outcome == "new_version"
    assert cross_year(archive) == []


def test_documents_in_force_are_compared_under_either_name_and_with_the_column_s_unit(archive: Archive, seed) -> None:
    # One year prints the 2019 template's 规范性文件 and its headers with （件）: the check was not made.
    this_year = seed(SEED_ZHANGDIAN_2023).decode()
    assert this_year.count("\t现行有效件数\n") == 1
    this_year = this_year.replace(IN_FORCE_ROW, "\t规范性文件\n\t0\n\t0\n\t0\n").replace("\t现行有效件数\n", "\t现行有效件数（件）\n")
    archive.record(capture_of(this_year.encode(), url="http://gov.test/2023.html"))
    archive.record(capture_of(previous_year(seed(SEED_ZHANGDIAN_2023), in_force="5"), url="http://gov.test/2022.html", minutes=1))
    # named as this year's report prints the cell, where the web marks it
    assert cross_year(archive) == [("X.active_docs", "warning", "规范性文件", "现行有效件数（件）", 0, 5)]


def test_consistent_years_give_no_findings(archive: Archive, seed) -> None:
    this_year = seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(previous_year(this_year), url="http://gov.test/2022.html"))
    archive.record(capture_of(this_year, url="http://gov.test/2023.html", minutes=1))
    assert cross_year(archive) == []


def test_a_report_copied_from_last_year(archive: Archive, seed) -> None:
    """Rule 8: the 2022 report is the 2023 one with its years changed: every sentence repeats."""
    this_year = seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(previous_year(this_year), url="http://gov.test/2022.html"))
    archive.record(capture_of(this_year, url="http://gov.test/2023.html", minutes=1))
    [(rule, severity, _, _, share, _)] = cross_year(archive, numbers_only=False)
    assert (rule, severity, share) == ("X.copied_text", "warning", 1.0)


def test_a_rewritten_report_is_not_a_copy(archive: Archive, seed) -> None:
    this_year = seed(SEED_ZHANGDIAN_2023)
    text = previous_year(this_year).decode()
    rewritten = "\n".join(line if line.startswith("\t") or len(line) < 20 else "去年的工作另有表述，内容各不相同。" + line[::-1]
                          for line in text.split("\n"))
    archive.record(capture_of(rewritten.encode(), url="http://gov.test/2022.html"))
    archive.record(capture_of(this_year, url="http://gov.test/2023.html", minutes=1))
    assert cross_year(archive, numbers_only=False) == []


def test_last_year_parsed_again_elsewhere_is_compared_as_parsed_now(archive: Archive, seed) -> None:
    """Another process re-parses last year's version between two recordings of this year: the
    comparison reads the new parse (what this process kept of the old one is not used)."""
    this_year = seed(SEED_ZHANGDIAN_2023)
    last = archive.record(capture_of(previous_year(this_year, carried_forward="2"), url="http://gov.test/2022.html"))
    archive.record(capture_of(this_year, url="http://gov.test/2023.html", minutes=1))
    assert [f[0] for f in cross_year(archive)] == ["X.carry_over"]

    reparsed = capture_of(previous_year(this_year), url="http://gov.test/2022.html").parse.report
    with Session(writer(archive.engine)) as session, session.begin():
        session.execute(sa.update(Version).where(Version.id == last.version_id)
                        .values(report_json=reparsed, parsed_at=utcnow()))
    revised = this_year.replace("\t四、结转下年度继续办理\n\t0\n".encode(), "\t四、结转下年度继续办理\n\t1\n".encode(), 1)
    result = archive.record(capture_of(revised, url="http://gov.test/2023.html", minutes=2))
    assert result.outcome == "new_version"
    with archive.session() as session:
        assert session.scalars(sa.select(FindingRow.rule).where(FindingRow.version_id == result.version_id,
                                                                FindingRow.source == "crossyear")).all() == ["X.copied_text"]


def test_a_parse_rolled_back_is_not_compared_with_later(db_url: str, data_dir, seed) -> None:
    """A process keeps the facts of the parses it writes, but only once they are committed: on
    SQLite a rolled-back version's id is given again, here to another process's version of the
    same year with the same parse time, which is the one this process must compare with."""
    this_year = seed(SEED_ZHANGDIAN_2023)
    with Archive.open(db_url, data_dir) as one, Archive.open(db_url, data_dir) as other:

        def fail(session: Session) -> None:
            if session.get_bind().pool is one.engine.pool:
                raise RuntimeError("commit refused")

        sa.event.listen(Session, "before_commit", fail)
        try:
            with pytest.raises(RuntimeError):
                one.record(capture_of(previous_year(this_year, carried_forward="2"), url="http://gov.test/2022.html"))
        finally:
            sa.event.remove(Session, "before_commit", fail)
        other.record(capture_of(previous_year(this_year), url="http://gov.test/2022.html"))
        one.record(capture_of(this_year, url="http://gov.test/2023.html", minutes=1))
        assert cross_year(one) == []
