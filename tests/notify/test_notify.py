"""notify.yaml rules, messages as a user receives them, the Atom feed, and `harvester notify test`."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from harvester.cli.main import cli
from harvester.notify.config import NotifyConfigError, Rule, load_notify_config
from harvester.notify.deliver import redact
from harvester.notify.feed import atom_feed
from harvester.notify.message import compose
from storage.watch import CellLine, WatchEvent
from tests.crawl.webhook import WebhookReceiver

AT = datetime(2026, 2, 3, 4, 5, tzinfo=timezone.utc)


def revision() -> WatchEvent:
    return WatchEvent(
        key="version:7", kind="new_version", at=AT, site="zibo-gxj", agency="淄博市工业和信息化局", region="山东省淄博市",
        year=2021, report_id=3, version_no=2, significance="numbers",
        summary="报告已修改 / report changed: 淄博市工业和信息化局 2021, version 2 (numbers, 2 cell(s))",
        cells=[CellLine("applications.new_received.total", "一、本年新收政府信息公开申请数量", "83", "85")], more_cells=1,
        url="http://gxj.zibo.gov.cn/doc_1.html",
    )


def test_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "notify.yaml"
    path.write_text(
        "web_url: http://127.0.0.1:8000/\n"
        "rules:\n"
        "  - name: zibo\n    events: [new_version, withdrawn]\n    regions: [淄博]\n    significance: [numbers]\n"
        "    urls: ['json://127.0.0.1:9/hook', 'dingtalk://token/']\n", encoding="utf-8")
    config = load_notify_config(path)
    assert config is not None and config.web_url == "http://127.0.0.1:8000"
    [rule] = config.rules
    assert rule.matches(revision())
    assert not rule.matches(WatchEvent(**{**revision().__dict__, "significance": "formatting"}))
    assert not rule.matches(WatchEvent(**{**revision().__dict__, "region": "江苏省淮安市"}))
    assert not rule.matches(WatchEvent(**{**revision().__dict__, "kind": "new_report"}))


@pytest.mark.parametrize("text, error", [
    ("rules: {}\n", "expected a mapping with a list of rules"),
    ("rules:\n  - name: a\n", "needs at least one Apprise URL"),
    ("rules:\n  - name: a\n    urls: [json://x]\n    events: [new_thing]\n", "unknown event(s) new_thing"),
    ("rules:\n  - name: a\n    urls: [json://x]\n    colour: red\n", "unknown keys: colour"),
    ("rules:\n  - name: a\n    urls: [json://x]\n  - name: a\n    urls: [json://y]\n", "rule names must be unique"),
    ("rules:\n  - name: a\n    urls: [json://x]\n    title: '{agency}'\n", "title may use {count} and {site} only"),
    ("rules: [\n", "not valid YAML"),
])
def test_broken_rules_are_one_line(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "notify.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotifyConfigError) as raised:
        load_notify_config(path)
    assert error in str(raised.value) and "\n" not in str(raised.value)


def test_without_rules_nothing_is_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARVESTER_NOTIFY", raising=False)
    assert load_notify_config() is None


def test_the_message_names_the_report_the_cells_and_the_link() -> None:
    message = compose([revision()], Rule("r", ("json://x",)).title, "http://127.0.0.1:8000")
    assert message.title == "政府信息公开年报：1 条动态 / 1 report event(s)"
    assert message.body.splitlines() == [
        "- 报告已修改 / report changed: 淄博市工业和信息化局 2021, version 2 (numbers, 2 cell(s))",
        "    一、本年新收政府信息公开申请数量 · applications.new_received.total: 83 → 85",
        "    … 1 more cell(s)",
        "    http://127.0.0.1:8000/reports/3/diff/1..2",
    ]
    without_web = compose([revision()], "{count}", None)
    assert without_web.body.splitlines()[-1] == "    http://gxj.zibo.gov.cn/doc_1.html"


def test_a_message_passes_on_nothing_a_terminal_or_a_text_direction_acts_on() -> None:
    event = revision()
    event.summary = "报告已修改 / report changed: 淄博市\x1b[2J工业和信息化局\u202e 2021"
    event.cells = [CellLine("applications.new_received.total", "一、本年新收\x1b]0;owned\x07申请数量", "83\r", "85")]
    message = compose([event], "{site}\x1b[31m", None)
    assert message.title == "zibo-gxj[31m"
    assert message.body.splitlines()[:2] == [
        "- 报告已修改 / report changed: 淄博市[2J工业和信息化局 2021",
        "    一、本年新收]0;owned申请数量 · applications.new_received.total: 83 → 85",
    ]


def test_the_atom_feed_parses() -> None:
    older = WatchEvent(key="version:6", kind="new_report", at=AT.replace(day=1), agency="淄博市工业和信息化局", year=2021,
                       report_id=3, version_no=1, summary="新报告 / new report: 淄博市工业和信息化局 2021")
    document = atom_feed([revision(), older], title="report events", web_url="http://127.0.0.1:8000")
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [revision().summary, older.summary]
    assert parsed.entries[0].link == "http://127.0.0.1:8000/reports/3/diff/1..2"
    assert "83 → 85" in parsed.entries[0].content[0].value
    assert parsed.entries[0].id.endswith(":version:7") and parsed.entries[0].tags[0].term == "new_version"



def test_a_character_xml_cannot_hold_in_an_event_leaves_the_feed_well_formed() -> None:
    # recorded before the parser left them out: an escape in an agency's name, a U+FFFE in a cell
    hostile = dataclasses.replace(revision(), agency="淄博市\x1bc工业和信息化局",
                                  summary="报告已修改 / report changed: 淄博市\x1bc工业和信息化局 2021",
                                  cells=[CellLine("applications.new_received.total", "一、本年新收", "83", "8\ufffe5")])
    parsed = feedparser.parse(atom_feed([hostile], title="report events \x00"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries[0].title == "报告已修改 / report changed: 淄博市\ufffdc工业和信息化局 2021"


def test_notify_test_command_reaches_a_webhook() -> None:
    receiver = WebhookReceiver()
    try:
        sent = CliRunner().invoke(cli, ["notify", "test", receiver.url])
    finally:
        receiver.close()
    assert sent.exit_code == 0 and sent.output.strip() == "sent"
    assert receiver.received[0]["title"] == "govreport-harvester 测试 / test"


def test_notify_test_command_says_why_it_failed() -> None:
    receiver = WebhookReceiver(status=500)
    try:
        refused = CliRunner().invoke(cli, ["notify", "test", receiver.url])
        nonsense = CliRunner().invoke(cli, ["notify", "test", "nosuchscheme://secret-token@host/path"])
    finally:
        receiver.close()
    assert refused.exit_code == 1 and "did not accept the message" in refused.output
    assert nonsense.exit_code == 1 and "secret-token" not in nonsense.output


def test_secrets_stay_out_of_logs() -> None:
    assert redact("dingtalk://ACCESS_TOKEN/") == "dingtalk://***/…"
    assert redact("json://127.0.0.1:9000/hook") == "json://127.0.0.1:9000/…"
    assert redact("mailto://user:password@example.com") == "mailto://example.com/…"
