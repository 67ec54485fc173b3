"""One agency, one name: prefixes, abbreviations and the site's region resolve to one
canonical agency; users list, alias and merge agencies; history and rule 6 follow."""

from __future__ import annotations

import gc

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from harvester.cli.main import cli
from parsers.hints import ReportHints
from fixtures.portals.generator.big import agency_at
from storage.agencies import (add_alias, canonical, known_agencies, known_agency, normalise_name, read_ahead, resolve_agency,
                              split_regions)
from storage.archive import Archive
from storage.history import resolve_report
from storage.models import Agency, AgencyAlias, FindingRow, Report
from storage.db import create_engine
from storage.migrate import upgrade
from tests.storage.conftest import SEED_ZHANGDIAN_2023, capture_of
from tests.storage.test_crossyear import previous_year


def test_names_of_one_agency_share_a_key() -> None:
    assert canonical("淮安市洪泽区人民政府").key == canonical("洪泽区人民政府", "江苏省淮安市").key == "淮安市洪泽区"
    assert canonical("江苏省淮安市洪泽区人民政府").key == "淮安市洪泽区"
    keys = {canonical(n).key for n in ("平潭综合实验区管理委员会", "平潭综合实验区管委会", "平潭综合实验区")}
    assert keys == {"平潭综合实验区"}
    assert canonical("淮安市洪泽区人民政府").county == "洪泽区"
    assert canonical("淄博市教育局", "山东省淄博市").key != canonical("淄博市", "山东省淄博市").key


def test_a_government_office_under_its_short_name_is_the_same_office() -> None:
    full = canonical("淄博市张店区人民政府办公室").key
    assert canonical("张店区政府办公室", "山东省淄博市").key == canonical("张店区政府办", "山东省淄博市").key == full
    assert canonical("张店区人民政府", "山东省淄博市").key == canonical("张店区政府", "山东省淄博市").key != full


def _keys_after_upgrade(db_url: str, revision: str, agencies: str, reports: str) -> tuple[list, list]:
    """(agencies' id, key, tail, body; reports' agency_key) after upgrading from ``revision``
    an archive holding ``agencies`` and ``reports`` (SQL VALUES lists)."""
    engine = create_engine(db_url)
    try:
        upgrade(engine, revision)
        with engine.begin() as connection:
            connection.execute(sa.text(f"INSERT INTO agencies (id, key, tail, body, name, province, city, county) VALUES {agencies}"))
            connection.execute(sa.text(
                f"INSERT INTO reports (id, agency_key, agency, year, kind, first_seen, last_seen, agency_id) VALUES {reports}"))
        upgrade(engine)
        with engine.connect() as connection:
            return (connection.execute(sa.text("SELECT id, key, tail, body FROM agencies ORDER BY id")).all(),
                    connection.execute(sa.text("SELECT agency_key FROM reports ORDER BY id")).scalars().all())
    finally:
        engine.dispose()


# (revision upgraded from, agencies and reports as it left them, agencies' (id, key, tail, body)
# and reports' keys after): 0018 gives a provincial department its province back, 0019 writes a
# government office's short name out.
REKEYING_REVISIONS = {
    "0018_province": (
        "0017",
        "(1, '教育厅', '教育厅', '教育厅', '河北省教育厅', '河北省', NULL, NULL), "
        "(2, '淮安市洪泽区', '洪泽区', '', '江苏省淮安市洪泽区人民政府', '江苏省', '淮安市', '洪泽区')",
        "(1, '教育厅', '河北省教育厅', 2022, 'annual', '2023-01-01', '2023-01-01', 1), "
        "(2, '淮安市洪泽区', '淮安市洪泽区人民政府', 2022, 'annual', '2023-01-01', '2023-01-01', 2)",
        [(1, "河北省教育厅", "河北省教育厅", "教育厅"), (2, "淮安市洪泽区", "洪泽区", "")],
        ["河北省教育厅", "淮安市洪泽区"],
    ),
    "0019_government_office": (
        "0018",
        "(1, '淄博市张店区政府办公室', '张店区政府办公室', '政府办公室', '张店区政府办公室', NULL, '淄博市', '张店区'), "
        "(2, '淄博市张店区', '张店区', '', '淄博市张店区人民政府', NULL, '淄博市', '张店区')",
        "(1, '淄博市张店区政府办公室', '张店区政府办公室', 2022, 'annual', '2023-01-01', '2023-01-01', 1)",
        [(1, "淄博市张店区人民政府办公室", "张店区人民政府办公室", "人民政府办公室"), (2, "淄博市张店区", "张店区", "")],
        ["淄博市张店区人民政府办公室"],
    ),
}


@pytest.mark.parametrize("case", list(REKEYING_REVISIONS))
def test_revisions_rewrite_existing_agency_keys(db_url: str, case: str) -> None:
    before, agencies, reports, expected_agencies, expected_reports = REKEYING_REVISIONS[case]
    assert _keys_after_upgrade(db_url, before, agencies, reports) == (expected_agencies, expected_reports)


def test_agencies_of_two_provinces_are_two_agencies() -> None:
    # the province names a provincial department or government: it stays in the key
    assert canonical("河北省教育厅").key == canonical("教育厅", "河北省").key == "河北省教育厅"
    assert canonical("山东省教育厅").key != canonical("河北省教育厅").key
    assert canonical("河北省人民政府").key == "河北省" != canonical("山东省人民政府").key
    assert canonical("广西壮族自治区民政厅").key == "广西壮族自治区民政厅"


def test_a_shorter_name_without_region_finds_the_fuller_agency(archive: Archive) -> None:
    with archive.session() as session:
        full = resolve_agency(session, "淮安市洪泽区人民政府")
        assert resolve_agency(session, "洪泽区人民政府").id == full.id
        assert resolve_agency(session, "洪泽区人民政府", "江苏省淮安市").id == full.id
        short_first = resolve_agency(session, "平潭综合实验区")
        assert resolve_agency(session, "平潭综合实验区管理委员会").id == short_first.id
        assert session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 2


def _by_reading_every_key(keys: list[str], key: str) -> str | None:
    """What a fuller or shorter name's agency is by the rule itself, read off every key."""
    def differ_in_regions(longer: str, shorter: str) -> bool:
        return longer.endswith(shorter) and split_regions(longer.removesuffix(shorter))[1] == ""

    found = [k for k in keys if k != key and (differ_in_regions(k, key) or differ_in_regions(key, k))]
    return found[0] if len(found) == 1 else None


NAMES = [agency_at(i).name for i in range(0, 1400, 7)] + [
    "淮安市洪泽区人民政府", "淮安市淮阴区教育局", "淄博市张店区人民政府", "济南市历下区教育体育局", "平潭综合实验区管委会",
    "济南市高新技术产业开发区管委会"]
# Among them keys that name no region (平潭综合实验区, 高新技术产业开发区: no region name ends
# within their first five characters), one of which has a fuller key.
ASKED = ["洪泽区人民政府", "江苏省淮安市洪泽区人民政府", "淮阴区教育局", "张店区人民政府", "历下区教育体育局", "教育局",
         "淄博市张店区", "张店区", "市中区财政局", "淄博市张店区公安局", "平潭综合实验区", "青岛市黄岛区商务局", "黄岛区商务局",
         "高新技术产业开发区管委会", "国家税务总局滨州市税务局"]


def test_a_fuller_or_shorter_key_is_found_as_reading_every_key_finds_it(archive: Archive) -> None:
    with archive.session() as session, session.begin():
        for name in NAMES:
            resolve_agency(session, name)
        keys = list(session.scalars(sa.select(Agency.key)))
        assert len(keys) > 200
        for name in ASKED + [n[:-3] for n in NAMES[::9]] + [n[3:] for n in NAMES[::5]]:
            key = canonical(name).key
            found = known_agency(session, name)
            expected = key if key in keys else _by_reading_every_key(keys, key)
            assert (found.key if found else None) == expected, name


def test_a_batch_of_names_is_answered_as_each_name_alone_in_three_statements(archive: Archive) -> None:
    asked = [(name, region) for name in ASKED + [n[3:] for n in NAMES[::5]] for region in (None, "山东省淄博市")]
    with archive.session() as session, session.begin():
        for name in NAMES:
            resolve_agency(session, name)
        alone = [known_agency(session, name, region) for name, region in asked]
        assert {a is None for a in alone} == {True, False}  # known and new names both asked
        statements: list[str] = []
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        together = known_agencies(session, asked)
    assert [a and a.id for a in together] == [a and a.id for a in alone]
    # by alias, by key, by tail, body or ending: new keys that name no region asked with the others
    unregional = {key for key in (canonical(name, region).key for name, region in asked) if not split_regions(key)[0]}
    assert len(unregional) > 1 and len(statements) <= 3


# In turn: an agency known before the batch given a longer key, another agency of the same
# tail, then the old key asked for under a new name (two agencies have it as their tail now:
# neither is its agency); an agency the batch makes, asked for under another name of its key;
# one the batch makes with a short key, then a fuller one; names known before, as they were.
BATCH = [("淮安市洪泽区人民政府", None), ("宿迁市洪泽区人民政府", None), ("洪泽区政府", None), ("洪泽区管委会", "江苏省淮安市"),
         ("济宁市任城区人民政府", None), ("济宁市任城区政府", None), ("梁山县", None), ("济宁市梁山县", None),
         ("梁山县政府", "山东省济宁市"), *((name, None) for name in NAMES[:40:3]), ("淄博市 教育局", None)]


def test_names_read_ahead_resolve_as_each_name_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A batch's names read ahead (``read_ahead``: three statements) resolve to the agencies,
    keys and aliases they resolve to one by one, as the batch's own names make and rename
    agencies, and with fewer statements."""
    outcomes, counts = [], []
    for ahead in (False, True):
        with Archive.open(f"sqlite:///{tmp_path / f'{ahead}.sqlite3'}", tmp_path / str(ahead)) as archive:
            with archive.session() as session, session.begin():
                for name in [*NAMES[:40], "洪泽区人民政府", "淄博市教育局"]:
                    resolve_agency(session, name)
            with archive.session() as session, session.begin():
                statements: list[str] = []
                sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
                if ahead:
                    read_ahead(session, BATCH)
                resolved = [resolve_agency(session, name, region) for name, region in BATCH]
                counts.append(len(statements))
                outcomes.append(([(a.id, a.key) for a in resolved],
                                 sorted(tuple(row) for row in session.execute(sa.select(AgencyAlias.alias, AgencyAlias.agency_id))),
                                 sorted(tuple(row) for row in session.execute(sa.select(Agency.id, Agency.key, Agency.tail)))))
    assert outcomes[1] == outcomes[0]
    assert {key for _, key in outcomes[0][0]} >= {"淮安市洪泽区", "济宁市任城区", "济宁市梁山县"}
    assert counts[1] < counts[0]


def test_new_agencies_read_ahead_are_made_without_asking_again(archive: Archive) -> None:
    # A first crawl's batch: every name new, none a form of another. Once read ahead, each
    # new agency is one INSERT, with no question asked after its key's fuller or shorter forms.
    batch = [(name, None) for name in NAMES[40:72]]
    with archive.session() as session, session.begin():
        for name in NAMES[:40]:
            resolve_agency(session, name)
        read_ahead(session, batch)
        statements: list[str] = []
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        made = [resolve_agency(session, name, region) for name, region in batch]
        asked = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert not asked, asked
        assert len({agency.id for agency in made}) == len(batch)
        stored = dict(session.execute(sa.select(Agency.id, Agency.key)).all())
        assert [stored[agency.id] for agency in made] == [canonical(name).key for name, _ in batch]
        aliases = dict(session.execute(sa.select(AgencyAlias.alias, AgencyAlias.agency_id)).all())
    assert [aliases[normalise_name(name)] for name, _ in batch] == [agency.id for agency in made]


def test_a_name_read_ahead_as_no_ones_follows_an_alias_added_since(archive: Archive) -> None:
    with archive.session() as session:
        read_ahead(session, [("淄博市财政局", None)])
        other = resolve_agency(session, "淄博市教育局")
        add_alias(session, other, "淄博市财政局")
        assert resolve_agency(session, "淄博市财政局").id == other.id


def test_an_agency_new_to_the_archive_is_looked_for_by_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SQLite's plan for each statement asking after a new name: no reading of every agency."""
    archive = Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data")
    asked: list[tuple[str, object]] = []
    try:
        with archive.session() as session, session.begin():
            for name in NAMES:
                resolve_agency(session, name)
            def note(conn, cursor, statement, parameters, *rest) -> None:  # type: ignore[no-untyped-def]
                asked.append((statement, parameters))

            sa.event.listen(session.connection(), "before_cursor_execute", note)
            assert known_agency(session, "滨州市滨城区住房和城乡建设局") is None
            assert known_agency(session, "国家税务总局滨州市税务局") is None  # a key that names no region
            sa.event.remove(session.connection(), "before_cursor_execute", note)
            plans = [row[-1] for statement, parameters in asked if "agencies" in statement
                     for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        assert plans and not [p for p in plans if p.startswith("SCAN agencies")], plans
    finally:
        archive.close()


def test_revision_0012_gives_existing_agencies_their_key_tail(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        upgrade(engine, "0011")
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO agencies (key, name) VALUES ('淮安市洪泽区', '淮安市洪泽区人民政府')"))
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT tail FROM agencies")).scalar_one() == "洪泽区"
    finally:
        engine.dispose()


def test_revision_0017_gives_existing_agencies_their_key_body(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        upgrade(engine, "0016")
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO agencies (key, tail, name) VALUES "
                                       "('淮安市洪泽区教育局', '洪泽区教育局', '淮安市洪泽区教育局'), "
                                       "('高新技术产业开发区', '高新技术产业开发区', '高新技术产业开发区管委会')"))
        upgrade(engine)
        with engine.connect() as connection:
            assert dict(connection.execute(sa.text("SELECT key, body FROM agencies")).all()) == {
                "淮安市洪泽区教育局": "教育局", "高新技术产业开发区": "高新技术产业开发区"}
    finally:
        engine.dispose()




def test_a_session_resolves_a_name_again_without_asking_until_the_name_moves(archive: Archive) -> None:
    statements: list[str] = []
    with archive.session() as session:
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        first = resolve_agency(session, "淄博市教育局").id
        gc.collect()  # as between two captures of a batch: nothing but the session refers to the agency
        asked = len(statements)
        assert resolve_agency(session, "淄博市 教育局").id == first
        assert len(statements) == asked  # the same name, normalised: answered by the session
        other = resolve_agency(session, "淄博市财政局")
        add_alias(session, other, "淄博市教育局")
        assert resolve_agency(session, "淄博市教育局").id == other.id


def _renamed(data: bytes, old: str, new: str) -> bytes:
    assert old.encode() in data
    return data.replace(old.encode(), new.encode())


def test_years_filed_under_two_names_meet_for_history_and_rule_6(archive: Archive, seed) -> None:
    this_year = seed(SEED_ZHANGDIAN_2023)
    last_year = previous_year(this_year, carried_forward="2")
    # The 2022 report prints the agency's short name; the site is 淄博市张店区's.
    short = _renamed(last_year, "山东张店经济开发区管理委员会", "山东张店经济开发区管委会")
    first = capture_of(this_year, "http://gov.test/2023.html")
    second = capture_of(short, "http://gov.test/2022.html", minutes=1)
    second.parse.hints = ReportHints(region="山东省淄博市张店区")
    archive.record(first)
    archive.record(second)
    with archive.session() as session:
        assert len({r.agency_id for r in session.scalars(sa.select(Report))}) == 1
        rules = session.scalars(sa.select(FindingRow.rule).where(FindingRow.source == "crossyear")).all()
        assert "X.carry_over" in rules
        assert resolve_report(session, "山东张店经济开发区管委会/2023").year == 2023


def test_cli_lists_aliases_and_merges_agencies(archive: Archive, seed, db_url: str, data_dir, monkeypatch) -> None:
    monkeypatch.setenv("HARVESTER_DATA_DIR", str(data_dir))
    this_year = seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(this_year, "http://gov.test/2023.html"))
    # A name no rule can tie to the first: the user says they are one agency.
    archive.record(capture_of(_renamed(previous_year(this_year), "山东张店经济开发区管理委员会", "张店经开区管委会"),
                              "http://gov.test/2022.html", minutes=1))
    runner = CliRunner()
    listed = runner.invoke(cli, ["agencies", "--json", "--db", db_url], catch_exceptions=False)
    assert sorted(a["name"] for a in __import__("json").loads(listed.output)) == ["山东张店经济开发区管理委员会", "张店经开区管委会"]
    merged = runner.invoke(cli, ["agencies", "merge", "山东张店经济开发区管委会", "张店经开区管委会", "--db", db_url], catch_exceptions=False)
    assert merged.exit_code == 0 and "1 report(s) moved" in merged.output
    with archive.session() as session:
        assert len({r.agency_id for r in session.scalars(sa.select(Report))}) == 1
        assert resolve_report(session, "张店经开区管委会/2022").year == 2022
    again = runner.invoke(cli, ["agencies", "merge", "张店经开区管委会", "山东张店经济开发区管理委员会", "--db", db_url])
    assert again.exit_code == 1 and again.output.count("\n") == 1 and "already one agency" in again.output
    table = runner.invoke(cli, ["agencies", "--db", db_url], catch_exceptions=False)
    assert "张店经开区管委会" in table.output and "山东张店经济开发区管委会" in table.output


def test_diff_across_years_meets_the_agency_under_its_other_name(archive: Archive, seed, db_url: str, data_dir, monkeypatch) -> None:
    monkeypatch.setenv("HARVESTER_DATA_DIR", str(data_dir))
    this_year = seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(this_year, "http://gov.test/2023.html"))
    last_year = _renamed(previous_year(this_year, carried_forward="2"), "山东张店经济开发区管理委员会", "山东张店经济开发区管委会")
    archive.record(capture_of(last_year, "http://gov.test/2022.html", minutes=1))
    result = CliRunner().invoke(cli, ["diff", "山东张店经济开发区管理委员会/2023", "--year", "2022", "--json", "--db", db_url],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload = __import__("json").loads(result.output)
    assert (payload["from_year"], payload["to_year"]) == (2022, 2023)
    assert any(c["address"] == "applications.carried_forward.natural_person" for c in payload["cells"])
